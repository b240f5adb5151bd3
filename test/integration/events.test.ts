import { afterAll, beforeAll, expect, it } from 'vitest';
import { EventHub } from '@/server/events/event-hub';
import { emit } from '@/server/events/emit';
import { createEventStream } from '@/server/events/event-stream';
import type { StoredEvent } from '@/server/events/types';
import { openDb, type DbHandle } from '@/server/db/client';
import { createTestUser } from '../support/test-auth';
import { describeEachDriver } from '../support/test-db';
import { readSse } from '../support/sse-reader';
import { waitFor } from '../support/wait-for';

describeEachDriver('event log', (db) => {
  let hub: EventHub;
  const seen: StoredEvent[] = [];
  beforeAll(async () => {
    hub = await EventHub.start(db());
    hub.subscribe('*', (e) => seen.push(e));
  });
  afterAll(() => hub.close());

  it('stores a committed event with its metadata and delivers it', async () => {
    const u = await createTestUser(db());
    const id = await emit(
      db().db,
      { type: 'contact.created', payload: { contactId: 'c1', email: 'a@b.c' } },
      { userId: u.id, source: 'test' },
    );
    const got = await waitFor(() => seen.find((e) => e.id === id));
    expect(got).toMatchObject({
      userId: u.id,
      type: 'contact.created',
      payload: { contactId: 'c1', email: 'a@b.c' },
      metadata: { source: 'test', version: 1 },
    });
  });

  it('neither stores nor delivers an event of a rolled-back transaction', async () => {
    const u = await createTestUser(db());
    await expect(
      db().db.transaction(async (tx) => {
        await emit(
          tx,
          { type: 'contact.created', payload: { contactId: 'ghost', email: 'ghost@x.y' } },
          { userId: u.id, source: 'test' },
        );
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    // A later committed event arrives after anything committed before it.
    const marker = await emit(
      db().db,
      { type: 'contact.viewed', payload: { contactId: 'marker' } },
      { userId: u.id, source: 'test' },
    );
    await waitFor(() => seen.some((e) => e.id === marker));
    expect(seen.some((e) => e.payload.contactId === 'ghost')).toBe(false);
    const stored = await db().query(
      `SELECT count(*)::int AS n FROM events WHERE payload->>'contactId' = 'ghost'`,
    );
    expect(stored[0]).toEqual({ n: 0 });
  });

  it('refuses an event whose payload does not match its type', async () => {
    await expect(
      emit(db().db, { type: 'job.failed', payload: { jobId: 1 } } as never, {
        userId: null,
        source: 'test',
      }),
    ).rejects.toThrow();
  });

  it('streams only the user’s own events over SSE and resumes from Last-Event-ID', async () => {
    const [alice, bob] = [await createTestUser(db()), await createTestUser(db())];
    const viewed = (userId: string, contactId: string) =>
      emit(db().db, { type: 'contact.viewed', payload: { contactId } }, { userId, source: 'test' });

    const abort = new AbortController();
    const first = readSse(
      createEventStream({
        db: db().db,
        hub,
        userId: alice.id,
        signal: abort.signal,
        heartbeatMs: 50,
      }),
    );
    await viewed(bob.id, 'bob-1');
    const a1 = await viewed(alice.id, 'alice-1');
    await waitFor(() => first.messages.some((m) => m.data.id === a1));
    await waitFor(() => first.heartbeats() > 0, { what: 'a heartbeat' });
    expect(first.messages.map((m) => m.data.payload.contactId)).toEqual(['alice-1']);
    expect(first.messages[0]!.id).toBe(String(a1));
    abort.abort();
    await first.close();

    // While disconnected, more happens.
    await viewed(alice.id, 'alice-2');
    await viewed(bob.id, 'bob-2');
    const a3 = await viewed(alice.id, 'alice-3');

    const second = readSse(
      createEventStream({ db: db().db, hub, userId: alice.id, lastEventId: a1 }),
    );
    await waitFor(() => second.messages.some((m) => m.data.id === a3));
    const a4 = await viewed(alice.id, 'alice-4');
    await waitFor(() => second.messages.some((m) => m.data.id === a4));
    expect(second.messages.map((m) => m.data.payload.contactId)).toEqual([
      'alice-2',
      'alice-3',
      'alice-4',
    ]);
    await second.close();
  });
});

describeEachDriver(
  'event log across connections',
  (db) => {
    let other: DbHandle;
    let hub: EventHub;
    const seen: StoredEvent[] = [];
    beforeAll(async () => {
      // Another process's view: its own pool and its own LISTEN connection.
      other = await openDb({ driver: 'postgres', url: db().connectionString!, poolSize: 2 });
      hub = await EventHub.start(other);
      hub.subscribe('contact.created', (e) => seen.push(e));
    });
    afterAll(async () => {
      await hub?.close();
      await other?.close();
    });

    it('delivers committed events to a subscriber on another connection, and after it reconnects', async () => {
      const u = await createTestUser(db());
      const created = (contactId: string) =>
        emit(
          db().db,
          { type: 'contact.created', payload: { contactId, email: `${contactId}@x.y` } },
          { userId: u.id, source: 'test' },
        );
      const first = await created('before');
      await waitFor(() => seen.some((e) => e.id === first));

      // Kill the listener's connection server-side; events emitted meanwhile must still arrive.
      await db().query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE application_name = 'rapport-events' AND datname = current_database()`,
      );
      const during = await created('during');
      await waitFor(() => seen.some((e) => e.id === during), { timeoutMs: 15_000 });
      const after = await created('after');
      await waitFor(() => seen.some((e) => e.id === after));
      expect(seen.map((e) => e.payload.contactId)).toEqual(['before', 'during', 'after']);
    });
  },
  'postgres',
);
