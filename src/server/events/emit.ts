import { sql } from 'drizzle-orm';
import type { DbOrTx } from '@/server/db/client';
import { events } from '@/server/db/schema';
import { appEventSchema, EVENT_SCHEMA_VERSION, EVENTS_CHANNEL, type AppEvent } from './types';

export type EmitOptions = { userId: string | null; source: string };

/**
 * Records events inside the caller's transaction. The NOTIFY is part of the same transaction,
 * and PostgreSQL delivers notifications only on commit: a rolled-back event is neither stored
 * nor delivered.
 */
export async function emitMany(tx: DbOrTx, list: AppEvent[], options: EmitOptions) {
  if (list.length === 0) return [];
  const rows = list.map((e) => {
    const parsed = appEventSchema.parse(e);
    return {
      userId: options.userId,
      type: parsed.type,
      payload: parsed.payload as Record<string, unknown>,
      metadata: { source: options.source, version: EVENT_SCHEMA_VERSION },
    };
  });
  // One statement: the rows, and one notification for them all; listeners fetch the rows by
  // id (payloads can exceed NOTIFY's 8 kB).
  const inserted = tx
    .$with('inserted')
    .as(tx.insert(events).values(rows).returning({ id: events.id }));
  const ids = sql`json_agg(${inserted.id} ORDER BY ${inserted.id})`;
  const [sent] = await tx
    .with(inserted)
    .select({
      ids: sql<number[]>`${ids}`,
      notified: sql`pg_notify(${EVENTS_CHANNEL}, json_build_object('ids', ${ids}, 'userId', ${options.userId}::text)::text)`,
    })
    .from(inserted);
  return sent!.ids;
}

export async function emit(tx: DbOrTx, event: AppEvent, options: EmitOptions) {
  const [id] = await emitMany(tx, [event], options);
  return id!;
}
