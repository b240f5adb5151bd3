import { getEnv } from '@/env';
import { getRequestSession } from '@/server/auth/session-cache';
import { getDb } from '@/server/db/client';
import { getRuntime } from '@/server/runtime-handle';
import type { TrpcContext } from './trpc';

/** The request's context: the database and the signed-in user, if any. */
export async function createRequestContext(headers: Headers): Promise<TrpcContext> {
  const [db, session] = await Promise.all([getDb(), getRequestSession(headers)]);
  return {
    db,
    env: getEnv(),
    user: session
      ? { id: session.user.id, email: session.user.email, name: session.user.name }
      : null,
    sessionCreatedAt: session ? new Date(session.session.createdAt) : undefined,
    jobs: async () => (await getRuntime()).queue,
  };
}
