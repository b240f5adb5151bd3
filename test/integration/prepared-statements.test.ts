import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { user } from '@/server/db/schema';
import { describeEachDriver } from '../support/test-db';

describeEachDriver(
  'Repeated queries as named prepared statements',
  (db) => {
    /** This file's statements (tagged) that the connection holds prepared. */
    const prepared = async (client: { query: (t: string) => Promise<{ rows: unknown[] }> }) =>
      (await client.query('SELECT statement FROM pg_prepared_statements')).rows
        .map((r) => (r as { statement: string }).statement)
        .filter((s) => s.includes('prepared-test'));

    it('prepares a parameterised query on its second run, with the same results each time', async () => {
      const client = await db().pool!.connect();
      try {
        const text = 'SELECT $1::int * 2 AS n /* prepared-test */';
        for (const [i, n] of [3, 4, 5, 6].entries()) {
          const { rows } = await client.query(text, [n]);
          expect(rows).toEqual([{ n: n * 2 }]);
          expect(await prepared(client)).toHaveLength(i === 0 ? 0 : 1);
        }
        // The config form (drizzle's) shares the name; unparameterised queries stay unnamed.
        const { rows } = await client.query({ text, values: [10] });
        expect(rows).toEqual([{ n: 20 }]);
        for (let i = 0; i < 3; i++) await client.query('SELECT 1 AS one /* prepared-test */');
        expect(await prepared(client)).toEqual([text]);
      } finally {
        client.release();
      }
    });

    it('a failing statement keeps failing plainly, and the connection goes on working', async () => {
      const client = await db().pool!.connect();
      try {
        for (let i = 0; i < 3; i++)
          await expect(client.query('SELECT $1::int / 0 AS n', [i])).rejects.toThrow(
            /division by zero/,
          );
        for (let i = 0; i < 3; i++)
          await expect(client.query('SELECT nope FROM $1', [i])).rejects.toThrow(/syntax/);
        expect((await client.query('SELECT $1::int + 1 AS n', [1])).rows).toEqual([{ n: 2 }]);
      } finally {
        client.release();
      }
    });

    it('drizzle queries over the pool give the same rows named or not', async () => {
      const id = crypto.randomUUID();
      await db()
        .db.insert(user)
        .values({ id, name: 'Prepared', email: `${id}@example.com` });
      for (let i = 0; i < 12; i++) {
        const [row] = await db().db.select().from(user).where(eq(user.id, id));
        expect(row?.email).toBe(`${id}@example.com`);
      }
      const [none] = await db().db.select().from(user).where(eq(user.id, crypto.randomUUID()));
      expect(none).toBeUndefined();
    });
  },
  'postgres',
);
