import crypto from 'node:crypto';
import { parseEnv } from '@/env';
import { createAuth } from '@/server/auth/auth';
import type { DbHandle } from '@/server/db/client';
import type { SessionUser } from '@/server/api/trpc';

export const TEST_BASE_URL = 'http://localhost:3999';

export function createTestAuth(handle: DbHandle, envOverrides: Record<string, string> = {}) {
  const env = parseEnv({ NODE_ENV: 'test', ...envOverrides });
  return createAuth({
    db: handle.db,
    env,
    secret: 'test-secret-test-secret-test-secret-0123',
    baseURL: TEST_BASE_URL,
  });
}

export async function createTestUser(
  handle: DbHandle,
  name = `user-${crypto.randomBytes(4).toString('hex')}`,
): Promise<SessionUser> {
  const auth = createTestAuth(handle);
  const { user } = await auth.api.signUpEmail({
    body: { email: `${name}@example.com`, password: 'correct-horse-battery', name },
  });
  return { id: user.id, email: user.email, name: user.name };
}
