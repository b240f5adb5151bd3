import { and, asc, desc, eq, gt, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '@/server/db/client';
import { contactStats, contacts } from '@/server/db/schema';
import { notFound } from '@/server/errors/app-error';
import { explainStrength } from './explain-strength';

export const TOP_METRICS = ['emails', 'recent', 'strength', 'going-cold'] as const;
export type TopMetric = (typeof TOP_METRICS)[number];

export type TopFilters = { company?: string; tag?: string; since?: Date; includeRobots?: boolean };

const ORDER: Record<TopMetric, SQL[]> = {
  emails: [desc(contactStats.totalEmails), desc(contactStats.lastInteractionAt)],
  recent: [sql`${contactStats.lastInteractionAt} DESC NULLS LAST`],
  strength: [desc(contactStats.strengthScore), desc(contactStats.totalEmails)],
  'going-cold': [desc(contactStats.coldScore)],
};

const TOP_COLUMNS = {
  id: contacts.id,
  email: contacts.email,
  name: contacts.name,
  company: contacts.company,
  emailsSent: contactStats.emailsSent,
  emailsReceived: contactStats.emailsReceived,
  totalEmails: contactStats.totalEmails,
  lastInteractionAt: contactStats.lastInteractionAt,
  strengthScore: contactStats.strengthScore,
  coldScore: contactStats.coldScore,
  goingCold: contactStats.goingCold,
};

/**
 * The seed's getTopContacts: the people of the owner's network (not robots, not people only seen
 * on others' mail) by a metric, with the stats behind it. By strength, the people the owner
 * writes to come first: someone who only ever wrote to the owner, however often, is a weaker
 * tie than anyone the owner writes to (and automated senders are of that kind).
 */
export async function getTopContacts(
  db: DbOrTx,
  userId: string,
  options: { metric: TopMetric; limit: number; filters?: TopFilters },
) {
  const f = options.filters ?? {};
  const where: SQL[] = [
    eq(contacts.userId, userId),
    eq(contacts.hidden, false),
    eq(contactStats.userId, userId),
    gt(contactStats.totalEmails, 0),
  ];
  if (!f.includeRobots) where.push(eq(contacts.isHuman, true), eq(contactStats.corresponded, true));
  if (f.company) where.push(sql`${contacts.company} ILIKE ${f.company}`);
  if (f.tag) where.push(sql`${f.tag} = ANY(${contacts.tags})`);
  if (f.since) where.push(sql`${contactStats.lastInteractionAt} >= ${f.since.toISOString()}`);
  if (options.metric === 'going-cold') where.push(eq(contactStats.goingCold, true));
  const query = (extra: SQL, limit: number) =>
    db
      .select(TOP_COLUMNS)
      .from(contacts)
      .innerJoin(contactStats, eq(contactStats.contactId, contacts.id))
      .where(and(...where, extra))
      .orderBy(...ORDER[options.metric], asc(contacts.email))
      .limit(limit);
  if (options.metric !== 'strength') return query(sql`TRUE`, options.limit);
  // Two walks of the strength index: the people the owner writes to, then (when they are too
  // few) those who only write to the owner.
  const writtenTo = await query(gt(contactStats.emailsSent, 0), options.limit);
  if (writtenTo.length === options.limit) return writtenTo;
  return [
    ...writtenTo,
    ...(await query(eq(contactStats.emailsSent, 0), options.limit - writtenTo.length)),
  ];
}

/** The seed's getContactStats, with the strength explained. */
export async function getContactStats(db: DbOrTx, userId: string, contactId: string) {
  const [row] = await db
    .select({ stats: contactStats })
    .from(contacts)
    .leftJoin(contactStats, eq(contactStats.contactId, contacts.id))
    .where(and(eq(contacts.id, contactId), eq(contacts.userId, userId)));
  if (!row) throw notFound('Contact');
  const s = row.stats;
  if (!s) return null;
  return { ...s, explanation: explainStrength(s) };
}
