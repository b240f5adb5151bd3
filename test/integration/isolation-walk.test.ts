import { sql } from 'drizzle-orm';
import { parseEnv } from '@/env';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { appRouter, createCaller } from '@/server/api/root';
import type { SessionUser } from '@/server/api/trpc';
import { rowsOf } from '@/server/db/client';
import { JobQueue } from '@/server/jobs/job-queue';
import { reextractContactsJob } from '@/server/jobs/definitions/contact.reextract';
import { jobDefinitions } from '@/server/jobs/registry';
import { importMbox } from '@/server/mail/import-mbox';
import { mbox, tempFile } from '../fixtures/mbox-builder';
import { importNetworkMailbox } from '../fixtures/network-mailbox';
import { createTestUser } from '../support/test-auth';
import { testContext } from '../support/test-context';
import { describeEachDriver } from '../support/test-db';
import { userRows } from '../support/user-rows';

/** Alice's ids and the words only her data holds: none may reach Bob. */
type Alice = {
  user: SessionUser;
  contactIds: string[];
  emailIds: string[];
  accountId: string;
  ruleId: string;
  jobId: string;
  threadId: string;
  inviteId: string;
  mergeId: string;
  secrets: string[];
};

/**
 * Every procedure of the router, called as Bob with Alice's ids. A procedure missing here fails
 * the walk: a new one must say how it is called before it ships.
 */
const CALLS: Record<string, (a: Alice) => unknown> = {
  'me.get': () => undefined,
  'me.deleteAccount': (a) => ({ confirmEmail: a.user.email }),
  'dashboard.summary': () => undefined,
  'dashboard.repliesOwed': () => undefined,
  'dashboard.recent': () => undefined,
  'contacts.list': () => ({ search: 'ALICE', limit: 100, humansOnly: false }),
  'contacts.bulkTag': (a) => ({ ids: a.contactIds, tag: 'bob-was-here', action: 'add' }),
  'contacts.setHidden': (a) => ({ ids: a.contactIds, hidden: true }),
  'contacts.byId': (a) => ({ id: a.contactIds[0] }),
  'contacts.update': (a) => ({ id: a.contactIds[0], patch: { notes: 'bob was here' } }),
  'contacts.top': () => ({ metric: 'strength', limit: 200, filters: { includeRobots: true } }),
  'contacts.stats': (a) => ({ id: a.contactIds[0] }),
  'contacts.merge': (a) => ({ keepId: a.contactIds[0], mergeIds: a.contactIds.slice(1, 3) }),
  'contacts.timeline': (a) => ({ id: a.contactIds[0] }),
  'contacts.activity': (a) => ({ id: a.contactIds[0] }),
  'contacts.email': (a) => ({ emailId: a.emailIds[0] }),
  'contacts.enrich': (a) => ({ id: a.contactIds[0], force: true }),
  'contacts.enrichments': (a) => ({ id: a.contactIds[0] }),
  'contacts.mergeSuggestions': () => ({ limit: 100 }),
  'contacts.dismissDuplicate': (a) => ({ contactIds: a.contactIds.slice(0, 2) }),
  'contacts.merges': (a) => ({ contactId: a.contactIds[0] }),
  'contacts.undoMerge': (a) => ({ mergeId: a.mergeId }),
  'contacts.addresses': (a) => ({ id: a.contactIds[0] }),
  'jobs.list': () => ({ limit: 200 }),
  'jobs.byId': (a) => ({ id: a.jobId }),
  'jobs.retryFailed': (a) => ({ ids: [a.jobId] }),
  'assistant.ask': (a) => ({
    // Names nothing of hers (an answer may echo the question): her contact id does the asking.
    question: 'When did we last talk, and about what?',
    contactId: a.contactIds[0],
  }),
  'assistant.suggestions': () => undefined,
  'assistant.status': () => undefined,
  'assistant.summary': (a) => ({ contactId: a.contactIds[0] }),
  'assistant.nextActions': (a) => ({ contactId: a.contactIds[0] }),
  'assistant.draft': (a) => ({ contactId: a.contactIds[0], threadId: a.threadId }),
  'mailAccounts.list': () => undefined,
  'mailAccounts.syncNow': (a) => ({ accountId: a.accountId }),
  'mailAccounts.remove': (a) => ({ accountId: a.accountId }),
  'mailAccounts.importErrors': (a) => ({ accountId: a.accountId }),
  'senderRules.list': () => undefined,
  'senderRules.set': () => ({ pattern: '@alice-only.example', action: 'allow' }),
  'senderRules.remove': (a) => ({ id: a.ruleId }),
  'invites.list': () => undefined,
  'invites.create': () => ({ email: 'carol-from-bob@example.com' }),
  'invites.revoke': (a) => ({ id: a.inviteId }),
};

/** Invitations on, so that Bob can make his own (and try Alice's). */
const inviteEnv = parseEnv({ NODE_ENV: 'test', RAPPORT_SIGNUP: 'invite' });

describeEachDriver('isolation: every procedure, as another user, with this user’s ids', (db) => {
  let alice: Alice;
  let bob: SessionUser;
  let queue: JobQueue;

  /** Alice's rows, table by table, as Postgres's JSON of them. */
  const aliceRows = (userId: string) => userRows(db().db, userId);

  beforeAll(async () => {
    queue = await JobQueue.start(db(), { definitions: jobDefinitions, role: 'producer' });
    const a = await createTestUser(db(), 'alice-walk');
    bob = await createTestUser(db(), 'bob-walk');
    // Both have the same network (same addresses, same subjects): what marks Alice's data as
    // hers is her ids, and a correspondent, a subject, notes and a rule only she has.
    await importNetworkMailbox(db(), a.id);
    await importNetworkMailbox(db(), bob.id);
    await importMbox({
      db: db().db,
      userId: a.id,
      file: tempFile(
        'alice.mbox',
        mbox([
          {
            from: 'Zed Alicesson <zed@alice-only.example>',
            to: a.email,
            subject: 'ALICESECRETSUBJECT quarterly numbers',
            date: 'Tue, 3 Mar 2026 10:00:00 +0000',
            messageId: 'alice-only-1@alice-only.example',
            body: 'Hi,\n\nThe ALICESECRETBODY numbers are in.\n\nZed Alicesson\nChief Secret Officer, Alice Only Ltd\n+1 415 555 0199\n',
          },
          {
            from: a.email,
            to: 'Zed Alicesson <zed@alice-only.example>',
            subject: 'Re: ALICESECRETSUBJECT quarterly numbers',
            date: 'Tue, 3 Mar 2026 12:00:00 +0000',
            inReplyTo: 'alice-only-1@alice-only.example',
            body: 'Thanks Zed.\n',
          },
        ]),
      ),
      owners: [a.email],
    });
    const caller = createCaller(testContext({ db: db().db, user: a, queue }));
    const contacts = await caller.contacts.list({ limit: 100, humansOnly: false });
    const zed = contacts.rows.find((c) => c.email === 'zed@alice-only.example')!;
    await caller.contacts.update({
      id: zed.id,
      patch: {
        notes: 'ALICESECRETNOTE',
        tags: ['alicesecrettag'],
        customFields: { k: 'ALICESECRETFIELD' },
      },
    });
    await caller.senderRules.set({ pattern: '@alicesecretrule.example', action: 'block' });
    // A merge of hers, to be undone (two contacts of hers under one name).
    const dupes = contacts.rows.filter((c) => c.id !== zed.id).slice(0, 2);
    const { mergeId } = await caller.contacts.merge({
      keepId: dupes[0]!.id,
      mergeIds: [dupes[1]!.id],
    });
    const [rule] = await caller.senderRules.list();
    const invite = await createCaller(
      testContext({ db: db().db, user: a, queue, env: inviteEnv }),
    ).invites.create({ email: 'alice-invitee@alice-only.example' });
    const [account] = await caller.mailAccounts.list();
    const emails = rowsOf<{ id: string; thread_id: string }>(
      await db().db.execute(
        sql`SELECT id, thread_id FROM emails WHERE user_id = ${a.id} ORDER BY (subject LIKE '%ALICESECRET%') DESC, sent_at DESC`,
      ),
    );
    // A job of hers, queued (this queue only produces: it stays there for Bob to poke at).
    const jobId = (await queue.enqueue(reextractContactsJob, { userId: a.id }))!;
    alice = {
      user: a,
      contactIds: [
        zed.id,
        ...contacts.rows.filter((c) => c.id !== zed.id && c.id !== dupes[1]!.id).map((c) => c.id),
      ],
      emailIds: emails.map((e) => e.id),
      accountId: account!.id,
      ruleId: rule!.id,
      jobId,
      threadId: emails[0]!.thread_id,
      inviteId: invite.id,
      mergeId,
      secrets: [
        invite.id,
        invite.url,
        mergeId,
        a.id,
        a.email,
        'alice-only.example',
        'ALICESECRET',
        'alicesecret',
        'Zed Alicesson',
        zed.id,
        account!.id,
        rule!.id,
        ...emails.map((e) => e.id),
        ...contacts.rows.map((c) => c.id),
      ],
    };
  });

  afterAll(() => queue?.stop(5_000));

  it('has a call for every procedure the router serves', () => {
    const procedures = Object.keys(
      (appRouter as unknown as { _def: { procedures: Record<string, unknown> } })._def.procedures,
    ).sort();
    expect(Object.keys(CALLS).sort()).toEqual(procedures);
  });

  it('lets Bob see, change and learn nothing of Alice’s through any procedure', async () => {
    const before = await aliceRows(alice.user.id);
    const bobCaller = createCaller(testContext({ db: db().db, user: bob, queue, env: inviteEnv }));
    const outcomes: Record<string, string> = {};
    const leaks: string[] = [];
    // Account deletion last: it would delete Bob (it deletes only the caller, whatever is typed).
    const order = Object.keys(CALLS).sort((x, y) =>
      x === 'me.deleteAccount' ? 1 : y === 'me.deleteAccount' ? -1 : x.localeCompare(y),
    );
    for (const path of order) {
      const [router, name] = path.split('.') as [string, string];
      const proc = (
        bobCaller as unknown as Record<string, Record<string, (i: unknown) => unknown>>
      )[router]![name]!;
      let text: string;
      try {
        let result = await proc(CALLS[path]!(alice));
        // Streamed answers: read them to the end.
        if (result && typeof result === 'object' && Symbol.asyncIterator in result) {
          const parts: unknown[] = [];
          for await (const part of result as AsyncIterable<unknown>) parts.push(part);
          result = parts;
        }
        text = JSON.stringify(result) ?? '';
        outcomes[path] = 'ok';
      } catch (err) {
        const e = err as { code?: string; message: string };
        text = e.message;
        outcomes[path] = e.code ?? 'error';
        expect(e.code, `${path}: ${e.message}`).toMatch(
          /^(NOT_FOUND|BAD_REQUEST|FORBIDDEN|TOO_MANY_REQUESTS|SERVICE_UNAVAILABLE)$/,
        );
      }
      for (const secret of alice.secrets)
        if (text.includes(secret)) leaks.push(`${path} answered with ${secret}`);
    }
    expect(leaks).toEqual([]);
    // Every id-taking read answers "not found" rather than an empty success.
    for (const path of [
      'contacts.byId',
      'contacts.stats',
      'contacts.email',
      'contacts.activity',
      'contacts.timeline',
      'contacts.enrichments',
      'contacts.enrich',
      'assistant.nextActions',
      'contacts.update',
      'contacts.merge',
      'contacts.addresses',
      'contacts.undoMerge',
      'contacts.dismissDuplicate',
      'jobs.byId',
      'assistant.summary',
      'assistant.draft',
      'mailAccounts.syncNow',
      'mailAccounts.remove',
      'invites.revoke',
    ])
      expect(outcomes[path], path).toBe('NOT_FOUND');
    // Her invitation (not in a backup's tables) is still hers and still waiting.
    expect(
      await db().query(`SELECT 1 FROM invites WHERE id = $1 AND user_id = $2 AND used_at IS NULL`, [
        alice.inviteId,
        alice.user.id,
      ]),
    ).toHaveLength(1);
    // And nothing of hers changed: every row of every table is as it was.
    const after = await aliceRows(alice.user.id);
    for (const table of Object.keys(before)) expect(after[table], table).toEqual(before[table]);
  });
});
