import { and, asc, eq, ilike, notInArray, or, sql, type SQL } from 'drizzle-orm';
import { recomputeStats } from '@/server/analytics/recompute-stats';
import type { DbOrTx } from '@/server/db/client';
import { contactStats, contacts, type EditableContactField } from '@/server/db/schema';
import { notFound } from '@/server/errors/app-error';

export const CONTACT_SORTS = ['strength', 'name', 'company', 'last', 'emails'] as const;
export type ContactSort = (typeof CONTACT_SORTS)[number];

/**
 * Which contacts a list shows: `people`, the owner's network (people they corresponded with:
 * they wrote to them, or were written to directly); `seen`, people only ever beside the owner on
 * others' mail; `humans`, both; `robots`, lists and automated senders; `all`, everyone. Hidden
 * contacts are never listed.
 */
export const CONTACT_SCOPES = ['people', 'seen', 'humans', 'robots', 'all'] as const;
export type ContactScope = (typeof CONTACT_SCOPES)[number];

export type ListContactsInput = {
  userId: string;
  search?: string;
  /** Default: `humans` when humansOnly, else `all` (humansOnly is the older switch). */
  scope?: ContactScope;
  humansOnly?: boolean;
  sort?: ContactSort;
  direction?: 'asc' | 'desc';
  limit: number;
  offset: number;
  /** Filters: company (part of the name), a tag, a strength range, the last email's date. */
  company?: string;
  tag?: string;
  minStrength?: number;
  maxStrength?: number;
  lastAfter?: Date;
  lastBefore?: Date;
};

const likeOf = (s: string) => `%${s.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;

const SORT_COLUMNS: Record<ContactSort, SQL> = {
  strength: sql`coalesce(${contactStats.strengthScore}, 0)`,
  name: sql`lower(coalesce(${contacts.name}, ${contacts.email}))`,
  company: sql`lower(${contacts.company})`,
  last: sql`${contactStats.lastInteractionAt}`,
  emails: sql`coalesce(${contactStats.totalEmails}, 0)`,
};

/**
 * Ties go to more mail, then the latest: an old archive's people all score 0 strength (its mail
 * decayed years ago), and its list still starts with whom the owner wrote with most.
 */
const TIEBREAKS: Record<ContactSort, SQL[]> = {
  strength: [sql`coalesce(${contactStats.totalEmails}, 0)`, sql`${contactStats.lastInteractionAt}`],
  emails: [sql`${contactStats.lastInteractionAt}`],
  last: [sql`coalesce(${contactStats.totalEmails}, 0)`],
  name: [],
  company: [],
};

/**
 * The stats sorts, descending (their default), can walk their contact_stats index instead of
 * sorting every contact: contacts without stats sort as 0 (or, for `last`, as unknown), after
 * every positive value, so a page that ends on a positive value is exactly the page of the
 * full query. Deep pages and text filters on the contact are left to the full query: there
 * the walk would cover much of the index, one contact at a time.
 */
const INDEX_WALK_MAX = 1000;
const INDEXED_SORTS = {
  strength: { column: contactStats.strengthScore, exact: (r: ListedStats) => r.strengthScore! > 0 },
  emails: { column: contactStats.totalEmails, exact: (r: ListedStats) => r.totalEmails! > 0 },
  last: {
    column: contactStats.lastInteractionAt,
    exact: (r: ListedStats) => !!r.lastInteractionAt,
  },
};
type ListedStats = {
  strengthScore: number | null;
  lastInteractionAt: Date | null;
  totalEmails: number | null;
};

const listColumns = {
  id: contacts.id,
  email: contacts.email,
  name: contacts.name,
  company: contacts.company,
  title: contacts.title,
  isHuman: contacts.isHuman,
  tags: contacts.tags,
  corresponded: sql<boolean>`coalesce(${contactStats.corresponded}, false)`.as('corresponded'),
  strengthScore: contactStats.strengthScore,
  lastInteractionAt: contactStats.lastInteractionAt,
  totalEmails: contactStats.totalEmails,
};

export async function listContacts(db: DbOrTx, input: ListContactsInput) {
  const scope = input.scope ?? (input.humansOnly ? 'humans' : 'all');
  const filters: SQL[] = [eq(contacts.userId, input.userId), eq(contacts.hidden, false)];
  const humanFilter = { people: true, seen: true, humans: true, robots: false, all: null }[scope];
  if (humanFilter !== null) filters.push(eq(contacts.isHuman, humanFilter));
  if (input.search) {
    const like = likeOf(input.search);
    filters.push(
      or(ilike(contacts.name, like), ilike(contacts.email, like), ilike(contacts.company, like))!,
    );
  }
  if (input.company) filters.push(ilike(contacts.company, likeOf(input.company)));
  if (input.tag) filters.push(sql`${input.tag} = ANY(${contacts.tags})`);
  const statsFilters: SQL[] = [];
  if (scope === 'people') statsFilters.push(eq(contactStats.corresponded, true));
  if (scope === 'seen') statsFilters.push(sql`${contactStats.corresponded} IS NOT TRUE`);
  if (input.minStrength !== undefined)
    statsFilters.push(sql`coalesce(${contactStats.strengthScore}, 0) >= ${input.minStrength}`);
  if (input.maxStrength !== undefined)
    statsFilters.push(sql`coalesce(${contactStats.strengthScore}, 0) <= ${input.maxStrength}`);
  if (input.lastAfter)
    statsFilters.push(
      sql`${contactStats.lastInteractionAt} >= ${input.lastAfter.toISOString()}::timestamptz`,
    );
  if (input.lastBefore)
    statsFilters.push(
      sql`${contactStats.lastInteractionAt} < ${input.lastBefore.toISOString()}::timestamptz`,
    );
  const where = and(...filters, ...statsFilters);
  const sort = input.sort ?? 'strength';
  const direction = input.direction ?? (sort === 'name' || sort === 'company' ? 'asc' : 'desc');

  const order = (keys: SQL[], email: SQL | typeof contacts.email) => [
    ...keys.map((key) =>
      direction === 'asc' ? sql`${key} ASC NULLS LAST` : sql`${key} DESC NULLS LAST`,
    ),
    asc(email),
  ];
  const sortKeys = [SORT_COLUMNS[sort], ...TIEBREAKS[sort]];
  const ordered = () =>
    db
      .select(listColumns)
      .from(contacts)
      .leftJoin(contactStats, eq(contactStats.contactId, contacts.id))
      .where(where)
      .orderBy(...order(sortKeys, contacts.email))
      .limit(input.limit)
      .offset(input.offset);
  const withoutTotal = <R extends { total: number }>(rows: R[]) =>
    rows.map(({ total: _, ...row }) => row);
  const textual = !!(input.search || input.company || input.tag);
  // A stats filter that no contact without stats passes (a minimum strength, a date range).
  const needsStats =
    scope === 'people' || (input.minStrength ?? 0) > 0 || !!input.lastAfter || !!input.lastBefore;
  // The contacts the list leaves out whatever the filters: hidden ones, and those of the other
  // kind (robots for a list of people, people for a list of robots).
  const leftOut = () =>
    db
      .select({ id: contacts.id })
      .from(contacts)
      .where(
        and(
          eq(contacts.userId, input.userId),
          humanFilter === null
            ? eq(contacts.hidden, true)
            : or(eq(contacts.hidden, true), eq(contacts.isHuman, !humanFilter)),
        ),
      );
  const countQuery = () => {
    const counted = db.select({ count: sql<number>`count(*)::int` });
    // No stats filter: no join (an index alone can count them).
    if (!statsFilters.length) return counted.from(contacts).where(where);
    // The stats rows that pass, less those of contacts left out: a range of a stats index and
    // a small hashed set, not a join of every contact.
    if (needsStats && !textual)
      return counted
        .from(contactStats)
        .where(
          and(
            eq(contactStats.userId, input.userId),
            ...statsFilters,
            notInArray(contactStats.contactId, leftOut()),
          ),
        );
    return counted
      .from(contacts)
      .leftJoin(contactStats, eq(contactStats.contactId, contacts.id))
      .where(where);
  };
  const count = async () => (await countQuery())[0]?.count ?? 0;

  // A text filter: its matches (found by their trigram indexes), counted, then sorted and cut.
  // The window function keeps PostgreSQL from walking a sort index instead, which would test
  // the filter on every contact to count them all.
  if (textual) {
    const matches = db
      .select({
        ...listColumns,
        sortKey0: sql`${sortKeys[0]}`.as('sort_key0'),
        sortKey1: sql`${sortKeys[1] ?? sql`null`}`.as('sort_key1'),
        sortKey2: sql`${sortKeys[2] ?? sql`null`}`.as('sort_key2'),
        total: sql<number>`(count(*) OVER ())::int`.as('total'),
      })
      .from(contacts)
      .leftJoin(contactStats, eq(contactStats.contactId, contacts.id))
      .where(where)
      .as('matches');
    const { sortKey0: k0, sortKey1: k1, sortKey2: k2, ...columns } = matches._.selectedFields;
    const rows = await db
      .select(columns)
      .from(matches)
      .orderBy(
        ...order(
          [sql`${k0}`, sql`${k1}`, sql`${k2}`].slice(0, sortKeys.length),
          sql`${matches.email}`,
        ),
      )
      .limit(input.limit)
      .offset(input.offset);
    const total = rows[0]?.total ?? (input.offset > 0 ? await count() : 0);
    return { rows: withoutTotal(rows), total };
  }
  const indexed = sort in INDEXED_SORTS ? INDEXED_SORTS[sort as keyof typeof INDEXED_SORTS] : null;
  const page = async () => {
    if (indexed && direction === 'desc' && input.offset + input.limit <= INDEX_WALK_MAX) {
      const rows = await db
        .select(listColumns)
        .from(contacts)
        .innerJoin(contactStats, eq(contactStats.contactId, contacts.id))
        .where(and(where, eq(contactStats.userId, input.userId)))
        // The column itself (not coalesced) first: its index gives the order.
        .orderBy(...order([sql`${indexed.column}`, ...TIEBREAKS[sort]], contacts.email))
        .limit(input.limit)
        .offset(input.offset);
      if (rows.length === input.limit && indexed.exact(rows.at(-1)!)) return rows;
    }
    return ordered();
  };
  const [rows, total] = await Promise.all([page(), count()]);
  return { rows, total };
}

export async function getContact(db: DbOrTx, userId: string, id: string) {
  const [row] = await db
    .select()
    .from(contacts)
    .where(and(eq(contacts.id, id), eq(contacts.userId, userId)));
  if (!row) throw notFound('Contact');
  return row;
}

export type ContactPatch = Partial<{
  name: string | null;
  company: string | null;
  title: string | null;
  location: string | null;
  notes: string | null;
  tags: string[];
  customFields: Record<string, string>;
  isHuman: boolean;
}>;

/** A user's edit: the fields are marked as theirs, so extraction and enrichment keep off them. */
export async function updateContact(db: DbOrTx, userId: string, id: string, patch: ContactPatch) {
  const edited = Object.keys(patch) as EditableContactField[];
  const [row] = await db
    .update(contacts)
    .set({
      ...patch,
      userEditedFields: sql`(SELECT array_agg(DISTINCT f) FROM unnest(${contacts.userEditedFields} || ${sql.param(edited)}::text[]) AS f)`,
      updatedAt: new Date(),
    })
    .where(and(eq(contacts.id, id), eq(contacts.userId, userId)))
    .returning();
  if (!row) throw notFound('Contact');
  // A robot made a person (or back) may now count as one of the user's people (see recomputeStats).
  if (patch.isHuman !== undefined) await recomputeStats(db, { userId, contactIds: [id] });
  return row;
}

/** Adds or removes a tag on many contacts at once (marked as the user's edit). */
export async function bulkTag(
  db: DbOrTx,
  userId: string,
  ids: string[],
  tag: string,
  action: 'add' | 'remove',
) {
  const tags =
    action === 'add'
      ? sql`ARRAY(SELECT DISTINCT t FROM unnest(${contacts.tags} || ARRAY[${tag}]::text[]) AS t ORDER BY t)`
      : sql`array_remove(${contacts.tags}, ${tag})`;
  const rows = await db
    .update(contacts)
    .set({
      tags,
      userEditedFields: sql`(SELECT array_agg(DISTINCT f) FROM unnest(${contacts.userEditedFields} || ARRAY['tags']::text[]) AS f)`,
      updatedAt: new Date(),
    })
    .where(and(eq(contacts.userId, userId), sql`${contacts.id} = ANY(${sql.param(ids)}::uuid[])`))
    .returning({ id: contacts.id });
  return { updated: rows.length };
}

/** Hides contacts from every list (or shows them again); their mail stays. */
export async function setHidden(db: DbOrTx, userId: string, ids: string[], hidden: boolean) {
  const rows = await db
    .update(contacts)
    .set({ hidden, updatedAt: new Date() })
    .where(and(eq(contacts.userId, userId), sql`${contacts.id} = ANY(${sql.param(ids)}::uuid[])`))
    .returning({ id: contacts.id });
  return { updated: rows.length };
}
