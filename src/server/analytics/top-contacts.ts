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

/** The seed's getTopContacts: people (not robots) by a metric, with the stats behind it. */
export async function getTopContacts(
  db: DbOrTx,
  userId: string,
  options: { metric: TopMetric; limit: number; filters?: TopFilters },
) {
  const f = options.filters ?? {};
  const where: SQL[] = [
    eq(contacts.userId, userId),
    eq(contacts.hidden, false),
    gt(contactStats.totalEmails, 0),
  ];
  if (!f.includeRobots) where.push(eq(contacts.isHuman, true));
  if (f.company) where.push(sql`${contacts.company} ILIKE ${f.company}`);
  if (f.tag) where.push(sql`${f.tag} = ANY(${contacts.tags})`);
  if (f.since) where.push(sql`${contactStats.lastInteractionAt} >= ${f.since.toISOString()}`);
  if (options.metric === 'going-cold') where.push(eq(contactStats.goingCold, true));
  return db
    .select({
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
    })
    .from(contacts)
    .innerJoin(contactStats, eq(contactStats.contactId, contacts.id))
    .where(and(...where))
    .orderBy(...ORDER[options.metric], asc(contacts.email))
    .limit(options.limit);
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
