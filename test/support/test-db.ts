import crypto from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import { openDb, type DbDriver, type DbHandle } from '@/server/db/client';
import { migrate } from '@/server/db/migrate';

/** PGlite always; PostgreSQL too when DATABASE_URL points at a server (CI sets it). */
export function testDrivers(): DbDriver[] {
  return process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
}

export type TestDatabase = { handle: DbHandle; url?: string; drop(): Promise<void> };

function withDatabase(url: string, database: string) {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** A fresh, migrated database of its own for one test file: created here, dropped after. */
export async function createTestDatabase(driver: DbDriver): Promise<TestDatabase> {
  if (driver === 'pglite') {
    const handle = await openDb({ driver: 'pglite' });
    await migrate(handle);
    return { handle, drop: () => handle.close() };
  }
  const adminUrl = process.env.DATABASE_URL!;
  const name = `rapport_test_${crypto.randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = withDatabase(adminUrl, name);
  const handle = await openDb({ driver: 'postgres', url, poolSize: 5 });
  await migrate(handle);
  return {
    handle,
    url,
    async drop() {
      await handle.close();
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/**
 * Registers the suite once per driver, each with its own fresh database. `only` narrows it to
 * what the suite is about (PostgreSQL-only behaviour is registered only when a server is given).
 */
export function describeEachDriver(
  name: string,
  suite: (db: () => DbHandle) => void,
  only?: DbDriver,
) {
  const drivers = testDrivers().filter((d) => !only || d === only);
  // Said, not hidden: without a PostgreSQL server a PostgreSQL-only suite shows as skipped.
  if (drivers.length === 0) describe.skip(`${name} [${only}: set DATABASE_URL to run]`, () => {});
  for (const driver of drivers) {
    describe(`${name} [${driver}]`, () => {
      let testDb: TestDatabase | undefined;
      beforeAll(async () => {
        testDb = await createTestDatabase(driver);
      });
      afterAll(async () => {
        await testDb?.drop();
      });
      suite(() => {
        if (!testDb) throw new Error('test database not ready');
        return testDb.handle;
      });
    });
  }
}
