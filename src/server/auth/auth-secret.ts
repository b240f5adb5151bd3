import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { EnvError, type Env } from '@/env';
import { makePrivateDir } from '@/server/db/private-files';

/**
 * The embedded default must work on a fresh clone with no configuration, so without
 * BETTER_AUTH_SECRET it keeps a generated secret beside the embedded database. A shared
 * PostgreSQL deployment has several processes that must agree: there the variable is required.
 */
export function resolveAuthSecret(env: Env): string {
  if (env.BETTER_AUTH_SECRET) return env.BETTER_AUTH_SECRET;
  if (env.DATABASE_URL) {
    throw new EnvError([
      {
        variable: 'BETTER_AUTH_SECRET',
        message:
          'required with DATABASE_URL (every web and worker process must share it); generate one with `openssl rand -base64 32`',
      },
    ]);
  }
  const file = path.join(env.RAPPORT_DATA_DIR, 'auth-secret');
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    makePrivateDir(env.RAPPORT_DATA_DIR);
    const secret = crypto.randomBytes(32).toString('base64url');
    fs.writeFileSync(file, secret, { mode: 0o600, flag: 'wx' });
    return secret;
  }
}
