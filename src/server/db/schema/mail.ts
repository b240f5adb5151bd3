import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { account, user } from './auth';

export type MailProviderKind = 'gmail' | 'mbox' | 'imap';
export type SyncStatus = 'idle' | 'syncing' | 'error' | 'needs_reconnect' | 'needs_permission';
export type Direction = 'inbound' | 'outbound';
export type Address = { email: string; name?: string | null };
export type SyncCursor = {
  mode: 'full';
  pageToken: string | null;
  /** The mailbox's historyId when the full sync began: incremental sync continues from it. */
  startHistoryId: string;
  fetched: number;
  total: number;
  startedAt: string;
  /** A resync after an expired history: messages Gmail no longer lists are removed at the end. */
  resync?: boolean;
};
export type AttachmentMeta = {
  filename: string | null;
  mimeType: string;
  size: number;
  contentId?: string | null;
  providerAttachmentId?: string | null;
};

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/** One row per mail source: a Gmail account, an mbox import, later IMAP. */
export const mailAccounts = pgTable(
  'mail_accounts',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: text()
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    provider: text().$type<MailProviderKind>().notNull(),
    address: text().notNull(),
    aliases: text()
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    displayName: text(),
    /** The better-auth account holding this source's OAuth tokens (Gmail). */
    authAccountId: text().references(() => account.id, { onDelete: 'set null' }),
    historyId: text(),
    /** Where an unfinished full sync stands (page token, its starting historyId, counts): it resumes there. */
    syncCursor: jsonb().$type<SyncCursor | null>(),
    syncStatus: text().$type<SyncStatus>().notNull().default('idle'),
    syncStartedAt: timestamp({ withTimezone: true }),
    lastSyncedAt: timestamp({ withTimezone: true }),
    lastError: text(),
    failureCount: integer().notNull().default(0),
    messagesCount: integer().notNull().default(0),
    /** The raw size of its messages, summed (the user's storage quota counts it). */
    bytesCount: bigint({ mode: 'number' }).notNull().default(0),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('mail_accounts_user_provider_address_uq').on(
      t.userId,
      t.provider,
      sql`lower(${t.address})`,
    ),
  ],
);

export const emails = pgTable(
  'emails',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: text()
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    accountId: uuid().references(() => mailAccounts.id, { onDelete: 'cascade' }),
    source: text().$type<MailProviderKind>().notNull(),
    /** Gmail id; for mbox/IMAP the Message-ID header, or a content hash when absent. */
    providerMessageId: text().notNull(),
    messageIdHeader: text(),
    threadId: text(),
    /** sender + date + subject + normalised body: one message filed under several folders. */
    contentKey: text(),
    inReplyTo: text(),
    references: text()
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    subject: text(),
    /** The subject a thread shares (reply/forward prefixes removed, lower case). */
    subjectNorm: text(),
    fromEmail: text(),
    fromName: text(),
    to: jsonb().$type<Address[]>().notNull().default([]),
    cc: jsonb().$type<Address[]>().notNull().default([]),
    bcc: jsonb().$type<Address[]>().notNull().default([]),
    replyTo: jsonb().$type<Address[]>().notNull().default([]),
    /** Every address in From/To/Cc/Bcc/Reply-To, lower case: thread matching and lookups. */
    participants: text()
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    sentAt: timestamp({ withTimezone: true }),
    direction: text().$type<Direction>().notNull(),
    snippet: text(),
    bodyText: text(),
    /**
     * The HTML shown for the message: flattened and sanitised once, when it was stored
     * (mail/display-html.ts), at most 256 kB. Rows stored before that (or restored from an older
     * backup) hold the message's raw HTML until the `mail.sanitize-html` job has done them.
     */
    bodyHtml: text(),
    /** Whether body_html is display HTML (sanitised); false: raw HTML waiting for the job. */
    htmlSanitized: boolean().notNull().default(false),
    /** The message had HTML too big to show safely: it is shown as text. */
    htmlAsText: boolean().notNull().default(false),
    labels: text()
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    headers: jsonb().$type<Record<string, string>>().notNull().default({}),
    attachments: jsonb().$type<AttachmentMeta[]>().notNull().default([]),
    sizeBytes: bigint({ mode: 'number' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** Full-text search; bodies are cut to stay under tsvector's 1 MB limit. */
    search: tsvector().generatedAlwaysAs(
      sql`setweight(to_tsvector('english', coalesce(subject, '')), 'A') || setweight(to_tsvector('english', left(coalesce(body_text, ''), 200000)), 'B')`,
    ),
  },
  (t) => [
    uniqueIndex('emails_user_source_provider_id_uq').on(t.userId, t.source, t.providerMessageId),
    index('emails_user_content_key_idx').on(t.userId, t.contentKey),
    index('emails_user_message_id_idx').on(t.userId, t.messageIdHeader),
    index('emails_user_thread_idx').on(t.userId, t.threadId, t.sentAt),
    index('emails_user_sent_at_idx').on(t.userId, t.sentAt.desc()),
    index('emails_user_from_idx').on(t.userId, sql`lower(${t.fromEmail})`),
    index('emails_user_subject_idx').on(t.userId, t.subjectNorm, t.sentAt),
    index('emails_search_idx').using('gin', t.search),
    // Raw HTML still to sanitise: rows stored before that was done at ingest (empty after).
    index('emails_html_unsanitized_idx')
      .on(t.id)
      .where(sql`body_html IS NOT NULL AND NOT html_sanitized`),
  ],
);

/** A message an import could not take, with why: stored + rejected = read. */
export const importErrors = pgTable(
  'import_errors',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: text()
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    accountId: uuid().references(() => mailAccounts.id, { onDelete: 'cascade' }),
    /** Where it came from: file and position, or a provider id. */
    sourceRef: text().notNull(),
    reason: text().notNull(),
    excerpt: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('import_errors_user_idx').on(t.userId, t.createdAt.desc())],
);

/**
 * The conversation index for mail without threading headers: per thread, each normalised
 * subject and participant other than the owner, with the thread's time span. A header-less
 * message joins the thread that shares its subject and one of its people within a window —
 * one exact index lookup per (person, subject), however large the mailbox.
 */
export const threadParticipants = pgTable(
  'thread_participants',
  {
    userId: text()
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    participant: text().notNull(),
    subjectNorm: text().notNull(),
    threadId: text().notNull(),
    firstAt: timestamp({ withTimezone: true }),
    lastAt: timestamp({ withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.userId, t.participant, t.subjectNorm, t.threadId] })],
);
