import type { PGlite } from '@electric-sql/pglite';

/**
 * pg-boss's `db` option over PGlite: parameterised statements go through `query`; its
 * multi-statement plans (schema install, maintenance) through `exec`, which returns one result
 * per statement, as node-postgres does for a multi-statement query.
 */
export function pgliteBossAdapter(pglite: PGlite) {
  return {
    async executeSql(text: string, values?: unknown[]) {
      if (values && values.length > 0) return pglite.query(text, values);
      const results = await pglite.exec(text);
      return results.length === 1 ? results[0]! : (results as unknown as { rows: unknown[] });
    },
  };
}
