import { sql } from 'drizzle-orm';
import { rowsOf, type Db } from '@/server/db/client';
import { AppError } from '@/server/errors/app-error';

/**
 * What a restore checks beyond the file's own shape: a backup file is input like any other (a
 * user may hand the operator one, or edit theirs), so it may write only the tables' own
 * columns, only for the user it names, and nothing of it may point at another user's rows.
 */

/** The columns a restore may write per table: the table's own, less computed and skipped ones. */
export async function writableColumns(
  db: Db,
  tables: readonly string[],
  skip: Record<string, string[]>,
) {
  const rows = rowsOf<{ table_name: string; column_name: string; is_generated: string }>(
    await db.execute(sql`
      SELECT table_name, column_name, is_generated FROM information_schema.columns
       WHERE table_schema = current_schema() AND table_name = ANY(${sql.param([...tables])}::text[])`),
  );
  const out = new Map<string, Set<string>>(tables.map((t) => [t, new Set()]));
  for (const r of rows)
    if (r.is_generated !== 'ALWAYS' && !(skip[r.table_name] ?? []).includes(r.column_name))
      out.get(r.table_name)!.add(r.column_name);
  return out;
}

/**
 * Which user a file may restore over: the one its id and address both name here, or none.
 * An id of one user with the address of another (or an address here under another id) is
 * refused: overwriting either would hand one person's account to the other's data.
 */
export async function existingUser(db: Db, header: { id: string; email: string }) {
  const [byId] = rowsOf<{ id: string; email: string }>(
    await db.execute(sql`SELECT id, email FROM users WHERE id = ${header.id}`),
  );
  const [byEmail] = rowsOf<{ id: string; email: string }>(
    await db.execute(sql`SELECT id, email FROM users WHERE lower(email) = lower(${header.email})`),
  );
  if ((byId?.id ?? null) !== (byEmail?.id ?? null))
    throw new AppError(
      'CONFLICT',
      `The file's user (id ${header.id}, ${header.email}) and this database's belong to different users here` +
        (byId ? `: that id is ${byId.email}'s` : `: ${header.email} has another id`),
    );
  return byId ?? null;
}

type ForeignKey = { child: string; col: string; parent: string; pcol: string };

async function foreignKeys(db: Db, tables: readonly string[]): Promise<ForeignKey[]> {
  return rowsOf<ForeignKey>(
    await db.execute(sql`
      SELECT ch.relname AS child, a.attname AS col, pa.relname AS parent, pk.attname AS pcol
        FROM pg_constraint k
        JOIN pg_class ch ON ch.oid = k.conrelid
        JOIN pg_class pa ON pa.oid = k.confrelid
        JOIN pg_namespace n ON n.oid = ch.relnamespace
        JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1]
        JOIN pg_attribute pk ON pk.attrelid = k.confrelid AND pk.attnum = k.confkey[1]
       WHERE k.contype = 'f' AND cardinality(k.conkey) = 1 AND n.nspname = current_schema()
         AND ch.relname = ANY(${sql.param([...tables])}::text[])`),
  );
}

/**
 * After the rows are in (same transaction): every foreign key of the restored user's rows
 * lands on a row of theirs. The database checks that the row exists; only this checks whose
 * it is (an interaction of theirs naming another user's email would show them that email).
 */
export async function assertOwnReferences(db: Db, userId: string, tables: readonly string[]) {
  const withUser = new Set(
    rowsOf<{ table_name: string }>(
      await db.execute(sql`
        SELECT table_name FROM information_schema.columns
         WHERE table_schema = current_schema() AND column_name = 'user_id'`),
    ).map((r) => r.table_name),
  );
  for (const fk of await foreignKeys(db, tables)) {
    if (!withUser.has(fk.child)) continue;
    const ch = sql.identifier(fk.child);
    const col = sql.identifier(fk.col);
    const query =
      fk.parent === 'users'
        ? sql`SELECT count(*)::int AS n FROM ${ch} c WHERE c.user_id = ${userId} AND c.${col} <> ${userId}`
        : withUser.has(fk.parent)
          ? sql`SELECT count(*)::int AS n FROM ${ch} c JOIN ${sql.identifier(fk.parent)} p
                  ON p.${sql.identifier(fk.pcol)} = c.${col}
                 WHERE c.user_id = ${userId} AND p.user_id IS DISTINCT FROM ${userId}`
          : null;
    if (!query) continue;
    const [row] = rowsOf<{ n: number }>(await db.execute(query));
    if (row && row.n > 0)
      throw new AppError(
        'INVALID_INPUT',
        `Not a usable Rapport backup: ${row.n} ${fk.child} row(s) of the file refer through ${fk.child}.${fk.col} to rows of another user`,
      );
  }
}
