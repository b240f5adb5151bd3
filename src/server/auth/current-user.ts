import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { getRequestSession } from './session-cache';

/** For server components: the signed-in user, or a redirect to the sign-in page. */
export async function requireUser() {
  const session = await getRequestSession(await headers());
  if (!session) redirect('/sign-in');
  return session.user;
}

export async function currentUser() {
  const session = await getRequestSession(await headers());
  return session?.user ?? null;
}
