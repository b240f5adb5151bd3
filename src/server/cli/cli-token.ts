import crypto from 'node:crypto';

// Shared through globalThis for the same reason as the database handle: the custom server and
// Next's bundled route handler are separate module instances in one process.
const KEY = Symbol.for('rapport.cliToken');
type Global = { [KEY]?: string };

/** The serving process's token for local CLI calls; published only in the 0600 lock file. */
export function issueCliToken(): string {
  const token = crypto.randomBytes(32).toString('base64url');
  (globalThis as Global)[KEY] = token;
  return token;
}

export function checkCliToken(presented: string | null): boolean {
  const expected = (globalThis as Global)[KEY];
  if (!expected || !presented) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}
