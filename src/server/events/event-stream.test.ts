import { describe, expect, it } from 'vitest';
import type { Db } from '@/server/db/client';
import { readSse } from '../../../test/support/sse-reader';
import { waitFor } from '../../../test/support/wait-for';
import { claimStreamSlot, createEventStream, SENT_WINDOW } from './event-stream';
import type { StoredEvent } from './types';

/** The hub's one method the stream uses, delivering what a test publishes. */
class LocalHub {
  private handlers = new Set<(e: StoredEvent) => void>();
  subscribe(_type: string, handler: (e: StoredEvent) => void) {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }
  publish(e: StoredEvent) {
    for (const h of this.handlers) h(e);
  }
  get subscribers() {
    return this.handlers.size;
  }
}

const event = (id: number, userId = 'u1'): StoredEvent => ({
  id,
  userId,
  type: 'contact.viewed',
  payload: { contactId: `c${id}` },
  metadata: { source: 'test', version: 1 },
  createdAt: new Date(0),
});
// No Last-Event-ID: the stream never reads the database.
const db = {} as Db;

describe('createEventStream', () => {
  it('sends an event delivered twice once, remembering only the latest ids (bounded)', async () => {
    const hub = new LocalHub();
    const sse = readSse(createEventStream({ db, hub, userId: 'u1' }));
    hub.publish(event(1));
    hub.publish(event(1));
    for (let id = 2; id <= SENT_WINDOW + 10; id++) hub.publish(event(id));
    hub.publish(event(SENT_WINDOW + 10)); // recent: still known, dropped
    hub.publish(event(1)); // long gone from the window: sent again, nothing is kept forever
    await waitFor(() => sse.messages.length >= SENT_WINDOW + 11);
    await sse.close();
    const ids = sse.messages.map((m) => m.data.id);
    expect(ids.filter((id) => id === 1)).toHaveLength(2);
    expect(ids.filter((id) => id === SENT_WINDOW + 10)).toHaveLength(1);
    expect(ids).toHaveLength(SENT_WINDOW + 11);
  });

  it('checks the session on every heartbeat and ends the stream once it is gone', async () => {
    const hub = new LocalHub();
    let signedIn = true;
    let checks = 0;
    const sse = readSse(
      createEventStream({
        db,
        hub,
        userId: 'u1',
        heartbeatMs: 20,
        stillSignedIn: async () => {
          checks++;
          return signedIn;
        },
      }),
    );
    await waitFor(() => sse.heartbeats() >= 2, { what: 'heartbeats while signed in' });
    signedIn = false;
    // The stream ends by itself (readSse's pump returns), and stops listening.
    await waitFor(() => hub.subscribers === 0, { what: 'the stream to end' });
    const before = checks;
    hub.publish(event(7));
    await sse.close();
    expect(sse.messages).toEqual([]);
    expect(checks).toBe(before);
  });
});

describe('claimStreamSlot', () => {
  it('gives a user at most `max` streams at once, and a slot back when one closes', () => {
    const slots = Array.from({ length: 3 }, () => claimStreamSlot('cap-user', 3));
    expect(slots.every(Boolean)).toBe(true);
    expect(claimStreamSlot('cap-user', 3)).toBeNull();
    expect(claimStreamSlot('other-user', 3)).not.toBeNull(); // per user
    slots[0]!();
    slots[0]!(); // releasing twice frees one slot only
    const again = claimStreamSlot('cap-user', 3);
    expect(again).not.toBeNull();
    expect(claimStreamSlot('cap-user', 3)).toBeNull();
  });
});
