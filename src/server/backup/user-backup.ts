import fs from 'node:fs';
import readline from 'node:readline';
import { sql } from 'drizzle-orm';
import { rowsOf, type Db } from '@/server/db/client';
import { AppError } from '@/server/errors/app-error';

/**
 * One user's whole data as JSON Lines, and back.
 *
 * Line 1 is a header (`format`, `version`, the user), then one line per row
 * (`{"t": table, "r": row}`) table by table in an order that restores without breaking a
 * foreign key, and a last line with the row count of every table, so a cut-off file is refused
 * rather than half restored. Rows are Postgres's own JSON of each row (`to_jsonb`), read back
 * with `jsonb_populate_recordset`, so every column type (timestamps, arrays, jsonb, bytea)
 * round-trips exactly. Columns computed by the database (the emails' search vector) are left out
 * and recomputed on restore; event ids are given anew (the log is global and ordered, and a
 * restored user's events keep their order).
 *
 * Not in a backup: sign-in sessions (everyone signs in again after a restore), rate-limit
 * counters and queued jobs. OAuth tokens stay encrypted with the deployment's
 * BETTER_AUTH_SECRET: restored elsewhere with another secret, Gmail asks to be reconnected.
 */
export const BACKUP_FORMAT = 'rapport-backup';
export const BACKUP_VERSION = 1;

/** Every table holding a user's data, parents before children. */
export const BACKUP_TABLES = [
  'users',
  'accounts',
  'mail_accounts',
  'contacts',
  'contact_emails',
  'contact_merges',
  'duplicate_dismissals',
  'sender_rules',
  'emails',
  'thread_participants',
  'interactions',
  'contact_stats',
  'enrichments',
  'import_errors',
  'events',
] as const;
export type BackupTable = (typeof BACKUP_TABLES)[number];

/** User-scoped tables deliberately left out, with why (the completeness test reads this). */
export const NOT_BACKED_UP: Record<string, string> = {
  sessions: 'sign-in sessions: a restored user signs in again',
  duplicate_suggestions: 'the duplicate review queue: found again from the contacts',
  duplicate_scans: 'what the duplicate queue was found from: a restored user is scanned anew',
};

/** Columns a restore must not write: computed by the database, or given anew. */
const SKIP: Partial<Record<BackupTable, string[]>> = { events: ['id'] };

type Header = {
  format: typeof BACKUP_FORMAT;
  version: number;
  exportedAt: string;
  user: { id: string; email: string };
};
type RowLine = { t: BackupTable; r: Record<string, unknown> };
type EndLine = { end: true; counts: Record<string, number> };

const PAGE = 2000;

async function generatedColumns(db: Db, table: string): Promise<string[]> {
  const rows = rowsOf<{ column_name: string }>(
    await db.execute(sql`
      SELECT column_name FROM information_schema.columns
       WHERE table_schema = current_schema() AND table_name = ${table} AND is_generated = 'ALWAYS'`),
  );
  return rows.map((r) => r.column_name);
}

async function writeLine(out: NodeJS.WritableStream, value: unknown) {
  if (!out.write(JSON.stringify(value) + '\n')) {
    await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
}

/**
 * Writes the user's data to `out` from one consistent snapshot (a repeatable-read transaction),
 * page by page, never the whole mailbox in memory. Returns the row counts.
 */
export async function exportUserData(
  db: Db,
  userId: string,
  out: NodeJS.WritableStream,
): Promise<Record<BackupTable, number>> {
  return db.transaction(
    async (tx) => {
      const [owner] = rowsOf<{ id: string; email: string }>(
        await tx.execute(sql`SELECT id, email FROM users WHERE id = ${userId}`),
      );
      if (!owner) throw new AppError('NOT_FOUND', 'No such user');
      const header: Header = {
        format: BACKUP_FORMAT,
        version: BACKUP_VERSION,
        exportedAt: new Date().toISOString(),
        user: owner,
      };
      await writeLine(out, header);
      const counts = {} as Record<BackupTable, number>;
      for (const table of BACKUP_TABLES) {
        const drop = [
          ...(await generatedColumns(tx as unknown as Db, table)),
          ...(SKIP[table] ?? []),
        ];
        const scope = table === 'users' ? sql`id = ${userId}` : sql`user_id = ${userId}`;
        // Rows in physical order, paged on ctid: stable inside this snapshot, no sort needed.
        let after = '(0,0)';
        let n = 0;
        for (;;) {
          const page = rowsOf<{ ctid: string; r: Record<string, unknown> }>(
            await tx.execute(sql`
              SELECT ctid::text AS ctid, to_jsonb(t) AS r FROM ${sql.identifier(table)} t
               WHERE ${scope} AND ctid > ${after}::tid
               ORDER BY ctid LIMIT ${PAGE}`),
          );
          for (const { r } of page) {
            for (const c of drop) delete r[c];
            await writeLine(out, { t: table, r } satisfies RowLine);
          }
          n += page.length;
          if (page.length < PAGE) break;
          after = page[page.length - 1]!.ctid;
        }
        counts[table] = n;
      }
      await writeLine(out, { end: true, counts } satisfies EndLine);
      return counts;
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}

export type RestoreResult = { user: { id: string; email: string }; counts: Record<string, number> };

async function insertBatch(db: Db, table: BackupTable, rows: Record<string, unknown>[]) {
  const columns = Object.keys(rows[0]!);
  const list = sql.join(
    columns.map((c) => sql.identifier(c)),
    sql`, `,
  );
  await db.execute(sql`
    INSERT INTO ${sql.identifier(table)} (${list}) OVERRIDING SYSTEM VALUE
    SELECT ${list} FROM jsonb_populate_recordset(NULL::${sql.identifier(table)}, ${JSON.stringify(rows)}::jsonb)`);
}

function bad(line: number, why: string): never {
  throw new AppError('INVALID_INPUT', `Not a usable Rapport backup (line ${line}): ${why}`);
}

/**
 * Restores a backup written by `exportUserData`, all or nothing (one transaction). The user must
 * not exist yet, unless `replace` is set: then their current data is deleted first, in the same
 * transaction. A damaged or cut-off file changes nothing and says which line is wrong.
 */
export async function restoreUserData(
  db: Db,
  file: string,
  options: { replace?: boolean } = {},
): Promise<RestoreResult> {
  if (!fs.existsSync(file)) throw new AppError('INVALID_INPUT', `No such file: ${file}`);
  return db.transaction(async (tx) => {
    const lines = readline.createInterface({
      input: fs.createReadStream(file, { encoding: 'utf8' }),
      crlfDelay: Infinity,
    });
    let lineNo = 0;
    let header: Header | null = null;
    let end: EndLine | null = null;
    const counts: Record<string, number> = {};
    let table: BackupTable | null = null;
    let batch: Record<string, unknown>[] = [];
    const flush = async () => {
      if (table && batch.length) await insertBatch(tx as unknown as Db, table, batch);
      batch = [];
    };
    const order = new Map<string, number>(BACKUP_TABLES.map((t, i) => [t, i]));

    for await (const text of lines) {
      lineNo++;
      if (!text.trim()) continue;
      if (end) bad(lineNo, 'data after the end line');
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        bad(lineNo, 'not JSON');
      }
      if (!header) {
        const h = value as Partial<Header>;
        if (h?.format !== BACKUP_FORMAT) bad(lineNo, 'no Rapport backup header');
        if (h.version !== BACKUP_VERSION)
          bad(lineNo, `version ${String(h.version)}; this Rapport reads ${BACKUP_VERSION}`);
        if (!h.user?.id || !h.user.email) bad(lineNo, 'the header names no user');
        header = h as Header;
        const [existing] = rowsOf<{ id: string }>(
          await tx.execute(
            sql`SELECT id FROM users WHERE id = ${header.user.id} OR lower(email) = lower(${header.user.email})`,
          ),
        );
        if (existing) {
          if (!options.replace)
            throw new AppError(
              'CONFLICT',
              `${header.user.email} already exists here: restore with --replace to overwrite their data`,
            );
          await tx.execute(sql`DELETE FROM users WHERE id = ${existing.id}`);
          const [jobs] = rowsOf<{ t: string | null }>(
            await tx.execute(sql`SELECT to_regclass('pgboss.job')::text AS t`),
          );
          if (jobs?.t)
            await tx.execute(
              sql`DELETE FROM pgboss.job WHERE data->>'userId' = ${existing.id} AND state IN ('created', 'retry')`,
            );
        }
        continue;
      }
      if ((value as EndLine).end === true) {
        await flush();
        end = value as EndLine;
        continue;
      }
      const { t, r } = value as Partial<RowLine>;
      if (!t || !order.has(t) || !r || typeof r !== 'object')
        bad(lineNo, 'not a row of a known table');
      if (table !== t) {
        if (table && order.get(t)! < order.get(table)!) bad(lineNo, `${t} rows after ${table}`);
        await flush();
        table = t;
      }
      const owner = t === 'users' ? r.id : r.user_id;
      if (owner !== header.user.id) bad(lineNo, 'a row of another user');
      batch.push(r);
      counts[t] = (counts[t] ?? 0) + 1;
      if (batch.length >= 500) await flush();
    }
    if (!header) bad(lineNo, 'the file is empty');
    if (!end) bad(lineNo, 'the file is cut off (no end line)');
    for (const t of BACKUP_TABLES) {
      if ((end.counts[t] ?? 0) !== (counts[t] ?? 0))
        bad(
          lineNo,
          `${t}: the end line says ${end.counts[t] ?? 0} rows, the file holds ${counts[t] ?? 0}`,
        );
    }
    if (!counts.users) bad(lineNo, 'no user row');
    return { user: header.user, counts };
  });
}
