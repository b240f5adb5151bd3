import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createCaller } from '@/server/api/root';
import type { SessionUser } from '@/server/api/trpc';
import {
  BACKUP_TABLES,
  exportUserData,
  NOT_BACKED_UP,
  restoreUserData,
} from '@/server/backup/user-backup';
import { rowsOf } from '@/server/db/client';
import { importNetworkMailbox } from '../fixtures/network-mailbox';
import { createTestAuth, createTestUser } from '../support/test-auth';
import { testContext } from '../support/test-context';
import { describeEachDriver } from '../support/test-db';
import { userRows } from '../support/user-rows';

describeEachDriver('backup export and restore of one user', (db) => {
  let alice: SessionUser;
  let bob: SessionUser;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-backup-'));
  const file = (name: string) => path.join(dir, name);

  /** Every row of the user (minus columns a restore gives anew), sorted. */
  const snapshot = (userId: string) =>
    userRows(db().db, userId, { events: ['id'], emails: ['search', 'html_sanitized'] });

  async function exportTo(name: string, userId: string) {
    const out = fs.createWriteStream(file(name));
    const counts = await exportUserData(db().db, userId, out);
    await new Promise<void>((r) => out.end(r));
    return counts;
  }

  beforeAll(async () => {
    alice = await createTestUser(db());
    bob = await createTestUser(db());
    await importNetworkMailbox(db(), alice.id);
    await importNetworkMailbox(db(), bob.id);
    // A user edit, a tag, notes and a sender rule: what a user would hate to lose.
    const caller = createCaller(testContext({ db: db().db, user: alice }));
    const { rows } = await caller.contacts.list({ limit: 1 });
    await caller.contacts.update({
      id: rows[0]!.id,
      patch: {
        title: 'Chief Backup Officer',
        notes: 'met at the “café”\n€ and 日本',
        tags: ['vip'],
      },
    });
    await caller.senderRules.set({ pattern: '@globex.com', action: 'block' });
  });

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('backs up every table that holds a user’s data (or says why not)', async () => {
    const tables = rowsOf<{ table_name: string }>(
      await db().db.execute(sql`
        SELECT DISTINCT table_name FROM information_schema.columns
         WHERE table_schema = current_schema() AND column_name = 'user_id'`),
    ).map((r) => r.table_name);
    const covered = new Set<string>([...BACKUP_TABLES, ...Object.keys(NOT_BACKED_UP)]);
    expect(tables.filter((t) => !covered.has(t))).toEqual([]);
  });

  it('round-trips: export, delete the user, restore, and every row is back as it was', async () => {
    const before = await snapshot(alice.id);
    const bobBefore = await snapshot(bob.id);
    const counts = await exportTo('alice.jsonl', alice.id);
    expect(counts.emails).toBeGreaterThan(10);
    expect(counts.contacts).toBeGreaterThan(2);
    expect(counts.interactions).toBeGreaterThan(10);
    expect(counts.events).toBeGreaterThan(0);
    expect(counts.sender_rules).toBe(1);
    expect(counts.accounts).toBe(1); // the password sign-in

    // The file is JSON Lines: a header, rows of this user only, an end line with the counts.
    const lines = fs
      .readFileSync(file('alice.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({
      format: 'rapport-backup',
      version: 1,
      user: { id: alice.id },
    });
    expect(lines.at(-1)).toEqual({ end: true, counts });
    const rowLines = lines.slice(1, -1) as { t: string; r: Record<string, unknown> }[];
    expect(rowLines.length).toBe(Object.values(counts).reduce((a, b) => a + b, 0));
    expect(rowLines.every((l) => (l.t === 'users' ? l.r.id : l.r.user_id) === alice.id)).toBe(true);

    await db().db.execute(sql`DELETE FROM users WHERE id = ${alice.id}`);
    expect((await snapshot(alice.id)).emails).toEqual([]);

    // Her own backup, restored by her own operator: her password and verification come back.
    const restored = await restoreUserData(db().db, file('alice.jsonl'), {
      trustCredentials: true,
    });
    expect(restored.counts).toEqual(
      Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0)),
    );
    expect(await snapshot(alice.id)).toEqual(before);
    expect(await snapshot(bob.id)).toEqual(bobBefore);

    // The restored user signs in with her password, finds her mail, and sees her edit.
    const auth = createTestAuth(db());
    const signIn = await auth.api.signInEmail({
      body: { email: alice.email, password: 'correct-horse-battery' },
    });
    expect(signIn.user.id).toBe(alice.id);
    const caller = createCaller(testContext({ db: db().db, user: alice }));
    const listed = await caller.contacts.list({ limit: 100, humansOnly: false });
    expect(listed.rows.filter((r) => r.title === 'Chief Backup Officer')).toHaveLength(1);
    const [{ n }] = rowsOf<{ n: number }>(
      await db().db.execute(
        sql`SELECT count(*)::int AS n FROM emails WHERE user_id = ${alice.id} AND search @@ plainto_tsquery('english', 'pipeline')`,
      ),
    ) as [{ n: number }];
    expect(n).toBeGreaterThan(0); // the search vector was recomputed
  });

  it('refuses to restore over an existing user unless told to replace, then replaces', async () => {
    await exportTo('alice-now.jsonl', alice.id);
    const before = await snapshot(alice.id);
    await expect(restoreUserData(db().db, file('alice-now.jsonl'))).rejects.toThrow(
      /already exists here: restore with --replace/,
    );
    expect(await snapshot(alice.id)).toEqual(before);
    // A change after the backup is undone by a replace.
    await db().db.execute(
      sql`UPDATE contacts SET notes = 'after the backup' WHERE user_id = ${alice.id}`,
    );
    await restoreUserData(db().db, file('alice-now.jsonl'), {
      replace: true,
      user: alice.email,
      trustCredentials: true,
    });
    const after = await snapshot(alice.id);
    for (const t of BACKUP_TABLES) expect(after[t], t).toEqual(before[t]);
  });

  it('refuses a damaged or cut-off file and changes nothing', async () => {
    const before = await snapshot(alice.id);
    const good = fs.readFileSync(file('alice-now.jsonl'), 'utf8').trim().split('\n');
    const cases: [string, string[], RegExp][] = [
      ['cut-off.jsonl', good.slice(0, -1), /cut off/],
      ['truncated-rows.jsonl', [...good.slice(0, 40), good.at(-1)!], /the end line says/],
      ['not-json.jsonl', [good[0]!, '{"t":"contacts",', good.at(-1)!], /line 2\): not JSON/],
      ['no-header.jsonl', good.slice(1), /no Rapport backup header/],
      ['empty.jsonl', [], /empty/],
      [
        'other-user.jsonl',
        good.map((l, i) => (i === 5 ? l.replace(alice.id, bob.id) : l)),
        /line 6\): a row of another user/,
      ],
    ];
    for (const [name, lines, error] of cases) {
      fs.writeFileSync(file(name), lines.join('\n'));
      await expect(
        restoreUserData(db().db, file(name), { replace: true, user: alice.email }),
        name,
      ).rejects.toThrow(error);
      expect(await snapshot(alice.id), name).toEqual(before);
    }
    await expect(restoreUserData(db().db, file('missing.jsonl'))).rejects.toThrow(/No such file/);
  });

  /** One line of a backup file: the header (`user`), a row (`t`, `r`), or the end. */
  type FileLine = { t?: string; r: Record<string, unknown>; user: { id: string; email: string } };
  /** The good file, as lines of JSON, changed by `edit`, written as `name`. */
  const tampered = (name: string, edit: (lines: FileLine[]) => void) => {
    const lines = fs
      .readFileSync(file('alice-now.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as FileLine);
    edit(lines);
    fs.writeFileSync(file(name), lines.map((l) => JSON.stringify(l)).join('\n'));
    return file(name);
  };
  const refuses = async (
    f: string,
    options: Parameters<typeof restoreUserData>[2],
    why: RegExp,
  ) => {
    const before = [await snapshot(alice.id), await snapshot(bob.id)];
    await expect(restoreUserData(db().db, f, options), f).rejects.toThrow(why);
    expect([await snapshot(alice.id), await snapshot(bob.id)], f).toEqual(before);
  };

  it('replaces only the user the operator names, and only when the file is theirs', async () => {
    const f = file('alice-now.jsonl');
    await refuses(f, { replace: true }, /--replace needs --user/);
    await refuses(f, { replace: true, user: bob.email }, new RegExp(`holds ${alice.email}`));
    // The file's id is Alice's, its address Bob's: two different people here.
    const mixed = tampered('mixed.jsonl', (lines) => {
      lines[0]!.user.email = bob.email;
      lines.find((l) => l.t === 'users')!.r.email = bob.email;
    });
    await refuses(mixed, { replace: true, user: bob.email }, /belong to different users here/);
    // Bob's address under an id this database does not know.
    const newId = tampered('new-id.jsonl', (lines) => {
      const id = 'someone-new';
      lines[0]!.user = { id, email: bob.email };
      for (const l of lines.slice(1, -1)) {
        if (l.t === 'users') l.r.id = id;
        else l.r.user_id = id;
      }
    });
    await refuses(newId, { replace: true, user: bob.email }, /belong to different users here/);
    // The users row must be the header's user.
    const renamed = tampered('renamed.jsonl', (lines) => {
      lines.find((l) => l.t === 'users')!.r.email = 'someone-else@example.com';
    });
    await refuses(renamed, { replace: true, user: alice.email }, /user row.*header/);
  });

  it('refuses rows that point at another user’s rows', async () => {
    const [bobEmail] = await db().query<{ id: string }>(
      `SELECT id FROM emails WHERE user_id = $1 LIMIT 1`,
      [bob.id],
    );
    const [bobContact] = await db().query<{ id: string }>(
      `SELECT id FROM contacts WHERE user_id = $1 LIMIT 1`,
      [bob.id],
    );
    const viaEmail = tampered('x-email.jsonl', (lines) => {
      lines.find((l) => l.t === 'interactions')!.r.email_id = bobEmail!.id;
    });
    await refuses(
      viaEmail,
      { replace: true, user: alice.email },
      /interactions.email_id.*another user/,
    );
    const viaContact = tampered('x-contact.jsonl', (lines) => {
      lines.find((l) => l.t === 'contact_emails')!.r.contact_id = bobContact!.id;
    });
    await refuses(
      viaContact,
      { replace: true, user: alice.email },
      /contact_emails.contact_id.*another user/,
    );
  });

  it('refuses columns that are not the table’s own, or that the database computes', async () => {
    const cases: [string, (lines: FileLine[]) => void, RegExp][] = [
      [
        'x-col.jsonl',
        (l) => (l.find((x) => x.t === 'users')!.r.is_admin = true),
        /users: column "is_admin" is not/,
      ],
      [
        'x-search.jsonl',
        (l) => (l.find((x) => x.t === 'emails')!.r.search = "'x':1"),
        /emails: column "search" is not/,
      ],
      [
        'x-event-id.jsonl',
        (l) => (l.find((x) => x.t === 'events')!.r.id = 1),
        /events: column "id" is not/,
      ],
    ];
    for (const [name, edit, why] of cases)
      await refuses(tampered(name, edit), { replace: true, user: alice.email }, why);
  });

  it('takes no file’s word that its HTML is safe: restored HTML waits to be sanitised again', async () => {
    const hostile = '<img src=x onerror="alert(1)">';
    const f = tampered('x-html.jsonl', (lines) => {
      const row = lines.find((l) => l.t === 'emails')!.r;
      row.body_html = hostile;
      row.html_sanitized = true;
    });
    await restoreUserData(db().db, f, { replace: true, user: alice.email });
    const rows = await db().query<{ html_sanitized: boolean }>(
      `SELECT html_sanitized FROM emails WHERE user_id = $1 AND body_html = $2`,
      [alice.id, hostile],
    );
    expect(rows).toEqual([{ html_sanitized: false }]);
  });

  it('leaves the file’s password and verification behind unless told to trust them', async () => {
    await db().query(`UPDATE users SET email_verified = true WHERE id = $1`, [alice.id]);
    // A Google link, and the Gmail mailbox it backs.
    await db().query(
      `INSERT INTO accounts (id, account_id, provider_id, user_id, refresh_token) VALUES ('g-link', 'google-sub-1', 'google', $1, 'encrypted')`,
      [alice.id],
    );
    await db().query(
      `INSERT INTO mail_accounts (user_id, provider, address, auth_account_id) VALUES ($1, 'gmail', 'alice@gmail.test', 'g-link')`,
      [alice.id],
    );
    await exportTo('alice-verified.jsonl', alice.id);
    const r = await restoreUserData(db().db, file('alice-verified.jsonl'), {
      replace: true,
      user: alice.email,
    });
    expect(r.notes.join(' ')).toMatch(/users set-password/);
    const [u] = await db().query<{ email_verified: boolean }>(
      `SELECT email_verified FROM users WHERE id = $1`,
      [alice.id],
    );
    expect(u!.email_verified).toBe(false);
    expect(await db().query(`SELECT 1 FROM accounts WHERE user_id = $1`, [alice.id])).toEqual([]);
    expect(
      await db().query(
        `SELECT auth_account_id, sync_status FROM mail_accounts WHERE user_id = $1 AND provider = 'gmail'`,
        [alice.id],
      ),
    ).toEqual([{ auth_account_id: null, sync_status: 'needs_reconnect' }]);
    const auth = createTestAuth(db());
    await expect(
      auth.api.signInEmail({ body: { email: alice.email, password: 'correct-horse-battery' } }),
    ).rejects.toThrow();
    // Her mail and contacts are all there.
    expect((await snapshot(alice.id)).emails!.length).toBeGreaterThan(10);
  });
});
