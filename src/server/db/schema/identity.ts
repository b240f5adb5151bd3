import {
  index,
  jsonb,
  pgTable,
  primaryKey,
  real,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { user } from './auth';
import { contacts } from './contacts';

/**
 * The duplicate review queue: contacts that are likely one person, with the reasons (see
 * findDuplicates). A cache of the user's contacts, found again when they change (the
 * fingerprint in duplicate_scans), so reading the queue costs one index range.
 */
export const duplicateSuggestions = pgTable(
  'duplicate_suggestions',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: text()
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    /** The busiest first: the contact a merge keeps. */
    contactIds: uuid().array().notNull(),
    reasons: jsonb().$type<string[]>().notNull().default([]),
    confidence: real().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('duplicate_suggestions_user_idx').on(t.userId, t.confidence.desc())],
);

/** What the queue was found from: the user's contacts as they stood (their count and latest change). */
export const duplicateScans = pgTable('duplicate_scans', {
  userId: text()
    .primaryKey()
    .references(() => user.id, { onDelete: 'cascade' }),
  fingerprint: text().notNull(),
  scannedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/** Pairs the user said are two people ("Not the same person", or a merge undone). */
export const duplicateDismissals = pgTable(
  'duplicate_dismissals',
  {
    userId: text()
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    /** The pair's ids in order (contactA < contactB). */
    contactA: uuid()
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    contactB: uuid()
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.contactA, t.contactB] })],
);

/** What a merge undoes: every row it changed or removed, as it was (see mergeContacts). */
export type MergeSnapshot = {
  kept: Record<string, unknown>;
  merged: Record<string, unknown>[];
  addresses: { id: string; email: string; contactId: string }[];
  interactions: Record<string, unknown>[];
  keptRoles: { id: string; role: string }[];
  enrichments: Record<string, unknown>[];
};

/** A merge, undoable: the contact kept, the addresses folded into it, and the snapshot. */
export const contactMerges = pgTable(
  'contact_merges',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: text()
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    keptContactId: uuid()
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    /** The merged contacts' addresses and names, for the history. */
    mergedEmails: text().array().notNull(),
    mergedNames: text().array().notNull(),
    snapshot: jsonb().$type<MergeSnapshot>().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    undoneAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index('contact_merges_user_idx').on(t.userId, t.createdAt.desc()),
    index('contact_merges_kept_idx').on(t.keptContactId),
  ],
);
