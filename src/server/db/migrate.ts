import { fileURLToPath } from 'node:url';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import type { DbHandle } from './client';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../drizzle', import.meta.url));

// Any constant works; it only has to be the same in every Rapport process.
const MIGRATION_LOCK_KEY = 727_274_001;

/**
 * Applies the committed drizzle-kit migrations. On PostgreSQL several processes may start at
 * once, so the run is serialised with an advisory lock on one dedicated connection.
 */
export async function migrate(handle: DbHandle) {
  if (handle.driver === 'pglite') {
    await migratePglite(drizzlePglite({ client: handle.pglite! }), {
      migrationsFolder: MIGRATIONS_DIR,
    });
    return;
  }
  const client = await handle.pool!.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    // Quiet the NOTICEs ("schema already exists, skipping") of re-runs.
    await client.query('SET client_min_messages TO warning');
    await migratePg(drizzlePg({ client }), { migrationsFolder: MIGRATIONS_DIR });
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => {});
    client.release();
  }
}
