import http from 'node:http';
import { fileURLToPath } from 'node:url';
import next from 'next';
import { getEnv, publicUrl, resetEnvCache, type Env } from '@/env';
import { resolveAuthSecret } from '@/server/auth/auth-secret';
import { getAuth } from '@/server/auth/auth';
import { closeDb, getDbHandle, type DbHandle } from '@/server/db/client';
import { updateLock } from '@/server/db/data-dir-lock';
import { migrate } from '@/server/db/migrate';
import { isLocalCliClient, LOCAL_CLIENT_HEADER, loopbackUrl } from '@/server/cli/cli-access';
import { issueCliToken } from '@/server/cli/cli-token';
import { sanitizeStoredHtml } from '@/server/jobs/definitions/mail.sanitize-html';
import { startRuntime, stopRuntime } from '@/server/runtime';
import { DEMO_PASSWORD, demoPolicy, ensureDemoUser, type DemoUser } from './demo';
import { SECURITY_HEADERS } from './security-headers';
import { clientAddress } from './client-address';
import { refuseCrossOrigin } from './cross-origin';
import { isUploadPath, MAX_REQUEST_BODY_BYTES, refuseOversizedBody } from './request-body-limit';
import { serveFetch } from './serve-fetch';

const PROJECT_ROOT = fileURLToPath(new URL('../../..', import.meta.url));

export type StartOptions = {
  dev?: boolean;
  port?: number;
  host?: string;
  quiet?: boolean;
  /**
   * One of several web processes (web-cluster.ts): the primary has migrated and loaded the
   * demo, and prints the URL.
   */
  clusterWorker?: boolean;
};

/**
 * The web process: opens (and, embedded, locks) the database, migrates, then serves Next.js
 * from this process so the app's route handlers share its single database handle.
 */
export async function startAppServer(options: StartOptions = {}) {
  const { env, port, host } = serverEnv(options);
  const handle = await getDbHandle();
  const demo = options.clusterWorker ? null : await prepareDatabase(handle, env, host);
  // Embedded: this process is the only one on the database, so it runs the jobs too.
  const runtime = await startRuntime(handle.driver === 'pglite' ? 'worker' : 'producer');
  // HTML stored before it was sanitised at ingest is made safe by a job (on a parse worker).
  if (!options.clusterWorker) await sanitizeStoredHtml(handle.db, runtime.queue);

  const app = next({ dev: options.dev ?? false, dir: PROJECT_ROOT, hostname: host, port });
  await app.prepare();
  const handleRequest = app.getRequestHandler();
  const trustProxy = env.TRUST_PROXY === '1';
  const api = options.dev ? null : await apiHandler();
  const url = publicUrl({ ...env, PORT: port });
  const appOrigin = new URL(url).origin;

  const server = http.createServer((req, res) => {
    // Only this server says a request came from a CLI on this machine (read before the
    // forwarding headers are rewritten below).
    if (isLocalCliClient(req)) req.headers[LOCAL_CLIENT_HEADER] = '1';
    else delete req.headers[LOCAL_CLIENT_HEADER];
    // Rate limits and sessions key on the client address: one, the socket's or the trusted
    // proxy's last hop (never what the client wrote into X-Forwarded-For).
    req.headers['x-forwarded-for'] = clientAddress(req, trustProxy);
    // One body limit for every route, checked before anything reads the body; uploads stream
    // to disk under their own.
    if (!isUploadPath(req.url) && refuseOversizedBody(req, res, MAX_REQUEST_BODY_BYTES)) return;
    // No change from another origin (cookies ride along from any page of the same site).
    if (refuseCrossOrigin(req, res, appOrigin, { drainUpTo: MAX_REQUEST_BODY_BYTES })) return;
    const answered = api && isApiPath(req.url) ? api(req, res) : handleRequest(req, res);
    answered.catch((err: unknown) => {
      console.error('[http] unhandled error:', err);
      if (!res.headersSent) res.writeHead(500).end('Internal error');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });

  // The CLI reaches the server over loopback (/api/cli answers nothing else), not the public URL.
  if (handle.dataDir)
    updateLock(handle.dataDir, {
      url,
      cliUrl: loopbackUrl(host, port) ?? undefined,
      token: issueCliToken(),
    });

  if (!options.quiet) printReady(url, describeDb(handle), demo);

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

/** The environment a web server starts from, the auth secret fixed first (Next's modules read it). */
export function serverEnv(options: StartOptions) {
  process.env.BETTER_AUTH_SECRET ??= resolveAuthSecret(getEnv());
  resetEnvCache();
  const env = getEnv();
  return { env, port: options.port ?? env.PORT, host: options.host ?? env.HOST };
}

/** Once per start, before serving: migrations, and the demo user on an empty database. */
export async function prepareDatabase(handle: DbHandle, env: Env, host: string) {
  await migrate(handle);
  const demo = demoPolicy(env, host);
  return demo.create
    ? ensureDemoUser(handle, await getAuth(), { published: demo.published })
    : null;
}

/**
 * The tRPC API, answered here rather than through Next.js in production: the same handler as
 * app/api/trpc/[trpc]/route.ts (which development mode and Next itself still serve), without
 * Next's per-request routing and response plumbing: about 2.5 ms of CPU less per call (a
 * contact-list page 6.2 -> 3.5 ms, a contact page's batch 5.9 -> 4.1 ms).
 */
async function apiHandler() {
  const [{ handleTrpcRequest }, { createRequestContext }] = await Promise.all([
    import('@/server/api/http-handler'),
    import('@/server/api/context'),
  ]);
  return (req: http.IncomingMessage, res: http.ServerResponse) =>
    serveFetch(
      req,
      res,
      (request) => handleTrpcRequest(request, () => createRequestContext(request.headers)),
      { headers: SECURITY_HEADERS, maxBodyBytes: MAX_REQUEST_BODY_BYTES },
    );
}

const isApiPath = (url = '') => /^\/api\/trpc(\/|\?|$)/.test(url);

/** What `npm start` prints once the app answers (the e2e harness waits for its first line). */
export function printReady(url: string, database: string, demo: DemoUser | null) {
  console.log(`\nRapport is running at ${url}  (database: ${database})`);
  if (demo?.summary) {
    console.log(
      `Demo mailbox loaded: ${demo.summary.stored} messages, ${demo.summary.contactsCreated} contacts.`,
    );
  }
  if (demo?.password && demo.password !== DEMO_PASSWORD)
    console.log(
      `Demo sign-in: ${demo.email} / ${demo.password}  (a random password, shown this once: this server is reachable from other machines)`,
    );
  else if (demo?.password) console.log(`Demo sign-in: ${demo.email} / ${demo.password}`);
  else if (demo)
    console.log(
      `Demo user: ${demo.email} (its password was shown when it was made; \`rapport users set-password --email ${demo.email}\` sets another)`,
    );
  console.log('Press Ctrl+C to stop.\n');
}

function describeDb(handle: Awaited<ReturnType<typeof getDbHandle>>) {
  return handle.driver === 'pglite' ? `embedded PGlite in ${handle.dataDir}` : 'PostgreSQL';
}
