import fs from 'node:fs';
import readline from 'node:readline';
import { sql } from 'drizzle-orm';
import { rowsOf, type Db } from '@/server/db/client';
import { AppError } from '@/server/errors/app-error';
import { assertOwnReferences, existingUser, writableColumns } from './restore-checks';

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
  invites: 'sign-up invitations: single-use links, made again if still wanted',
  assistant_results: 'the model’s kept answers about contacts: asked again when next needed',
  duplicate_suggestions: 'the duplicate review queue: found again from the contacts',
  duplicate_scans: 'what the duplicate queue was found from: a restored user is scanned anew',
};

/** Columns a restore must not write: computed by the database, or given anew. */
const SKIP: Record<string, string[]> = { events: ['id'] };

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

export type RestoreResult = {
  user: { id: string; email: string };
  counts: Record<string, number>;
  /** What was deliberately not restored, and what the operator does about it. */
  notes: string[];
};

export type RestoreOptions = {
  /** The file's user exists here: delete their data and restore the file's. Needs `user`. */
  replace?: boolean;
  /** The address the file must hold (required with `replace`): the operator names whom it overwrites. */
  user?: string;
  /**
   * Keep the file's sign-in secrets — password hash, Google sign-in links and their tokens —
   * and its email verification. Only for a file the operator trusts (their own export): by
   * default whoever wrote the file cannot choose how the restored account is signed into.
   */
  trustCredentials?: boolean;
};

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
 * transaction. A damaged, cut-off or tampered file changes nothing and says what is wrong:
 * columns a table does not have (or the database computes), rows of another user, a users row
 * that is not the header's, references to another user's rows, an id and address that are two
 * different users here. Sign-in secrets stay behind unless `trustCredentials`.
 */
export async function restoreUserData(
  db: Db,
  file: string,
  options: RestoreOptions = {},
): Promise<RestoreResult> {
  if (!fs.existsSync(file)) throw new AppError('INVALID_INPUT', `No such file: ${file}`);
  if (options.replace && !options.user)
    throw new AppError(
      'INVALID_INPUT',
      '--replace needs --user EMAIL: the user whose data the file replaces',
    );
  return db.transaction(async (tx) => {
    const tdb = tx as unknown as Db;
    // Before the file is opened: lines read while nothing iterates them yet would be lost.
    const writable = await writableColumns(tdb, BACKUP_TABLES, SKIP);
    const lines = readline.createInterface({
      input: fs.createReadStream(file, { encoding: 'utf8' }),
      crlfDelay: Infinity,
    });
    let lineNo = 0;
    let header: Header | null = null;
    let end: EndLine | null = null;
    const counts: Record<string, number> = {};
    const notes: string[] = [];
    let table: BackupTable | null = null;
    let batch: Record<string, unknown>[] = [];
    const flush = async () => {
      if (table && batch.length) await insertBatch(tdb, table, batch);
      batch = [];
    };
    /** Sign-in rows left behind (trustCredentials off): the Gmail accounts they backed reconnect. */
    const dropped = new Set<unknown>();
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
        if (options.user && options.user.toLowerCase() !== header.user.email.toLowerCase())
          throw new AppError(
            'INVALID_INPUT',
            `The file holds ${header.user.email}, not ${options.user}: nothing restored`,
          );
        const existing = await existingUser(tdb, header.user);
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
      const allowed = writable.get(t)!;
      for (const c of Object.keys(r))
        if (!allowed.has(c)) bad(lineNo, `${t}: column "${c}" is not one a restore writes`);
      counts[t] = (counts[t] ?? 0) + 1;
      if (t === 'users') {
        if (String(r.email).toLowerCase() !== header.user.email.toLowerCase())
          bad(lineNo, 'the user row is not the header’s user');
        if (!options.trustCredentials) r.email_verified = false;
      }
      // A file's word that its HTML is safe is not taken: shown as text until the
      // mail.sanitize-html job has made it safe again.
      if (t === 'emails' && r.body_html != null) r.html_sanitized = false;
      if (!options.trustCredentials && t === 'accounts') {
        dropped.add(r.id);
        continue;
      }
      if (t === 'mail_accounts' && r.auth_account_id != null && dropped.has(r.auth_account_id)) {
        r.auth_account_id = null;
        r.sync_status = 'needs_reconnect';
        r.last_error = 'Restored from a backup without its Google link: connect Gmail again';
      }
      batch.push(r);
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
    await assertOwnReferences(tdb, header.user.id, BACKUP_TABLES);
    if (dropped.size)
      notes.push(
        `Sign-in secrets were not restored (restore with --trust-credentials to keep them): set a password with \`rapport users set-password --email ${header.user.email}\`, and connect Gmail again if it was connected.`,
      );
    return { user: header.user, counts, notes };
  });
}
