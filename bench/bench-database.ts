import crypto from 'node:crypto';
import pg from 'pg';
import { openDb, type DbHandle } from '@/server/db/client';
import { migrate } from '@/server/db/migrate';

export const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export type BenchDatabase = { name: string; url: string; handle: DbHandle; drop(): Promise<void> };

/** A PostgreSQL database of the benchmark's own, created here and dropped by `drop()`. */
export async function createBenchDatabase(
  options: { migrate?: boolean } = {},
): Promise<BenchDatabase> {
  const name = `rapport_bench_${crypto.randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = Object.assign(new URL(ADMIN_URL), { pathname: `/${name}` }).toString();
  const handle = await openDb({ driver: 'postgres', url, poolSize: 4 });
  if (options.migrate !== false) await migrate(handle);
  return {
    name,
    url,
    handle,
    async drop() {
      await handle.close();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}
