import { redirect } from 'next/navigation';
import { Suspense } from 'react';
import { getEnv } from '@/env';
import { AuthForm } from '@/components/auth/auth-form';
import { InviteCookie } from '@/components/auth/invite-cookie';
import { SignupUnavailable } from '@/components/auth/signup-notice';
import { googleEnabled } from '@/server/auth/auth';
import { currentUser } from '@/server/auth/current-user';
import { validInvite } from '@/server/auth/invites';
import { signupMode } from '@/server/auth/signup-policy';
import { getDb } from '@/server/db/client';

export const dynamic = 'force-dynamic';

export default async function Page({
  searchParams,
}: {
  searchParams: Promise<{ invite?: string | string[] }>;
}) {
  if (await currentUser()) redirect('/');
  const db = await getDb();
  const mode = await signupMode(db, getEnv());
  const invite = [(await searchParams).invite].flat()[0]?.slice(0, 200);
  const invited = mode === 'invite' && invite ? await validInvite(db, invite) : false;
  if (mode === 'closed' || (mode === 'invite' && !invited))
    return <SignupUnavailable mode={mode === 'closed' ? 'closed' : 'invite'} />;
  return (
    <Suspense>
      {invited && invite ? <InviteCookie token={invite} /> : null}
      <AuthForm mode="sign-up" google={googleEnabled()} />
    </Suspense>
  );
}
