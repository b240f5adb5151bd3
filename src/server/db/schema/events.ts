import { bigserial, index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { user } from './auth';

export type EventMetadata = { source: string; version: number };

/**
 * The event log. A bigserial id gives a total order the SSE stream resumes from
 * (Last-Event-ID). user_id is null for system events.
 */
export const events = pgTable(
  'events',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    userId: text().references(() => user.id, { onDelete: 'cascade' }),
    type: text().notNull(),
    payload: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    metadata: jsonb().$type<EventMetadata>().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('events_user_id_idx').on(t.userId, t.id),
    index('events_type_created_idx').on(t.type, t.createdAt),
    index('events_created_idx').on(t.createdAt),
  ],
);
