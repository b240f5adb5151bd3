import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type AppProcess } from '../support/app-process';
import { createTestDatabase, type TestDatabase } from '../support/test-db';
import { waitFor } from '../support/wait-for';

/** The web processes serving a port (their command line names it). */
function webProcesses(url: string) {
  const port = new URL(url).port;
  try {
    return execFileSync('pgrep', ['-f', `rapport.mjs serve --port ${port} `])
      .toString()
      .trim()
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

// Several web processes share one database only on PostgreSQL (PGlite is one process's own):
// skipped without DATABASE_URL, as the suite's name says; .ci/run sets it.
const run = process.env.DATABASE_URL ? describe : describe.skip;

run('several web processes (WEB_CONCURRENCY) [postgres: set DATABASE_URL to run]', () => {
  let db: TestDatabase;
  let app: AppProcess;
  const env = () => ({
    DATABASE_URL: db.url!,
    WEB_CONCURRENCY: '2',
    BETTER_AUTH_SECRET: crypto.randomBytes(24).toString('base64'),
    RAPPORT_DEMO: '0',
  });

  beforeAll(async () => {
    db = await createTestDatabase('postgres');
    app = await startApp(env());
  });
  afterAll(async () => {
    await app?.stop();
    await db?.drop();
  });

  it('serves the app from two processes that share sessions', async () => {
    expect(app.output()).toContain('PostgreSQL, 2 web processes');
    expect(webProcesses(app.url)).toHaveLength(2);
    const auth = (kind: string, body: object) =>
      fetch(`${app.url}/api/auth/${kind}/email`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: app.url },
        body: JSON.stringify(body),
      });
    const account = { email: 'two@cluster.test', password: 'two-processes', name: 'Two' };
    expect((await auth('sign-up', account)).status).toBe(200);
    const signIn = await auth('sign-in', account);
    expect(signIn.status).toBe(200);
    const cookie = signIn.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    // Fresh connections, spread over both processes: each knows the session.
    const statuses = await Promise.all(
      Array.from({ length: 20 }, () =>
        fetch(`${app.url}/api/trpc/contacts.list?input=${encodeURIComponent('{"json":{}}')}`, {
          headers: { cookie, connection: 'close' },
        }).then((r) => r.status),
      ),
    );
    expect(statuses).toEqual(Array(20).fill(200));
  });

  it('replaces a web process that dies, and keeps answering', async () => {
    const [victim, other] = webProcesses(app.url);
    process.kill(victim!, 'SIGKILL');
    const replaced = await waitFor(
      () => {
        const now = webProcesses(app.url);
        return now.length === 2 && !now.includes(victim!) && now.includes(other!) ? now : null;
      },
      { timeoutMs: 60_000, intervalMs: 200, what: 'a replacement web process' },
    );
    expect(replaced).toHaveLength(2);
    expect(app.output()).toMatch(/process \d+ died \(SIGKILL\); restarting/);
    const res = await fetch(`${app.url}/api/health`, { headers: { connection: 'close' } });
    expect(res.status).toBe(200);
  });

  it('leaves no web process behind when its primary is killed outright', async () => {
    const workers = webProcesses(app.url);
    process.kill(app.pid, 'SIGKILL');
    await waitFor(() => workers.every((pid) => !alive(pid)), {
      timeoutMs: 30_000,
      intervalMs: 100,
      what: 'the web processes to exit',
    });
  });

  it('refuses several processes on the embedded database, and says why', async () => {
    const err = await startApp({ WEB_CONCURRENCY: '2' }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toContain('WEB_CONCURRENCY=2 needs PostgreSQL (DATABASE_URL)');
  });
});
