import { redirect } from 'next/navigation';
import { Suspense } from 'react';
import { getEnv } from '@/env';
import { AuthForm } from '@/components/auth/auth-form';
import { signInErrorText } from '@/components/auth/signup-notice';
import { googleEnabled } from '@/server/auth/auth';
import { currentUser } from '@/server/auth/current-user';
import { signupMode } from '@/server/auth/signup-policy';
import { getDb } from '@/server/db/client';

export const dynamic = 'force-dynamic';

export default async function Page({
  searchParams,
}: {
  searchParams: Promise<{ error?: string | string[] }>;
}) {
  if (await currentUser()) redirect('/');
  const mode = await signupMode(await getDb(), getEnv());
  const error = signInErrorText([(await searchParams).error].flat()[0]);
  return (
    <Suspense>
      {error ? (
        <p role="alert" className="max-w-sm text-center text-sm text-destructive">
          {error}
        </p>
      ) : null}
      <AuthForm mode="sign-in" google={googleEnabled()} signupLink={mode !== 'closed'} />
    </Suspense>
  );
}
