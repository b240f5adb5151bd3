import { and, asc, eq, gt } from 'drizzle-orm';
import type { Db } from '@/server/db/client';
import { events } from '@/server/db/schema';
import type { EventHub } from './event-hub';
import type { StoredEvent } from './types';

export type EventStreamOptions = {
  db: Db;
  hub: Pick<EventHub, 'subscribe'>;
  userId: string;
  /** Resume point: the id of the last event the client saw (the `Last-Event-ID` header). */
  lastEventId?: number;
  signal?: AbortSignal;
  heartbeatMs?: number;
  /**
   * Asked before each heartbeat: a stream outlives no sign-out, expiry or revocation (it
   * ends, and the browser's reconnect is refused).
   */
  stillSignedIn?: () => Promise<boolean>;
  /** Called once when the stream ends, however it ends. */
  onClose?: () => void;
};

const REPLAY_LIMIT = 1000;
/**
 * How many of the latest ids a stream remembers, to send an event delivered twice (replayed,
 * and live) once: a window, not a log, so a stream open for days holds no more than this.
 */
export const SENT_WINDOW = 1024;
/** Streams one user may hold open in one web process (a browser tab holds one). */
export const MAX_STREAMS_PER_USER = 10;

const SLOTS_KEY = Symbol.for('rapport.event-stream-slots');
// On globalThis: Next's bundle and the server may load separate copies of this module.
const openStreams: Map<string, number> = ((globalThis as { [SLOTS_KEY]?: Map<string, number> })[
  SLOTS_KEY
] ??= new Map());

/**
 * One of a user's stream slots, or null when they hold `max` already; the function returned
 * gives it back (once, however often it is called).
 */
export function claimStreamSlot(userId: string, max = MAX_STREAMS_PER_USER) {
  const held = openStreams.get(userId) ?? 0;
  if (held >= max) return null;
  openStreams.set(userId, held + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const left = (openStreams.get(userId) ?? 1) - 1;
    if (left > 0) openStreams.set(userId, left);
    else openStreams.delete(userId);
  };
}

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
  /** The latest ids sent, oldest first (a Set keeps insertion order). */
  const sent = new Set<number>();
  const remember = (id: number) => {
    sent.add(id);
    if (sent.size > SENT_WINDOW) sent.delete(sent.values().next().value!);
  };
  let cleanup = () => {};

  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      let open = true;
      const write = (text: string) => {
        if (open) controller.enqueue(encoder.encode(text));
      };
      const send = (e: StoredEvent) => {
        if (e.userId !== userId || sent.has(e.id)) return;
        remember(e.id);
        write(frame(e));
      };
      // Subscribe first, then replay: nothing committed in between is lost. Live events that
      // arrive during the replay wait, so the client sees ids in order.
      let pending: StoredEvent[] | null = options.lastEventId === undefined ? null : [];
      const unsubscribe = hub.subscribe('*', (e) => (pending ? pending.push(e) : send(e)));
      const beat = async () => {
        const valid = options.stillSignedIn
          ? await options.stillSignedIn().catch(() => false)
          : true;
        if (valid) write(': heartbeat\n\n');
        else cleanup();
      };
      const heartbeat = setInterval(() => void beat(), options.heartbeatMs ?? 15_000);
      cleanup = () => {
        if (!open) return;
        open = false;
        options.onClose?.();
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
