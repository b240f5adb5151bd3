import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { getEnv } from '@/env';
import * as schema from './schema';
import { acquireLock, releaseLock } from './data-dir-lock';
import { makePrivateDir, restrictTree } from './private-files';

export type Schema = typeof schema;
/** One type above both drivers: the code above this file never knows which one it runs on. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;

export type DbDriver = 'pglite' | 'postgres';

export type DbHandle = {
  db: Db;
  driver: DbDriver;
  /** Raw SQL with parameters, returning rows (used by pg-boss and LISTEN plumbing). */
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  pglite?: PGlite;
  pool?: pg.Pool;
  /** PostgreSQL: for processes that need a connection of their own (LISTEN, pg-boss). */
  connectionString?: string;
  dataDir?: string;
  close(): Promise<void>;
};

export type OpenDbOptions =
  | { driver: 'pglite'; dataDir?: string; lock?: boolean }
  | { driver: 'postgres'; url: string; poolSize?: number };

export async function openDb(options: OpenDbOptions): Promise<DbHandle> {
  if (options.driver === 'postgres') {
    const pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize ?? 10,
      application_name: 'rapport',
    });
    // An idle client losing its server must not crash the process; the pool replaces it.
    pool.on('error', (err) => console.error('[db] idle PostgreSQL client error:', err.message));
    const db = drizzlePg({ client: pool, schema, casing: 'snake_case' }) as unknown as Db;
    return {
      db,
      driver: 'postgres',
      pool,
      connectionString: options.url,
      query: async (text, params) => (await pool.query(text, params)).rows,
      close: () => pool.end(),
    };
  }
  const dataDir = options.dataDir ? path.resolve(options.dataDir) : undefined;
  if (dataDir && options.lock !== false) acquireLock(dataDir);
  if (dataDir) makePrivateDir(dataDir);
  let pglite: PGlite;
  try {
    // pg_trgm: the contacts' substring-search indexes (migration 0006).
    pglite = await PGlite.create(dataDir, { extensions: { pg_trgm } });
  } catch (err) {
    if (dataDir) releaseLock(dataDir);
    throw err;
  }
  if (dataDir) restrictTree(dataDir);
  const db = drizzlePglite({ client: pglite, schema, casing: 'snake_case' }) as unknown as Db;
  return {
    db,
    driver: 'pglite',
    pglite,
    dataDir,
    query: async (text, params) => (await pglite.query(text, params)).rows as never,
    close: async () => {
      await pglite.close();
      if (dataDir) {
        // Files PGlite made while it ran are 0666 (inside 0700 directories): theirs alone too.
        restrictTree(dataDir);
        releaseLock(dataDir);
      }
    },
  };
}

// The handle lives on globalThis: the custom server and Next's bundled route handlers load
// separate copies of this module, and both must share the single PGlite instance.
const GLOBAL_KEY = Symbol.for('rapport.db');
type Global = { [GLOBAL_KEY]?: Promise<DbHandle> };

/** The process-wide database, opened on first use (never at import time). */
export function getDbHandle(): Promise<DbHandle> {
  const g = globalThis as Global;
  if (!g[GLOBAL_KEY]) {
    const env = getEnv();
    g[GLOBAL_KEY] = openDb(
      env.DATABASE_URL
        ? { driver: 'postgres', url: env.DATABASE_URL, poolSize: env.DATABASE_POOL_SIZE }
        : { driver: 'pglite', dataDir: env.RAPPORT_DATA_DIR },
    );
    g[GLOBAL_KEY].catch(() => delete g[GLOBAL_KEY]);
  }
  return g[GLOBAL_KEY];
}

export async function getDb(): Promise<Db> {
  return (await getDbHandle()).db;
}

export async function closeDb() {
  const g = globalThis as Global;
  const handle = g[GLOBAL_KEY];
  delete g[GLOBAL_KEY];
  if (handle) await (await handle).close();
}

/** Rows of a `db.execute()` result on either driver. */
export function rowsOf<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}
