import { redirect } from 'next/navigation';
import { Suspense } from 'react';
import { AuthForm } from '@/components/auth/auth-form';
import { googleEnabled } from '@/server/auth/auth';
import { currentUser } from '@/server/auth/current-user';

export const dynamic = 'force-dynamic';

export default async function Page() {
  if (await currentUser()) redirect('/');
  return (
    <Suspense>
      <AuthForm mode="sign-in" google={googleEnabled()} />
    </Suspense>
  );
}
