import { afterAll, beforeAll, expect, it } from 'vitest';
import { ask } from '@/server/assistant/assistant';
import type { ModelConfig } from '@/server/assistant/model/language-model';
import { cachedModelCheck } from '@/server/assistant/model/model-check';
import {
  cachedNextActions,
  cachedSummary,
} from '@/server/assistant/relationship/cached-relationship';
import { importMbox } from '@/server/mail/import-mbox';
import { mbox, tempFile } from '../fixtures/mbox-builder';
import { importNetworkMailbox, OWNER } from '../fixtures/network-mailbox';
import { startFakeLlm, type FakeLlm } from '../fakes/llm-server';
import { createTestUser } from '../support/test-auth';
import { describeEachDriver } from '../support/test-db';

const NOW = new Date('2025-03-20T12:00:00Z');

describeEachDriver('paid model calls', (db) => {
  let llm: FakeLlm;
  let alice: string;
  let bob: string;
  beforeAll(async () => {
    llm = await startFakeLlm();
    alice = (await createTestUser(db(), 'alice-budget')).id;
    bob = (await createTestUser(db(), 'bob-budget')).id;
    await importNetworkMailbox(db(), alice);
  });
  afterAll(() => llm.close());

  const config: () => ModelConfig = () => ({
    provider: 'openai-compatible',
    baseURL: llm.url,
    model: 'fake-model',
    timeoutMs: 10_000,
  });
  const calls = () => llm.requests.length;
  const keith = async () =>
    (
      await db().query<{ id: string }>(
        `SELECT id FROM contacts WHERE user_id = $1 AND email = 'keith.holst@holst.example'`,
        [alice],
      )
    )[0]!.id;

  it('keeps each user, and everyone together, to a daily budget of model calls', async () => {
    const budget = { perUserPerDay: 2, perDay: 3 };
    /** A question; the model is scripted to answer it only when it is to be asked. */
    const asks = async (user: string, modelAsked = true) => {
      if (modelAsked) llm.script({ text: 'An answer from the model.' });
      return ask(
        db().db,
        user,
        'Who do I email the most?',
        { now: NOW },
        {
          model: { config: config() },
          budget,
        },
      );
    };
    expect((await asks(alice)).engine).toBe('model');
    expect((await asks(alice)).engine).toBe('model');
    const before = calls();
    const third = await asks(alice, false); // her share is spent: no call, the built-in engine answers
    expect(third.engine).toBe('builtin');
    expect(third.notice).toMatch(/daily model budget/i);
    expect(calls()).toBe(before);
    expect((await asks(bob)).engine).toBe('model'); // his own share…
    const after = await asks(bob, false); // …until everyone's is spent
    expect(after.engine).toBe('builtin');
    expect(after.notice).toMatch(/daily model budget/i);
    expect(calls()).toBe(before + 1);
  });

  it('asks the model for a contact’s summary and next actions once per latest email', async () => {
    const contact = await keith();
    const ai = { model: { config: config() }, budget: null };
    const summary = JSON.stringify({
      summary: 'You and Keith talk about gas pipelines often.',
      highlights: [],
    });
    const actions = JSON.stringify({
      actions: [
        {
          title: 'Reply to Keith',
          reason: 'He asked about numbers.',
          priority: 'high',
          emailId: null,
        },
      ],
    });
    llm.script({ text: summary }, { text: actions });
    const first = [
      await cachedSummary(db().db, alice, contact, { ai, timeZone: 'UTC' }),
      await cachedNextActions(db().db, alice, contact, { ai, now: NOW }),
    ];
    expect(first.map((r) => r.engine)).toEqual(['model', 'model']);
    const before = calls();
    // Page views with nothing new: the same answers, no model call.
    for (let i = 0; i < 3; i++) {
      expect(await cachedSummary(db().db, alice, contact, { ai, timeZone: 'UTC' })).toEqual(
        first[0],
      );
      expect(await cachedNextActions(db().db, alice, contact, { ai, now: NOW })).toEqual(first[1]);
    }
    expect(calls()).toBe(before);
    // A new email with Keith: asked again.
    await importMbox({
      db: db().db,
      userId: alice,
      file: tempFile(
        'new.mbox',
        mbox([
          {
            from: 'Keith Holst <keith.holst@holst.example>',
            to: OWNER,
            subject: 'New numbers',
            date: 'Tue, 18 Mar 2025 10:00:00 +0000',
          },
        ]),
      ),
      owners: [OWNER],
    });
    llm.script({ text: summary }, { text: actions });
    await cachedSummary(db().db, alice, contact, { ai, timeZone: 'UTC' });
    await cachedNextActions(db().db, alice, contact, { ai, now: NOW });
    expect(calls()).toBe(before + 2);
  });

  it('checks whether the model answers once in a while, not on every read', async () => {
    const before = llm.modelChecks();
    const results = await Promise.all(Array.from({ length: 5 }, () => cachedModelCheck(config())));
    for (let i = 0; i < 5; i++) results.push(await cachedModelCheck(config()));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(llm.modelChecks() - before).toBe(1);
  });
});
