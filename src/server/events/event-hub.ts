import pg from 'pg';
import { inArray } from 'drizzle-orm';
import type { DbHandle } from '@/server/db/client';
import { events } from '@/server/db/schema';
import { EVENTS_CHANNEL, type AppEventType, type StoredEvent } from './types';

type Handler = (event: StoredEvent) => void;
type Notice = { ids: number[]; userId: string | null };

/**
 * One LISTEN per process, fanned out to in-process subscribers. On PGlite the listener is the
 * embedded database itself; on PostgreSQL a dedicated connection that reconnects on loss and
 * then replays what it missed from the table.
 */
export class EventHub {
  private handlers = new Map<string, Set<Handler>>();
  private unlisten?: () => Promise<void>;
  private client?: pg.Client;
  private closed = false;
  private lastSeenId = 0;
  private reconnectDelayMs = 250;

  private constructor(private readonly handle: DbHandle) {}

  static async start(handle: DbHandle) {
    const hub = new EventHub(handle);
    await hub.listen();
    return hub;
  }

  subscribe(type: AppEventType | '*', handler: Handler): () => void {
    let set = this.handlers.get(type);
    if (!set) this.handlers.set(type, (set = new Set()));
    set.add(handler);
    return () => set.delete(handler);
  }

  async close() {
    this.closed = true;
    await this.unlisten?.();
    await this.client?.end().catch(() => {});
  }

  private async listen() {
    if (this.handle.driver === 'pglite') {
      this.unlisten = await this.handle.pglite!.listen(EVENTS_CHANNEL, (payload) =>
        this.onNotice(payload),
      );
      return;
    }
    await this.connect();
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.handle.connectionString,
      application_name: 'rapport-events',
    });
    client.on('notification', (msg) => msg.payload && this.onNotice(msg.payload));
    client.on('error', () => this.reconnect(client));
    client.on('end', () => this.reconnect(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${EVENTS_CHANNEL}`);
    } catch (err) {
      await client.end().catch(() => {});
      throw err;
    }
    this.client = client;
    this.reconnectDelayMs = 250;
  }

  private reconnect(dead: pg.Client) {
    if (this.closed || this.client !== dead) return;
    this.client = undefined;
    void this.reconnectLoop();
  }

  /** Backs off (250 ms doubling to 10 s) until connected, then replays what it missed. */
  private async reconnectLoop() {
    while (!this.closed) {
      await new Promise((r) => setTimeout(r, this.reconnectDelayMs).unref());
      if (this.closed) return;
      try {
        await this.connect();
        await this.replaySince(this.lastSeenId);
        return;
      } catch {
        this.reconnectDelayMs = Math.min(this.reconnectDelayMs * 2, 10_000);
      }
    }
  }

  private async replaySince(id: number) {
    if (!this.handle.pool) return;
    const { rows } = await this.handle.pool.query<{ id: string }>(
      'SELECT id FROM events WHERE id > $1 ORDER BY id LIMIT 10000',
      [id],
    );
    if (rows.length) await this.deliver(rows.map((r) => Number(r.id)));
  }

  private onNotice(raw: string) {
    let notice: Notice;
    try {
      notice = JSON.parse(raw) as Notice;
    } catch {
      return;
    }
    void this.deliver(notice.ids).catch((err: unknown) =>
      console.error('[events] delivery failed:', (err as Error).message),
    );
  }

  private async deliver(ids: number[]) {
    if (this.handlers.size === 0 || ids.length === 0) {
      this.lastSeenId = Math.max(this.lastSeenId, ...ids);
      return;
    }
    const rows = await this.handle.db.select().from(events).where(inArray(events.id, ids));
    rows.sort((a, b) => a.id - b.id);
    for (const row of rows) {
      this.lastSeenId = Math.max(this.lastSeenId, row.id);
      const event = row as StoredEvent;
      for (const key of [event.type, '*']) {
        for (const handler of this.handlers.get(key) ?? []) {
          try {
            handler(event);
          } catch (err) {
            console.error('[events] subscriber failed:', (err as Error).message);
          }
        }
      }
    }
  }
}
