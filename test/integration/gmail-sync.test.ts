import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { parseEnv, resetEnvCache } from '@/env';
import { runCommand } from '@/server/cli/commands';
import { createTestAuth } from '../support/test-auth';
import type { DbHandle } from '@/server/db/client';
import { findMailAccount } from '@/server/mail/mail-accounts';
import type { MailProvider } from '@/server/mail/mail-provider';
import { gmailProviderFor } from '@/server/mail/gmail/gmail-account';
import { syncMailAccount } from '@/server/mail/sync-account';
import { handleGmailPush } from '@/server/mail/gmail/push-handler';
import { createCaller } from '@/server/api/root';
import { testContext } from '../support/test-context';
import { message } from '../fixtures/mbox-builder';
import { startFakeGmail, type FakeGmail } from '../fakes/gmail-server';
import { linkFakeGoogle } from '../support/google-link';
import { createTestUser } from '../support/test-auth';
import { describeEachDriver } from '../support/test-db';

const SECRET = 'gmail-sync-test-secret-0123456789abcdef';

describeEachDriver('Gmail sync against the fake Gmail', (db) => {
  let fake: FakeGmail;
  const env = () =>
    parseEnv({
      NODE_ENV: 'test',
      BETTER_AUTH_SECRET: SECRET,
      ...fake.googleEnv,
      GMAIL_EXCLUDE_CATEGORIES: 'promotions',
    });

  beforeAll(async () => {
    fake = await startFakeGmail();
  });
  afterAll(() => fake.close());
  beforeEach(() => {
    Object.assign(fake.switches, { errorRate: 0, dropRate: 0, latencyMs: 0, enforceQuota: true });
  });

  let n = 0;
  const specs = (owner: string, count: number, extra: { labelIds?: string[] } = {}) =>
    Array.from({ length: count }, () => {
      const i = ++n;
      const inbound = i % 3 !== 0;
      const peer = `person${i % 7}@corp${i % 7}.test`;
      return {
        raw: message({
          from: inbound ? `Person ${i % 7} <${peer}>` : owner,
          to: inbound ? owner : peer,
          subject: `Topic ${i}`,
          date: new Date(Date.UTC(2026, 0, 1) + i * 3_600_000).toUTCString(),
          messageId: `m${i}@gmail.test`,
          body: `Message number ${i}.`,
        }),
        labelIds: extra.labelIds ?? (inbound ? ['INBOX', 'CATEGORY_PERSONAL'] : ['SENT']),
      };
    });

  /** A user who connected Gmail: better-auth's account row (tokens encrypted) and the mail account. */
  async function connected(address: string, scopes?: string[], aliases?: string[]) {
    const user = await createTestUser(db());
    const { accountId } = await linkFakeGoogle(db().db, fake, {
      userId: user.id,
      address,
      secret: SECRET,
      scopes,
      aliases,
    });
    return { userId: user.id, accountId, email: user.email };
  }

  async function sync(u: { userId: string; accountId: string }, provider?: MailProvider) {
    const account = await findMailAccount(db().db, u.userId, u.accountId);
    return syncMailAccount({
      db: db().db,
      userId: u.userId,
      accountId: u.accountId,
      provider: provider ?? gmailProviderFor(db().db, account, { env: env() }).provider,
      pageSize: 10,
    });
  }

  const stored = async (h: DbHandle, userId: string) =>
    (
      await h.query<{ provider_message_id: string }>(
        `SELECT provider_message_id FROM emails WHERE user_id = $1 ORDER BY provider_message_id`,
        [userId],
      )
    ).map((r) => r.provider_message_id);

  it('syncs everything, then picks up new, deleted and relabelled messages incrementally', async () => {
    const address = 'ann@gmail.test';
    const u = await connected(address);
    fake.addMessages(address, specs(address, 25));
    fake.addMessages(address, specs(address, 3, { labelIds: ['INBOX', 'CATEGORY_PROMOTIONS'] }));
    const full = await sync(u);
    expect(full).toMatchObject({ mode: 'full', stored: 25 });
    expect((await stored(db(), u.userId)).length).toBe(25); // promotions left out
    const account = await findMailAccount(db().db, u.userId, u.accountId);
    expect(account).toMatchObject({ syncStatus: 'idle', syncCursor: null, messagesCount: 25 });
    expect(account.historyId).toBe(String(fake.currentHistoryId(address)));
    const contacts = await db().query<{ n: number }>(
      `SELECT count(*)::int AS n FROM contacts WHERE user_id = $1`,
      [u.userId],
    );
    expect(contacts[0]!.n).toBe(7);

    const [first, second] = fake.messageIds(address);
    const added = fake.addMessages(address, specs(address, 2));
    fake.deleteMessage(address, first!);
    fake.modifyLabels(address, second!, ['STARRED', 'Label_clients'], ['INBOX']);
    const inc = await sync(u);
    expect(inc).toMatchObject({ mode: 'incremental', stored: 2, deleted: 1, relabelled: 1 });
    const ids = await stored(db(), u.userId);
    expect(ids).toContain(added[0]);
    expect(ids).not.toContain(first);
    const [labels] = await db().query<{ labels: string[] }>(
      `SELECT labels FROM emails WHERE user_id = $1 AND provider_message_id = $2`,
      [u.userId, second],
    );
    expect([...labels!.labels].sort()).toEqual(['CATEGORY_PERSONAL', 'Label_clients', 'STARRED']);
    // Nothing changed: nothing fetched.
    expect(await sync(u)).toMatchObject({ mode: 'incremental', fetched: 0, stored: 0 });
  });

  it('falls back to a full resync when the stored historyId has expired, and says so', async () => {
    const address = 'ben@gmail.test';
    const u = await connected(address);
    fake.addMessages(address, specs(address, 12));
    await sync(u);
    const [gone] = fake.messageIds(address);
    fake.deleteMessage(address, gone!);
    fake.addMessages(address, specs(address, 2));
    fake.expireHistory(address);
    const r = await sync(u);
    expect(r.mode).toBe('resync');
    expect(await stored(db(), u.userId)).toEqual([...fake.messageIds(address)].sort());
    const events = await db().query<{ type: string }>(
      `SELECT type FROM events WHERE user_id = $1 AND type = 'mail.full_resync'`,
      [u.userId],
    );
    expect(events).toHaveLength(1);
  });

  it('stores every message exactly once through 10% errors, rate limits and dropped connections', async () => {
    const address = 'cat@gmail.test';
    const u = await connected(address);
    fake.addMessages(address, specs(address, 60));
    Object.assign(fake.switches, { errorRate: 0.1, dropRate: 0.03 });
    const before = { ...fake.stats };
    await sync(u);
    Object.assign(fake.switches, { errorRate: 0, dropRate: 0 });
    expect(fake.stats.injectedErrors + fake.stats.dropped).toBeGreaterThan(
      before.injectedErrors + before.dropped,
    );
    const ids = await stored(db(), u.userId);
    expect(ids).toEqual([...fake.messageIds(address)].sort());
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('marks a revoked grant "needs reconnection" without a retry storm', async () => {
    const address = 'dan@gmail.test';
    const u = await connected(address);
    fake.addMessages(address, specs(address, 3));
    fake.revoke(address);
    fake.expireAccessTokens(address);
    const before = fake.stats.requests;
    await expect(sync(u)).rejects.toMatchObject({ kind: 'auth' });
    expect(fake.stats.requests - before).toBeLessThanOrEqual(2);
    const account = await findMailAccount(db().db, u.userId, u.accountId);
    expect(account.syncStatus).toBe('needs_reconnect');
    expect(account.lastError).toMatch(/reconnect/i);
  });

  it('marks a grant without the Gmail scope "needs permission"', async () => {
    const address = 'eve@gmail.test';
    const u = await connected(address, ['openid', 'email']);
    const account = await findMailAccount(db().db, u.userId, u.accountId);
    expect(account.syncStatus).toBe('needs_permission');
    await expect(sync(u)).rejects.toMatchObject({ kind: 'permission' });
    expect((await findMailAccount(db().db, u.userId, u.accountId)).syncStatus).toBe(
      'needs_permission',
    );
  });

  it('resumes a full sync that stopped midway where it stopped, fetching nothing twice', async () => {
    const address = 'fay@gmail.test';
    const u = await connected(address);
    fake.addMessages(address, specs(address, 35));
    const account = await findMailAccount(db().db, u.userId, u.accountId);
    const real = gmailProviderFor(db().db, account, { env: env() }).provider;
    let pages = 0;
    const crashing: MailProvider = Object.assign(Object.create(real) as MailProvider, {
      listMessages: async (token: string | null, size: number) => {
        if (++pages === 3) throw new Error('worker killed');
        return real.listMessages(token, size);
      },
    });
    const gets = () => fake.stats.byMethod['messages.get'] ?? 0;
    const before = gets();
    await expect(sync(u, crashing)).rejects.toThrow('worker killed');
    const halfway = await findMailAccount(db().db, u.userId, u.accountId);
    expect(halfway.syncStatus).toBe('error');
    expect(halfway.syncCursor).toMatchObject({ mode: 'full', fetched: 20, pageToken: '20' });
    expect((await stored(db(), u.userId)).length).toBe(20);
    await sync(u);
    expect(await stored(db(), u.userId)).toEqual([...fake.messageIds(address)].sort());
    expect(gets() - before).toBe(35);
  });

  it('turns a Pub/Sub push into a queued sync of that mailbox, and refuses bad tokens and bodies', async () => {
    const address = 'gil@gmail.test';
    const u = await connected(address);
    const queued: string[] = [];
    const request = (token: string | null, body: BodyInit) =>
      new Request(`http://app.test/api/gmail/push${token ? `?token=${token}` : ''}`, {
        method: 'POST',
        body,
      });
    const push = (token: string | null, body: unknown) =>
      send(request(token, JSON.stringify(body)));
    const send = (req: Request) =>
      handleGmailPush(db().db, req, {
        secret: 'push-secret-0123456789',
        enqueue: async (_user, accountId) => queued.push(accountId),
      });
    const data = Buffer.from(JSON.stringify({ emailAddress: address, historyId: 1234 })).toString(
      'base64',
    );
    expect(await push('wrong-secret-000000000', { message: { data } })).toMatchObject({
      status: 403,
    });
    expect(await push('push-secret-0123456789', { nope: 1 })).toMatchObject({ status: 400 });
    expect(
      await push('push-secret-0123456789', { message: { data: 'bm90IGpzb24=' } }),
    ).toMatchObject({ status: 400 });
    // The token is checked before the body is read; no more than 64 kB of it is kept.
    const unread = request('wrong-secret-000000000', JSON.stringify({ message: { data } }));
    expect(await send(unread)).toMatchObject({ status: 403 });
    expect(unread.bodyUsed).toBe(false);
    expect(await send(request(null, '{}'))).toMatchObject({ status: 403 });
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(16 * 1024).fill(0x20));
      },
    });
    expect(
      await send(
        new Request('http://app.test/api/gmail/push?token=push-secret-0123456789', {
          method: 'POST',
          body: endless,
          duplex: 'half',
        } as RequestInit),
      ),
    ).toMatchObject({ status: 413 });
    // Kept: 64 kB; read and dropped past it, to leave the connection usable: up to 1 MiB.
    expect(pulled).toBeLessThan(70);
    expect(queued).toEqual([]);
    expect(
      await push('push-secret-0123456789', {
        message: { data, messageId: '1' },
        subscription: 's',
      }),
    ).toMatchObject({
      status: 200,
      body: { queued: 1 },
    });
    expect(queued).toEqual([u.accountId]);
  });

  it('renews the push watch through users.watch', async () => {
    const address = 'hub@gmail.test';
    const u = await connected(address);
    const account = await findMailAccount(db().db, u.userId, u.accountId);
    const { client } = gmailProviderFor(db().db, account, { env: env() });
    const r = await client.watch('projects/rapport/topics/gmail', ['INBOX']);
    expect(Number(r.expiration)).toBeGreaterThan(Date.now());
    expect(fake.watchOf(address)?.topicName).toBe('projects/rapport/topics/gmail');
  });

  it('lists mail accounts per user and refuses to sync another user’s', async () => {
    const a = await connected('ivy@gmail.test');
    const b = await connected('jon@gmail.test');
    const caller = (userId: string) =>
      createCaller(
        testContext({
          db: db().db,
          env: env(),
          user: { id: userId, email: 'x@example.com', name: 'x' },
        }),
      );
    const list = await caller(a.userId).mailAccounts.list();
    expect(list.map((x) => x.address)).toEqual(['ivy@gmail.test']);
    await expect(
      caller(b.userId).mailAccounts.syncNow({ accountId: a.accountId }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('syncs from the CLI command (run in-process when no server holds the database)', async () => {
    const address = 'kim@gmail.test';
    const u = await connected(address);
    fake.addMessages(address, specs(address, 4));
    const saved = { ...process.env };
    Object.assign(process.env, {
      BETTER_AUTH_SECRET: SECRET,
      ...fake.googleEnv,
    });
    resetEnvCache();
    try {
      const r = (await runCommand({ handle: db(), auth: createTestAuth(db()) }, 'mail.sync', {
        user: u.email,
      })) as {
        synced: { account: string; stored: number; mode: string }[];
      };
      expect(r.synced).toEqual([
        expect.objectContaining({ account: address, stored: 4, mode: 'full' }),
      ]);
    } finally {
      process.env = saved;
      resetEnvCache();
    }
  });

  it('stops a long full sync at its deadline and resumes it in the next run', async () => {
    const address = 'lea@gmail.test';
    const u = await connected(address);
    fake.addMessages(address, specs(address, 25));
    const account = await findMailAccount(db().db, u.userId, u.accountId);
    const { provider } = gmailProviderFor(db().db, account, { env: env() });
    const run = (deadline?: number) =>
      syncMailAccount({
        db: db().db,
        userId: u.userId,
        accountId: u.accountId,
        provider,
        pageSize: 10,
        deadline,
      });
    const first = await run(Date.now() - 1);
    expect(first).toMatchObject({ complete: false, stored: 10 });
    expect(await findMailAccount(db().db, u.userId, u.accountId)).toMatchObject({
      syncStatus: 'syncing',
      syncCursor: { fetched: 10 },
      lastSyncedAt: null,
    });
    const rest = await run();
    expect(rest).toMatchObject({ complete: true, stored: 15 });
    expect((await stored(db(), u.userId)).length).toBe(25);
  });

  it('reads labels, threads and attachment bytes on demand (never into the database)', async () => {
    const address = 'max@gmail.test';
    const u = await connected(address);
    const [id] = fake.addMessages(address, [
      {
        raw: message({
          from: 'Ned <ned@x.test>',
          to: address,
          subject: 'Deck',
          date: 'Tue, 6 Jan 2026 09:00:00 +0000',
        }),
        labelIds: ['INBOX', 'Label_deals'],
        threadId: 'thread-deck',
        attachments: [
          {
            filename: 'deck.pdf',
            mimeType: 'application/pdf',
            data: Buffer.from('%PDF-1.4 fake deck'),
          },
        ],
      },
    ]);
    const account = await findMailAccount(db().db, u.userId, u.accountId);
    const { client, provider } = gmailProviderFor(db().db, account, { env: env() });
    expect((await provider.listLabels()).map((l) => l.id)).toEqual(
      expect.arrayContaining(['INBOX', 'Label_deals']),
    );
    const thread = (await provider.getThread('thread-deck')) as {
      messages: {
        id: string;
        payload: { parts: { filename: string; body: { attachmentId?: string } }[] };
      }[];
    };
    expect(thread.messages.map((m) => m.id)).toEqual([id]);
    const part = thread.messages[0]!.payload.parts.find((p) => p.filename === 'deck.pdf')!;
    const bytes = await provider.getAttachment(id!, part.body.attachmentId!);
    expect(bytes?.toString()).toBe('%PDF-1.4 fake deck');
    expect(await client.getRawMessage('does-not-exist')).toBeNull();
    await sync(u);
    const progress = await db().query<{ payload: { read: number; total: number; rate: number } }>(
      `SELECT payload FROM events WHERE user_id = $1 AND type = 'emails.synced' ORDER BY id DESC LIMIT 1`,
      [u.userId],
    );
    expect(progress[0]!.payload).toMatchObject({ read: 1, total: 1, rate: expect.any(Number) });
  });

  it('takes Gmail send-as aliases as the owner: their mail is outbound', async () => {
    const address = 'nia@gmail.test';
    const u = await connected(address, undefined, ['nia@work.test']);
    fake.addMessages(address, [
      {
        raw: message({
          from: 'Nia <nia@work.test>',
          to: 'Oz <oz@client.test>',
          subject: 'Quote',
          date: 'Wed, 7 Jan 2026 09:00:00 +0000',
        }),
        labelIds: ['SENT'],
      },
    ]);
    await sync(u);
    const account = await findMailAccount(db().db, u.userId, u.accountId);
    expect(account.aliases).toContain('nia@work.test');
    const [e] = await db().query<{ direction: string }>(
      `SELECT direction FROM emails WHERE user_id = $1`,
      [u.userId],
    );
    expect(e!.direction).toBe('outbound');
    const people = await db().query<{ email: string }>(
      `SELECT email FROM contacts WHERE user_id = $1`,
      [u.userId],
    );
    expect(people.map((p) => p.email)).toEqual(['oz@client.test']);
  });
});
