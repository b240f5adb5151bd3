import { sql, type SQL } from 'drizzle-orm';
import {
  type AnyPgColumn,
  boolean,
  index,
  jsonb,
  pgTable,
  real,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { user } from './auth';

/**
 * A company's name as the assistant matches it: lower case, letters and digits only ("J.P.
 * Morgan & Co." -> "jpmorganco"). The same expression is indexed (trigram), so a query must
 * use this function for the index to serve it.
 */
export const companyKey = (company: SQL | AnyPgColumn) =>
  sql`regexp_replace(lower(coalesce(${company}, '')), '[^a-z0-9]+', '', 'g')`;

/** An address's domain between dots, letters, digits and dots only ("a@Mail.Enron.com" -> ".mail.enron.com."); indexed like companyKey. */
export const dottedDomainKey = (email: SQL | AnyPgColumn) =>
  sql`('.' || regexp_replace(split_part(lower(${email}), '@', 2), '[^a-z0-9.]+', '', 'g') || '.')`;

export type PhoneType = 'office' | 'mobile' | 'fax' | 'home' | 'other';
export type ContactPhone = { number: string; type?: PhoneType; extension?: string | null };
export type ContactLinks = {
  linkedin?: string | null;
  x?: string | null;
  github?: string | null;
  websites?: string[];
};
/**
 * Where a field's current value came from, so the UI can show it and merges can weigh it: `at`
 * is the evidence's date; `extractedAt`, when contact extraction wrote it (a re-extraction
 * replaces what was written before it started); `evidence`, what else the value rests on ("as
 * 2 colleagues at harborfinch.com sign it" for a domain's company, see nameDomainCompanies).
 */
export type FieldSource = {
  source: string;
  confidence: number;
  at: string;
  evidence?: string;
  extractedAt?: string;
};
export type EditableContactField =
  | 'name'
  | 'company'
  | 'title'
  | 'phones'
  | 'links'
  | 'location'
  | 'notes'
  | 'tags'
  | 'customFields'
  | 'isHuman';

export const contacts = pgTable(
  'contacts',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: text()
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    /** Primary address; every address (this one included) is in contact_emails. */
    email: text().notNull(),
    name: text(),
    nameConfidence: real(),
    company: text(),
    companyDomain: text(),
    title: text(),
    phones: jsonb().$type<ContactPhone[]>().notNull().default([]),
    links: jsonb().$type<ContactLinks>().notNull().default({}),
    location: text(),
    avatarUrl: text(),
    isHuman: boolean().notNull().default(true),
    classificationReason: text(),
    fieldSources: jsonb().$type<Record<string, FieldSource>>().notNull().default({}),
    /** Fields the user edited: extraction and enrichment never overwrite them. */
    userEditedFields: text()
      .array()
      .$type<EditableContactField[]>()
      .notNull()
      .default(sql`'{}'::text[]`),
    notes: text(),
    tags: text()
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    customFields: jsonb().$type<Record<string, string>>().notNull().default({}),
    hidden: boolean().notNull().default(false),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('contacts_user_email_uq').on(t.userId, sql`lower(${t.email})`),
    index('contacts_user_name_idx').on(t.userId, t.name),
    index('contacts_user_company_idx').on(t.userId, t.company),
    // The contact list's name and company sorts (contact-queries.ts), email breaking ties.
    index('contacts_user_sort_name_idx').on(
      t.userId,
      sql`lower(coalesce(${t.name}, ${t.email}))`,
      t.email,
    ),
    index('contacts_user_sort_company_idx').on(t.userId, sql`lower(${t.company})`, t.email),
    index('contacts_user_human_idx').on(t.userId, t.isHuman, t.hidden),
    index('contacts_user_updated_idx').on(t.userId, t.updatedAt.desc()),
    index('contacts_tags_idx').using('gin', t.tags),
    // Substring search (the contact list's ILIKE, the assistant's name lookups) by trigram
    // instead of reading every contact (pg_trgm; loaded into PGlite too).
    index('contacts_name_trgm_idx').using('gin', sql`${t.name} gin_trgm_ops`),
    index('contacts_email_trgm_idx').using('gin', sql`${t.email} gin_trgm_ops`),
    index('contacts_company_trgm_idx').using('gin', sql`${t.company} gin_trgm_ops`),
    index('contacts_local_part_trgm_idx').using(
      'gin',
      sql`split_part(${t.email}, '@', 1) gin_trgm_ops`,
    ),
    // The assistant's company lookups ("who do I know at Duke Energy?", companyFilter).
    index('contacts_company_key_trgm_idx').using('gin', sql`${companyKey(t.company)} gin_trgm_ops`),
    index('contacts_domain_key_trgm_idx').using(
      'gin',
      sql`${dottedDomainKey(t.email)} gin_trgm_ops`,
    ),
  ],
);

/** Every address a contact owns; one person may write from several. */
export const contactEmails = pgTable(
  'contact_emails',
  {
    id: uuid().primaryKey().defaultRandom(),
    /** The contact's user (no key of its own: the contact's cascade removes the row). */
    userId: text().notNull(),
    contactId: uuid()
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    email: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('contact_emails_user_email_uq').on(t.userId, sql`lower(${t.email})`),
    index('contact_emails_contact_idx').on(t.contactId),
  ],
);

/** The user's overrides: an address or an `@domain`, always a person (allow) or never (block). */
export const senderRules = pgTable(
  'sender_rules',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: text()
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    pattern: text().notNull(),
    action: text().$type<'block' | 'allow'>().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('sender_rules_user_pattern_uq').on(t.userId, sql`lower(${t.pattern})`)],
);
