import { getEnv } from '@/env';
import { closeDb, getDbHandle } from '@/server/db/client';
import { migrate } from '@/server/db/migrate';

/** `rapport worker`: a standalone job process sharing PostgreSQL with the web processes. */
export async function runWorker() {
  const env = getEnv();
  if (!env.DATABASE_URL) {
    throw new Error(
      'rapport worker needs DATABASE_URL (PostgreSQL). With the embedded database the web server runs the jobs in-process: use `npm start`.',
    );
  }
  const handle = await getDbHandle();
  await migrate(handle);
  console.log('Worker connected to PostgreSQL; waiting for jobs. Ctrl+C to stop.');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await closeDb();
}
