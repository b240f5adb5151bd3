import { getEnv } from '@/env';
import { getAuth, type Auth, type AuthSession } from './auth';

/**
 * The signed-in session of a request, remembered per process for a few seconds
 * (SESSION_CACHE_SECONDS): every API call otherwise reads the session and its user from the
 * database (two queries) and checks the cookie's signature, which under load cost as much as
 * a contact-list page's own queries.
 *
 * Entries are keyed by the whole signed value of the session cookie better-auth reads, so only
 * the exact cookie it accepted hits (a forged signature never does); an entry lives until the cache time or the
 * session's own expiry, whichever comes first. A session deleted through better-auth (sign-out,
 * revocation, password change) or a deleted user is forgotten at once in this process; another
 * web process notices within the cache time. Requests without a session cookie are not cached.
 */
type Entry = { session: AuthSession; until: number };

const MAX_ENTRIES = 10_000;

/**
 * The value of the first cookie named exactly `name` (the one better-auth reads): keying on
 * any other (a `__Secure-` twin, a look-alike planted beside it) would file the session
 * better-auth checked under a value it never saw.
 */
function cookieValue(header: string, name: string) {
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || undefined;
  }
  return undefined;
}

const GLOBAL_KEY = Symbol.for('rapport.session-cache');
type Cache = { entries: Map<string, Entry>; pending: Map<string, Promise<AuthSession | null>> };
// On globalThis: the custom server and Next's bundled route handlers load separate copies of
// this module (as with the database handle), and a sign-out in one must reach the other.
const cache: Cache = ((globalThis as { [GLOBAL_KEY]?: Cache })[GLOBAL_KEY] ??= {
  entries: new Map(),
  pending: new Map(),
});

/** The request's session (null when signed out), as better-auth's `getSession` answers. */
export async function getRequestSession(
  headers: Headers,
  options: { auth?: Auth; cacheSeconds?: number } = {},
): Promise<AuthSession | null> {
  const seconds = options.cacheSeconds ?? getEnv().SESSION_CACHE_SECONDS;
  const auth = options.auth ?? (await getAuth());
  const cookie = headers.get('cookie');
  const name = seconds > 0 && cookie ? (await auth.$context).authCookies.sessionToken.name : '';
  const key = name ? cookieValue(cookie!, name) : undefined;
  if (!key) return auth.api.getSession({ headers });
  const hit = cache.entries.get(key);
  if (hit && hit.until > Date.now()) return hit.session;
  if (hit) cache.entries.delete(key);
  // Many requests of one session arriving together share one lookup.
  let lookup = cache.pending.get(key);
  if (!lookup) {
    lookup = auth.api.getSession({ headers }).then((session) => {
      if (session && cache.pending.get(key) === lookup) {
        const until = Math.min(
          Date.now() + seconds * 1000,
          new Date(session.session.expiresAt).getTime(),
        );
        cache.entries.set(key, { session, until });
        // Oldest first (a Map keeps insertion order).
        for (const old of cache.entries.keys()) {
          if (cache.entries.size <= MAX_ENTRIES) break;
          cache.entries.delete(old);
        }
      }
      return session;
    });
    cache.pending.set(key, lookup);
    const done = () => {
      if (cache.pending.get(key) === lookup) cache.pending.delete(key);
    };
    lookup.then(done, done);
  }
  return lookup;
}

/** Forgets a session (by its token) or every session of a user, in this process. */
export function forgetSessions(which: { token: string } | { userId: string }): void {
  const matches = (s: Entry['session']) =>
    'token' in which ? s.session.token === which.token : s.user.id === which.userId;
  for (const [key, entry] of cache.entries) if (matches(entry.session)) cache.entries.delete(key);
  // A lookup in flight may have read the session before it went: let it answer, not stay.
  cache.pending.clear();
}
