import { sql } from 'drizzle-orm';
import {
  index,
  integer,
  pgTable,
  real,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  boolean,
} from 'drizzle-orm/pg-core';
import { user } from './auth';
import { contacts } from './contacts';
import { emails, type Direction } from './mail';

export type InteractionType = 'email' | 'meeting' | 'call';
export type ParticipantRole = 'from' | 'to' | 'cc' | 'bcc' | 'reply_to';

/** One row per contact participation in a message, with the direction seen from the owner. */
export const interactions = pgTable(
  'interactions',
  {
    id: uuid().primaryKey().defaultRandom(),
    /**
     * The contact's user. No foreign key of its own: the contact's cascades remove the row with
     * its user, and a key checked on each of the tens of thousands of rows an import writes
     * cost a fifth of their insert.
     */
    userId: text().notNull(),
    contactId: uuid()
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    emailId: uuid().references(() => emails.id, { onDelete: 'cascade' }),
    type: text().$type<InteractionType>().notNull().default('email'),
    direction: text().$type<Direction>().notNull(),
    role: text().$type<ParticipantRole>().notNull(),
    threadId: text(),
    occurredAt: timestamp({ withTimezone: true }).notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('interactions_email_contact_uq').on(t.emailId, t.contactId),
    // Deleting a contact (a merge, or a user's account and its contacts) cascades here by
    // contact: without it each deleted contact scanned the whole table (2.9 s to delete a user
    // with 7,000 contacts on an otherwise empty database, growing with everyone's mail).
    index('interactions_contact_idx').on(t.contactId),
    index('interactions_user_contact_time_idx').on(t.userId, t.contactId, t.occurredAt.desc()),
    index('interactions_user_time_idx').on(t.userId, t.occurredAt.desc()),
    index('interactions_user_thread_idx').on(t.userId, t.threadId),
  ],
);

export const contactStats = pgTable(
  'contact_stats',
  {
    contactId: uuid()
      .primaryKey()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    userId: text()
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    emailsSent: integer().notNull().default(0),
    emailsReceived: integer().notNull().default(0),
    totalEmails: integer().notNull().default(0),
    firstInteractionAt: timestamp({ withTimezone: true }),
    lastInteractionAt: timestamp({ withTimezone: true }),
    firstSentAt: timestamp({ withTimezone: true }),
    lastSentAt: timestamp({ withTimezone: true }),
    firstReceivedAt: timestamp({ withTimezone: true }),
    lastReceivedAt: timestamp({ withTimezone: true }),
    /** Their replies to the owner. */
    theirReplyMedianHours: real(),
    theirReplyMeanHours: real(),
    theirRepliedThreads: integer().notNull().default(0),
    /** The owner's replies to them. */
    myReplyMedianHours: real(),
    myReplyMeanHours: real(),
    myRepliedThreads: integer().notNull().default(0),
    frequencyScore: real().notNull().default(0),
    strengthScore: real().notNull().default(0),
    /** Median days between conversations (threads) with them; null with fewer than two. */
    usualGapDays: real(),
    /** Threads with mail between the owner and them. */
    conversations: integer().notNull().default(0),
    /** Distinct calendar months with mail between the owner and them. */
    activeMonths: integer().notNull().default(0),
    /**
     * In the owner's network: the owner wrote to them, or they wrote to the owner (an owner
     * address in To/Cc). People seen only beside the owner on others' mail are not.
     */
    corresponded: boolean().notNull().default(false),
    goingCold: boolean().notNull().default(false),
    coldScore: real().notNull().default(0),
    /** The moment the time-dependent scores are reckoned at: the user's latest mail, at most now. */
    computedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('contact_stats_user_strength_idx').on(t.userId, t.strengthScore.desc()),
    index('contact_stats_user_total_idx').on(t.userId, t.totalEmails.desc()),
    index('contact_stats_user_last_idx').on(t.userId, t.lastInteractionAt.desc()),
    index('contact_stats_user_cold_idx').on(t.userId, t.coldScore.desc()),
    // The people list's count: the user's network, less the few contacts left out (hidden ones
    // and robots), from this index alone.
    index('contact_stats_user_network_idx')
      .on(t.userId, t.contactId)
      .where(sql`corresponded`),
  ],
);
