import { sql, type SQL } from 'drizzle-orm';
import { rowsOf, type DbOrTx } from '@/server/db/client';
import type { ParticipantRole } from '@/server/db/schema';
import { nameForms } from '@/server/contacts/nicknames';
import { companyKey, dottedDomainKey } from '@/server/db/schema/contacts';
import type { Direction, TopMetric } from './intents';
import type { Period } from './periods';

/**
 * The assistant's read-only view of one user's network. Both engines use only these functions
 * (the built-in one directly, the model through tools), and every query is scoped by `userId`:
 * nothing here can write, and nothing can see another user's rows.
 */

export type PersonRow = {
  id: string;
  email: string;
  name: string | null;
  company: string | null;
  title: string | null;
  isHuman: boolean;
  emailsSent: number;
  emailsReceived: number;
  totalEmails: number;
};

export type CountedRow = PersonRow & { n: number; at: Date | null };

export type EmailRow = {
  id: string;
  subject: string | null;
  fromEmail: string | null;
  fromName: string | null;
  sentAt: Date | null;
  direction: 'inbound' | 'outbound';
  threadId: string | null;
  snippet: string | null;
};

const PERSON_COLUMNS = sql`c.id, c.email, c.name, c.company, c.title, c.is_human AS "isHuman",
  coalesce(s.emails_sent, 0)::int AS "emailsSent", coalesce(s.emails_received, 0)::int AS "emailsReceived",
  coalesce(s.total_emails, 0)::int AS "totalEmails"`;

/** The interactions that count as mail between the owner and a contact (as the stats count them). */
function directionFilter(direction: Direction | 'any'): SQL {
  switch (direction) {
    case 'sent':
      return sql`(i.direction = 'outbound' AND i.role IN ('to', 'cc', 'bcc'))`;
    case 'received':
      return sql`(i.role = 'from')`;
    default:
      return sql`(i.role = 'from' OR (i.direction = 'outbound' AND i.role IN ('to', 'cc', 'bcc')))`;
  }
}

function periodFilter(column: SQL, period: Period | undefined | null): SQL {
  const parts: SQL[] = [];
  if (period?.from) parts.push(sql`${column} >= ${period.from.toISOString()}::timestamptz`);
  if (period?.to) parts.push(sql`${column} < ${period.to.toISOString()}::timestamptz`);
  return parts.length ? sql.join(parts, sql` AND `) : sql`TRUE`;
}

const toDate = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string));

function normalizePeople<T extends { at?: unknown }>(rows: T[]): T[] {
  for (const r of rows) if ('at' in r) r.at = toDate(r.at);
  return rows;
}

const wordsOf = (s: string) =>
  s
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .split(/[^a-z0-9]+/)
    .filter(Boolean);

/**
 * People whose name or address matches what the question called them, best first: the exact
 * name, then every word as a whole word (or its nickname), then words inside the address; among
 * equals, people before robots, then the one you exchange most mail with.
 */
export async function findPeople(db: DbOrTx, userId: string, text: string, limit = 5) {
  const raw = text.trim().toLowerCase();
  if (raw.includes('@')) {
    const rows = rowsOf<PersonRow>(
      await db.execute(sql`
        SELECT ${PERSON_COLUMNS} FROM contact_emails e
          JOIN contacts c ON c.id = e.contact_id AND c.user_id = e.user_id
          LEFT JOIN contact_stats s ON s.contact_id = c.id
         WHERE e.user_id = ${userId} AND lower(e.email) = ${raw} LIMIT 1`),
    );
    return rows.map((r) => ({ ...r, score: 100 }));
  }
  const words = wordsOf(text).slice(0, 5);
  if (words.length === 0) return [];
  const tokenFilters = words.map((w) => {
    const forms = nameForms(w);
    const like = forms.map((f) => `%${f}%`);
    // ILIKE on the bare column and local part: what the trigram indexes serve (words are [a-z0-9]).
    return sql`(c.name ILIKE ANY(${sql.param(like)}::text[]) OR split_part(c.email, '@', 1) ILIKE ANY(${sql.param(like)}::text[]))`;
  });
  const rows = rowsOf<PersonRow>(
    await db.execute(sql`
      SELECT ${PERSON_COLUMNS} FROM contacts c
        LEFT JOIN contact_stats s ON s.contact_id = c.id
       WHERE c.user_id = ${userId} AND NOT c.hidden AND ${sql.join(tokenFilters, sql` AND `)}
       ORDER BY coalesce(s.total_emails, 0) DESC, c.email
       LIMIT 200`),
  );
  const target = words.join(' ');
  const scored = rows.map((r) => {
    const name = wordsOf(r.name ?? '');
    const local = wordsOf(r.email.split('@')[0] ?? '');
    const nameHas = (w: string) => nameForms(w).some((f) => name.includes(f));
    const localHas = (w: string) =>
      nameForms(w).some((f) => local.includes(f) || local.join('').includes(f));
    let score = 0;
    // A nickname ("Vince" for "Vincent") names someone as surely as the word itself: between
    // "Vince J Kaminski" and "Vincent Kaminski", the one you exchange mail with comes first.
    if (name.join(' ') === target) score = 100;
    else if (words.every(nameHas)) score = 90;
    else if (words.every((w) => nameHas(w) || localHas(w))) score = 60;
    else if (words.every((w) => name.some((n) => n.startsWith(w)) || localHas(w))) score = 40;
    if (score > 0 && r.isHuman) score += 5;
    return { ...r, score };
  });
  return scored
    .filter((r) => r.score > 0)
    .sort((a, b) => b.score - a.score || b.totalEmails - a.totalEmails)
    .slice(0, limit);
}

/**
 * A company as the question wrote it ("JPMorgan", "Duke Energy", "keyad.com") as a contact filter:
 * the company's name starts with it, or the address's domain has it as a label ("duke" matches
 * duke-energy.com only as "dukeenergy", mail.duke.com as "duke"). Both sides are indexed
 * expressions (companyKey, dottedDomainKey).
 */
export function companyFilter(text: string): SQL {
  const t = text.trim().toLowerCase();
  const domain = dottedDomainKey(sql`c.email`);
  if (/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(t)) {
    // The domain itself or any subdomain of it.
    return sql`${domain} LIKE ${`%.${t.replace(/[^a-z0-9.]+/g, '')}.`}`;
  }
  const norm = t.replace(/[^a-z0-9]+/g, '');
  if (!norm) return sql`FALSE`;
  return sql`(${companyKey(sql`c.company`)} LIKE ${`${norm}%`} OR ${domain} LIKE ${`%.${norm}.%`})`;
}

/** How the contacts of a company call it, the most common spelling first. */
export async function companyName(db: DbOrTx, userId: string, text: string) {
  const rows = rowsOf<{ company: string }>(
    await db.execute(sql`
      SELECT c.company FROM contacts c
       WHERE c.user_id = ${userId} AND c.company IS NOT NULL AND ${companyFilter(text)}
       GROUP BY c.company ORDER BY count(*) DESC LIMIT 1`),
  );
  return rows[0]?.company ?? null;
}

export type PeopleQuery = {
  direction: Direction | 'any';
  period?: Period | null;
  company?: string;
  contactIds?: string[];
  humansOnly?: boolean;
  /** Only the owner's network (people they corresponded with); default true with humansOnly. */
  network?: boolean;
  limit?: number;
  /** Most mail first (default), or the most recent first. */
  order?: 'count' | 'recent';
};

/**
 * People with mail each way matching the query, most mail first, with each one's count and
 * latest date in the range. `total` counts them all, whatever the limit.
 */
export async function peopleWithMail(db: DbOrTx, userId: string, q: PeopleQuery) {
  const where: SQL[] = [
    sql`i.user_id = ${userId}`,
    sql`NOT c.hidden`,
    directionFilter(q.direction),
  ];
  if (q.humansOnly !== false) where.push(sql`c.is_human`);
  if (q.humansOnly !== false && q.network !== false) where.push(sql`s.corresponded`);
  if (q.company) where.push(companyFilter(q.company));
  if (q.contactIds) where.push(sql`c.id = ANY(${sql.param(q.contactIds)}::uuid[])`);
  where.push(periodFilter(sql`i.occurred_at`, q.period));
  const rows = rowsOf<CountedRow & { total: number }>(
    await db.execute(sql`
      SELECT ${PERSON_COLUMNS}, count(DISTINCT i.email_id)::int AS n, max(i.occurred_at) AS at,
             count(*) OVER ()::int AS total
        FROM interactions i
        JOIN contacts c ON c.id = i.contact_id AND c.user_id = i.user_id
        LEFT JOIN contact_stats s ON s.contact_id = c.id
       WHERE ${sql.join(where, sql` AND `)}
       GROUP BY c.id, s.contact_id
       ORDER BY ${q.order === 'recent' ? sql`at DESC, n DESC` : sql`n DESC, at DESC`}, c.email
       LIMIT ${q.limit ?? 50}`),
  );
  return { total: rows[0]?.total ?? 0, people: normalizePeople(rows) };
}

/** The people of your network at a company (not those only seen on others' mail). */
export async function peopleAtCompany(db: DbOrTx, userId: string, company: string, limit = 50) {
  const rows = rowsOf<CountedRow & { total: number }>(
    await db.execute(sql`
      SELECT ${PERSON_COLUMNS}, coalesce(s.total_emails, 0)::int AS n, s.last_interaction_at AS at,
             count(*) OVER ()::int AS total
        FROM contacts c LEFT JOIN contact_stats s ON s.contact_id = c.id
       WHERE c.user_id = ${userId} AND NOT c.hidden AND c.is_human AND s.corresponded
         AND ${companyFilter(company)}
       ORDER BY n DESC, c.email
       LIMIT ${limit}`),
  );
  return { total: rows[0]?.total ?? 0, people: normalizePeople(rows) };
}

// NULLS LAST (the columns are never null) as in the stats indexes, which these orders then walk.
const TOP_ORDER: Record<TopMetric, SQL> = {
  sent: sql`s.emails_sent DESC, s.total_emails DESC`,
  received: sql`s.emails_received DESC, s.total_emails DESC`,
  total: sql`s.total_emails DESC NULLS LAST, s.last_interaction_at DESC`,
  // The people the owner writes to first, as the dashboard's list (getTopContacts).
  strength: sql`(s.emails_sent > 0) DESC, s.strength_score DESC NULLS LAST, s.total_emails DESC`,
  recent: sql`s.last_interaction_at DESC NULLS LAST`,
};

/** Top people by a metric, over all time (from the stats) or within a period (from the mail). */
export async function topPeople(
  db: DbOrTx,
  userId: string,
  q: { metric: TopMetric; limit: number; period?: Period | null; company?: string },
) {
  if (q.period && q.metric !== 'strength') {
    const direction = q.metric === 'sent' ? 'sent' : q.metric === 'received' ? 'received' : 'any';
    const { people } = await peopleWithMail(db, userId, {
      direction,
      period: q.period,
      company: q.company,
      limit: q.limit,
    });
    if (q.metric === 'recent')
      people.sort((a, b) => (b.at?.getTime() ?? 0) - (a.at?.getTime() ?? 0));
    return people;
  }
  const column =
    q.metric === 'sent'
      ? sql`s.emails_sent`
      : q.metric === 'received'
        ? sql`s.emails_received`
        : sql`s.total_emails`;
  // Without a company the order walks the user's stats index (s.user_id lets it); with one,
  // that walk would cover the whole index for a rare company, so its contacts are found first.
  const scope = q.company ? sql`AND ${companyFilter(q.company)}` : sql`AND s.user_id = ${userId}`;
  const rows = rowsOf<CountedRow>(
    await db.execute(sql`
      SELECT ${PERSON_COLUMNS}, ${column}::int AS n, s.last_interaction_at AS at
        FROM contacts c JOIN contact_stats s ON s.contact_id = c.id
       WHERE c.user_id = ${userId} AND NOT c.hidden AND c.is_human AND s.corresponded
         AND ${column} > 0
         ${scope}
       ORDER BY ${TOP_ORDER[q.metric]}, c.email
       LIMIT ${q.limit}`),
  );
  return normalizePeople(rows);
}

/** Messages exchanged with some contacts (or with everyone), each way, within a period. */
export async function countMessages(
  db: DbOrTx,
  userId: string,
  q: { contactIds?: string[]; direction: Direction; period?: Period | null },
) {
  if (!q.contactIds) {
    const dir =
      q.direction === 'sent'
        ? sql`e.direction = 'outbound'`
        : q.direction === 'received'
          ? sql`e.direction = 'inbound'`
          : sql`TRUE`;
    const [row] = rowsOf<{ n: number }>(
      await db.execute(sql`
        SELECT count(*)::int AS n FROM emails e
         WHERE e.user_id = ${userId} AND ${dir} AND ${periodFilter(sql`e.sent_at`, q.period)}`),
    );
    return row?.n ?? 0;
  }
  const [row] = rowsOf<{ n: number }>(
    await db.execute(sql`
      SELECT count(DISTINCT i.email_id)::int AS n FROM interactions i
       WHERE i.user_id = ${userId} AND i.contact_id = ANY(${sql.param(q.contactIds)}::uuid[])
         AND ${directionFilter(q.direction)} AND ${periodFilter(sql`i.occurred_at`, q.period)}`),
  );
  return row?.n ?? 0;
}

/** The first or last message each way with some contacts (or with anyone). */
export async function messageAt(
  db: DbOrTx,
  userId: string,
  q: { contactIds?: string[]; direction: Direction; which: 'first' | 'last' },
): Promise<(EmailRow & { contactId: string | null }) | null> {
  const order = q.which === 'first' ? sql`ASC` : sql`DESC`;
  const rows = q.contactIds
    ? rowsOf<EmailRow & { contactId: string }>(
        await db.execute(sql`
          SELECT e.id, e.subject, e.from_email AS "fromEmail", e.from_name AS "fromName",
                 e.sent_at AS "sentAt", e.direction, e.thread_id AS "threadId", e.snippet,
                 i.contact_id AS "contactId"
            FROM interactions i JOIN emails e ON e.id = i.email_id AND e.user_id = i.user_id
           WHERE i.user_id = ${userId} AND i.contact_id = ANY(${sql.param(q.contactIds)}::uuid[])
             AND ${directionFilter(q.direction)} AND i.occurred_at IS NOT NULL
           ORDER BY i.occurred_at ${order} LIMIT 1`),
      )
    : rowsOf<EmailRow & { contactId: null }>(
        await db.execute(sql`
          SELECT e.id, e.subject, e.from_email AS "fromEmail", e.from_name AS "fromName",
                 e.sent_at AS "sentAt", e.direction, e.thread_id AS "threadId", e.snippet,
                 NULL AS "contactId"
            FROM emails e
           WHERE e.user_id = ${userId} AND e.sent_at IS NOT NULL
             ${q.direction === 'sent' ? sql`AND e.direction = 'outbound'` : q.direction === 'received' ? sql`AND e.direction = 'inbound'` : sql``}
           ORDER BY e.sent_at ${order} LIMIT 1`),
      );
  const row = rows[0];
  return row ? { ...row, sentAt: toDate(row.sentAt) } : null;
}

/** Full-text search over the user's mail (subject and body), newest first. */
export async function searchEmails(
  db: DbOrTx,
  userId: string,
  q: { query: string; contactIds?: string[]; period?: Period | null; limit?: number },
) {
  const where: SQL[] = [
    sql`e.user_id = ${userId}`,
    sql`e.search @@ websearch_to_tsquery('english', ${q.query})`,
    periodFilter(sql`e.sent_at`, q.period),
  ];
  if (q.contactIds) {
    where.push(sql`EXISTS (SELECT 1 FROM interactions i WHERE i.email_id = e.id AND i.user_id = ${userId}
      AND i.contact_id = ANY(${sql.param(q.contactIds)}::uuid[]))`);
  }
  const rows = rowsOf<EmailRow & { total: number }>(
    await db.execute(sql`
      SELECT e.id, e.subject, e.from_email AS "fromEmail", e.from_name AS "fromName",
             e.sent_at AS "sentAt", e.direction, e.thread_id AS "threadId", e.snippet,
             count(*) OVER ()::int AS total
        FROM emails e
       WHERE ${sql.join(where, sql` AND `)}
       ORDER BY e.sent_at DESC NULLS LAST
       LIMIT ${q.limit ?? 20}`),
  );
  return {
    total: rows[0]?.total ?? 0,
    emails: rows.map(({ total: _total, ...r }) => ({ ...r, sentAt: toDate(r.sentAt) })),
  };
}

/** The people most involved in some messages: their senders, or for your own, their recipients. */
export async function peopleInEmails(db: DbOrTx, userId: string, emailIds: string[], limit = 10) {
  if (emailIds.length === 0) return [];
  return normalizePeople(
    rowsOf<CountedRow>(
      await db.execute(sql`
        SELECT ${PERSON_COLUMNS}, count(*)::int AS n, max(i.occurred_at) AS at
          FROM interactions i JOIN contacts c ON c.id = i.contact_id AND c.user_id = i.user_id
          LEFT JOIN contact_stats s ON s.contact_id = c.id
         WHERE i.user_id = ${userId} AND i.email_id = ANY(${sql.param(emailIds)}::uuid[])
           AND c.is_human AND NOT c.hidden AND s.corresponded AND ${directionFilter('any')}
         GROUP BY c.id, s.contact_id ORDER BY n DESC, at DESC LIMIT ${limit}`),
    ),
  );
}

export type ContactProfile = PersonRow & {
  phones: { number: string; type?: string; extension?: string | null }[];
  links: Record<string, unknown>;
  location: string | null;
  notes: string | null;
  tags: string[];
  addresses: string[];
  stats: {
    firstInteractionAt: Date | null;
    lastInteractionAt: Date | null;
    lastSentAt: Date | null;
    lastReceivedAt: Date | null;
    theirReplyMedianHours: number | null;
    myReplyMedianHours: number | null;
    strengthScore: number;
    goingCold: boolean;
    usualGapDays: number | null;
  } | null;
};

export async function contactProfile(db: DbOrTx, userId: string, contactId: string) {
  const [row] = rowsOf<Record<string, unknown>>(
    await db.execute(sql`
      SELECT ${PERSON_COLUMNS}, c.phones, c.links, c.location, c.notes, c.tags,
             (SELECT array_agg(e.email ORDER BY e.email) FROM contact_emails e WHERE e.contact_id = c.id AND e.user_id = ${userId}) AS addresses,
             s.contact_id IS NOT NULL AS "hasStats",
             s.first_interaction_at AS "firstInteractionAt", s.last_interaction_at AS "lastInteractionAt",
             s.last_sent_at AS "lastSentAt", s.last_received_at AS "lastReceivedAt",
             s.their_reply_median_hours AS "theirReplyMedianHours", s.my_reply_median_hours AS "myReplyMedianHours",
             s.strength_score AS "strengthScore", s.going_cold AS "goingCold", s.usual_gap_days AS "usualGapDays"
        FROM contacts c LEFT JOIN contact_stats s ON s.contact_id = c.id
       WHERE c.user_id = ${userId} AND c.id = ${contactId}`),
  );
  if (!row) return null;
  const profile: ContactProfile = {
    id: row.id as string,
    email: row.email as string,
    name: row.name as string | null,
    company: row.company as string | null,
    title: row.title as string | null,
    isHuman: row.isHuman as boolean,
    emailsSent: row.emailsSent as number,
    emailsReceived: row.emailsReceived as number,
    totalEmails: row.totalEmails as number,
    phones: (row.phones as ContactProfile['phones']) ?? [],
    links: (row.links as Record<string, unknown>) ?? {},
    location: row.location as string | null,
    notes: row.notes as string | null,
    tags: (row.tags as string[]) ?? [],
    addresses: (row.addresses as string[] | null) ?? [row.email as string],
    stats: row.hasStats
      ? {
          firstInteractionAt: toDate(row.firstInteractionAt),
          lastInteractionAt: toDate(row.lastInteractionAt),
          lastSentAt: toDate(row.lastSentAt),
          lastReceivedAt: toDate(row.lastReceivedAt),
          theirReplyMedianHours: row.theirReplyMedianHours as number | null,
          myReplyMedianHours: row.myReplyMedianHours as number | null,
          strengthScore: Number(row.strengthScore ?? 0),
          goingCold: Boolean(row.goingCold),
          usualGapDays: row.usualGapDays as number | null,
        }
      : null,
  };
  return profile;
}

/**
 * An interaction (alias `i`) that the relationship measures count: mail from them, or mail
 * of yours to them (To, Cc or Bcc). Mail from someone else with them on it is neither.
 */
const EXCHANGED = sql`(i.role = 'from' OR (i.direction = 'outbound' AND i.role IN ('to', 'cc', 'bcc')))`;

/**
 * The latest emails a contact is on, newest first, with their role in each; `exchanged`: only
 * those the relationship measures count (see EXCHANGED).
 */
export async function recentEmailsWith(
  db: DbOrTx,
  userId: string,
  contactId: string,
  limit = 20,
  options: { exchanged?: boolean } = {},
) {
  const rows = rowsOf<EmailRow & { bodyText: string | null; role: ParticipantRole }>(
    await db.execute(sql`
      SELECT e.id, e.subject, e.from_email AS "fromEmail", e.from_name AS "fromName",
             e.sent_at AS "sentAt", e.direction, e.thread_id AS "threadId", e.snippet,
             left(e.body_text, 4000) AS "bodyText", i.role
        FROM interactions i JOIN emails e ON e.id = i.email_id AND e.user_id = i.user_id
       WHERE i.user_id = ${userId} AND i.contact_id = ${contactId}
         ${options.exchanged ? sql`AND ${EXCHANGED}` : sql``}
       ORDER BY e.sent_at DESC NULLS LAST LIMIT ${limit}`),
  );
  return rows.map((r) => ({ ...r, sentAt: toDate(r.sentAt) }));
}

/** One conversation, oldest first, scoped to the user. */
export async function threadMessages(db: DbOrTx, userId: string, threadId: string, limit = 50) {
  const rows = rowsOf<EmailRow & { bodyText: string | null; to: { email: string }[] }>(
    await db.execute(sql`
      SELECT e.id, e.subject, e.from_email AS "fromEmail", e.from_name AS "fromName",
             e.sent_at AS "sentAt", e.direction, e.thread_id AS "threadId", e.snippet,
             left(e.body_text, 4000) AS "bodyText", e."to"
        FROM emails e
       WHERE e.user_id = ${userId} AND e.thread_id = ${threadId}
       ORDER BY e.sent_at ASC NULLS LAST LIMIT ${limit}`),
  );
  return rows.map((r) => ({ ...r, sentAt: toDate(r.sentAt) }));
}

/**
 * Who brought a contact into your mail: the sender of the first message that had you both on
 * it, when that was a third person (not you, not them).
 */
export async function introducer(db: DbOrTx, userId: string, contactId: string) {
  const rows = rowsOf<CountedRow & { emailId: string; subject: string | null }>(
    await db.execute(sql`
      WITH first_mail AS (
        SELECT i.email_id, i.occurred_at FROM interactions i
         WHERE i.user_id = ${userId} AND i.contact_id = ${contactId}
         ORDER BY i.occurred_at ASC LIMIT 1
      )
      SELECT ${PERSON_COLUMNS}, 1 AS n, f.occurred_at AS at, f.email_id AS "emailId", e.subject
        FROM first_mail f
        JOIN emails e ON e.id = f.email_id AND e.user_id = ${userId}
        JOIN interactions i ON i.email_id = f.email_id AND i.role = 'from' AND i.user_id = ${userId}
        JOIN contacts c ON c.id = i.contact_id AND c.user_id = i.user_id
        LEFT JOIN contact_stats s ON s.contact_id = c.id
       WHERE c.id <> ${contactId}`),
  );
  return normalizePeople(rows)[0] ?? null;
}

/** Reply times across everyone you correspond with (medians of each person's median). */
export async function overallReplyTimes(db: DbOrTx, userId: string) {
  const [row] = rowsOf<{
    mine: number | null;
    theirs: number | null;
    minePeople: number;
    theirPeople: number;
  }>(
    await db.execute(sql`
      SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY s.my_reply_median_hours) AS mine,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY s.their_reply_median_hours) AS theirs,
             count(s.my_reply_median_hours)::int AS "minePeople",
             count(s.their_reply_median_hours)::int AS "theirPeople"
        FROM contact_stats s JOIN contacts c ON c.id = s.contact_id
       WHERE s.user_id = ${userId} AND c.is_human AND NOT c.hidden`),
  );
  return row ?? { mine: null, theirs: null, minePeople: 0, theirPeople: 0 };
}

/**
 * People whose mail has stopped against their usual rhythm, most notable first. Walks the
 * user's cold-score index (every cold contact scores above 0; the rest score 0).
 */
export async function coldPeople(db: DbOrTx, userId: string, limit: number) {
  return normalizePeople(
    rowsOf<CountedRow & { usualGapDays: number | null }>(
      await db.execute(sql`
        SELECT ${PERSON_COLUMNS}, s.total_emails::int AS n, s.last_interaction_at AS at,
               s.usual_gap_days AS "usualGapDays"
          FROM contacts c JOIN contact_stats s ON s.contact_id = c.id
         WHERE c.user_id = ${userId} AND s.user_id = ${userId} AND NOT c.hidden AND c.is_human
           AND s.going_cold AND s.cold_score > 0
         ORDER BY s.cold_score DESC NULLS LAST, c.email LIMIT ${limit}`),
    ),
  );
}
