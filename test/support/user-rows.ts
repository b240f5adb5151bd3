import { sql } from 'drizzle-orm';
import { BACKUP_TABLES } from '@/server/backup/user-backup';
import { rowsOf, type Db } from '@/server/db/client';

/**
 * Every row of one user, table by table (every table a backup holds), as PostgreSQL's JSON of
 * each row, sorted: two snapshots are equal when nothing of the user's changed. `omit` leaves
 * columns out (those a restore gives anew, say).
 */
export async function userRows(
  db: Db,
  userId: string,
  omit: Partial<Record<(typeof BACKUP_TABLES)[number], string[]>> = {},
): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const table of BACKUP_TABLES) {
    const scope = table === 'users' ? sql`id = ${userId}` : sql`user_id = ${userId}`;
    const minus = sql.raw(
      (omit[table] ?? []).map((c) => ` - '${c.replaceAll("'", "''")}'`).join(''),
    );
    const rows = rowsOf<{ r: unknown }>(
      await db.execute(
        sql`SELECT (to_jsonb(t)${minus})::text AS r FROM ${sql.identifier(table)} t WHERE ${scope}`,
      ),
    );
    out[table] = rows.map((x) => String(x.r)).sort();
  }
  return out;
}
