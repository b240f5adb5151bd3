import http from 'node:http';
import { fileURLToPath } from 'node:url';
import next from 'next';
import { getEnv, publicUrl, resetEnvCache } from '@/env';
import { resolveAuthSecret } from '@/server/auth/auth-secret';
import { getAuth } from '@/server/auth/auth';
import { closeDb, getDbHandle } from '@/server/db/client';
import { updateLock } from '@/server/db/data-dir-lock';
import { migrate } from '@/server/db/migrate';
import { issueCliToken } from '@/server/cli/cli-token';
import { startRuntime, stopRuntime } from '@/server/runtime';
import { ensureDemoUser } from './demo';

const PROJECT_ROOT = fileURLToPath(new URL('../../..', import.meta.url));

export type StartOptions = { dev?: boolean; port?: number; host?: string; quiet?: boolean };

/**
 * The web process: opens (and, embedded, locks) the database, migrates, then serves Next.js
 * from this process so the app's route handlers share its single database handle.
 */
export async function startAppServer(options: StartOptions = {}) {
  // Fix the auth secret before Next's modules read the environment.
  process.env.BETTER_AUTH_SECRET ??= resolveAuthSecret(getEnv());
  resetEnvCache();
  const env = getEnv();
  const port = options.port ?? env.PORT;
  const host = options.host ?? env.HOST;

  const handle = await getDbHandle();
  await migrate(handle);
  // Embedded: this process is the only one on the database, so it runs the jobs too.
  await startRuntime(handle.driver === 'pglite' ? 'worker' : 'producer');
  const demo = env.RAPPORT_DEMO === '1' ? await ensureDemoUser(handle, await getAuth()) : null;

  const app = next({ dev: options.dev ?? false, dir: PROJECT_ROOT, hostname: host, port });
  await app.prepare();
  const handleRequest = app.getRequestHandler();
  const trustProxy = env.TRUST_PROXY === '1';

  const server = http.createServer((req, res) => {
    // Rate limits key on the client address: take it from the socket unless a trusted proxy sets it.
    if (!trustProxy) req.headers['x-forwarded-for'] = req.socket.remoteAddress ?? 'unknown';
    handleRequest(req, res).catch((err: unknown) => {
      console.error('[http] unhandled error:', err);
      if (!res.headersSent) res.writeHead(500).end('Internal error');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });

  const url = publicUrl({ ...env, PORT: port });
  if (handle.dataDir) updateLock(handle.dataDir, { url, token: issueCliToken() });

  if (!options.quiet) {
    console.log(`\nRapport is running at ${url}  (database: ${describeDb(handle)})`);
    if (demo?.summary) {
      console.log(
        `Demo mailbox loaded: ${demo.summary.stored} messages, ${demo.summary.contactsCreated} contacts.`,
      );
    }
    if (demo) console.log(`Demo sign-in: ${demo.email} / ${demo.password}`);
    console.log('Press Ctrl+C to stop.\n');
  }

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await app.close();
      await stopRuntime();
      await closeDb();
    })());
  return { url, server, stop };
}

function describeDb(handle: Awaited<ReturnType<typeof getDbHandle>>) {
  return handle.driver === 'pglite' ? `embedded PGlite in ${handle.dataDir}` : 'PostgreSQL';
}
