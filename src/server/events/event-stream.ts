import { and, asc, eq, gt } from 'drizzle-orm';
import type { Db } from '@/server/db/client';
import { events } from '@/server/db/schema';
import type { EventHub } from './event-hub';
import type { StoredEvent } from './types';

export type EventStreamOptions = {
  db: Db;
  hub: EventHub;
  userId: string;
  /** Resume point: the id of the last event the client saw (the `Last-Event-ID` header). */
  lastEventId?: number;
  signal?: AbortSignal;
  heartbeatMs?: number;
};

const REPLAY_LIMIT = 1000;

/** Unnamed SSE messages (the type is in the data), so one `onmessage` receives them all. */
function frame(e: StoredEvent) {
  const data = { id: e.id, type: e.type, payload: e.payload, createdAt: e.createdAt };
  return `id: ${e.id}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * Server-sent events of one user's events (and only theirs): first what they missed since
 * `lastEventId`, then live ones, with a heartbeat comment so proxies keep the stream open.
 */
export function createEventStream(options: EventStreamOptions): Response {
  const { db, hub, userId } = options;
  const encoder = new TextEncoder();
  const sent = new Set<number>();
  let cleanup = () => {};

  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      let open = true;
      const write = (text: string) => {
        if (open) controller.enqueue(encoder.encode(text));
      };
      const send = (e: StoredEvent) => {
        if (e.userId !== userId || sent.has(e.id)) return;
        sent.add(e.id);
        write(frame(e));
      };
      // Subscribe first, then replay: nothing committed in between is lost. Live events that
      // arrive during the replay wait, so the client sees ids in order.
      let pending: StoredEvent[] | null = options.lastEventId === undefined ? null : [];
      const unsubscribe = hub.subscribe('*', (e) => (pending ? pending.push(e) : send(e)));
      const heartbeat = setInterval(() => write(': heartbeat\n\n'), options.heartbeatMs ?? 15_000);
      cleanup = () => {
        if (!open) return;
        open = false;
        unsubscribe();
        clearInterval(heartbeat);
        try {
          controller.close();
        } catch {
          // already closed by the client
        }
      };
      options.signal?.addEventListener('abort', cleanup);
      write('retry: 3000\n\n');
      if (pending) {
        const missed = await db
          .select()
          .from(events)
          .where(and(eq(events.userId, userId), gt(events.id, options.lastEventId!)))
          .orderBy(asc(events.id))
          .limit(REPLAY_LIMIT);
        for (const e of missed) send(e as StoredEvent);
        const live = pending.sort((a, b) => a.id - b.id);
        pending = null;
        for (const e of live) send(e);
      }
    },
    cancel() {
      cleanup();
    },
  });

  return new Response(body, {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    },
  });
}

export function parseLastEventId(req: Request): number | undefined {
  const raw = req.headers.get('last-event-id') ?? new URL(req.url).searchParams.get('lastEventId');
  const n = raw === null ? NaN : Number(raw);
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}
