import { sql } from 'drizzle-orm';
import { index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { user } from './auth';
import { contacts } from './contacts';

export type EnrichmentStatus = 'ok' | 'not_found' | 'error';

/** One row per contact and provider: the cache (with its TTL) and the evidence for each field. */
export const enrichments = pgTable(
  'enrichments',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: text()
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    contactId: uuid()
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    source: text().notNull(),
    status: text().$type<EnrichmentStatus>().notNull(),
    data: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    error: text(),
    fetchedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp({ withTimezone: true })
      .notNull()
      .default(sql`now() + interval '30 days'`),
  },
  (t) => [
    uniqueIndex('enrichments_contact_source_uq').on(t.contactId, t.source),
    index('enrichments_user_expires_idx').on(t.userId, t.expiresAt),
  ],
);
