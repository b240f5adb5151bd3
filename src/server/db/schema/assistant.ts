import { jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { user } from './auth';
import { contacts } from './contacts';

/**
 * What the model last wrote about a contact (a relationship summary, next actions), kept until
 * a new email with them: a page view with nothing new costs no model call.
 */
export const assistantResults = pgTable(
  'assistant_results',
  {
    userId: text()
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    contactId: uuid()
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    /** `summary` or `next-actions`. */
    kind: text().notNull(),
    /** What the result stands on: the contact's latest email, the model, the reader's zone. */
    key: text().notNull(),
    value: jsonb().$type<Record<string, unknown>>().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.contactId, t.kind] })],
);
