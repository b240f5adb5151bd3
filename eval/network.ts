// npm run --silent eval:network -- --data DIR [--verbose]
// Who counts and how much, as the owner of a real mailbox would judge it. Each owner's mailbox
// (with its sent mail) is imported through the real pipeline into a fresh embedded database, as
// a user who signed up with the owner's address and uploaded the file; then the people views are
// held against what the raw mail says (network-truth.ts). One JSON line per mailbox, one for all.
import crypto from 'node:crypto';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { parseEnv } from '@/env';
import { createCaller } from '@/server/api/root';
import { suggestNextActions } from '@/server/assistant/relationship/suggest-next-actions';
import { openDb, rowsOf, type Db } from '@/server/db/client';
import { migrate } from '@/server/db/migrate';
import { importMbox } from '@/server/mail/import-mbox';
import {
  addressName,
  crossOrganisation,
  goldPairs,
  isRobot,
  labelledRobots,
  readTruth,
  wrongPair,
  type Truth,
} from './network-truth';

/** The owners as the data's README names them: the address they sign up with, and aliases. */
const MAILBOXES = [
  {
    mbox: 'mailbox/enron-allen-p.mbox',
    owner: 'phillip.allen@enron.com',
    aliases: ['k..allen@enron.com', 'pallen@enron.com', 'pallen70@hotmail.com'],
  },
  {
    mbox: 'mailbox/enron-arora-h.mbox',
    owner: 'harry.arora@enron.com',
    aliases: ['harora@enron.com', 'harrysarora@yahoo.com'],
  },
  { mbox: 'mailbox/enron-badeer-r.mbox', owner: 'robert.badeer@enron.com', aliases: [] },
];
/** Suggestions a person reviews first (the queue's first page). */
const TOP_SUGGESTIONS = 20;

const argv = process.argv.slice(2);
const data = argv[argv.indexOf('--data') + 1];
if (!argv.includes('--data') || !data) {
  console.error('usage: --data DIR [--verbose]');
  process.exit(2);
}
const verbose = argv.includes('--verbose');
const labelled = labelledRobots(data);
const env = parseEnv({ NODE_ENV: 'test' });

type Figures = {
  mailbox: string;
  people: number;
  cc_only_listed: number;
  owner_aliases_listed: number;
  robots_listed: number;
  robots_in_top20: number;
  top5_sent_in_top20_strength: number;
  rhythm_units_ok: boolean;
  rhythm_under_a_day: number;
  merge_pairs_gold: number;
  merge_pairs_suggested: number;
  merge_pairs_found_pct: number | null;
  merge_pairs_wrong_top: number;
  merge_pairs_cross_org_top: number;
  robots_in_recent: number;
  replies_owed: number;
  robots_in_replies_owed: number;
  replies_owed_pages_disagree: number;
};

/** Every address of each contact (a merged contact owns several). */
async function addressesOf(db: Db, userId: string) {
  const rows = rowsOf<{ contactId: string; email: string }>(
    await db.execute(sql`SELECT contact_id AS "contactId", lower(email) AS email
      FROM contact_emails WHERE user_id = ${userId}`),
  );
  const byContact = new Map<string, string[]>();
  for (const r of rows)
    byContact.set(r.contactId, [...(byContact.get(r.contactId) ?? []), r.email]);
  return byContact;
}

async function evaluate(box: (typeof MAILBOXES)[number]): Promise<Figures> {
  const handle = await openDb({ driver: 'pglite' });
  await migrate(handle);
  const db = handle.db;
  const userId = crypto.randomUUID();
  await handle.query(`INSERT INTO users (id, name, email) VALUES ($1, 'Eval owner', $2)`, [
    userId,
    box.owner,
  ]);
  await importMbox({ db, userId, file: path.join(data!, box.mbox) });
  const caller = createCaller({
    db,
    env,
    user: { id: userId, email: box.owner, name: 'Eval owner' },
    jobs: async () => {
      throw new Error('no jobs in the eval');
    },
  });

  // The owner's addresses: the README's, and those the product recognised as theirs.
  const [account] = rowsOf<{ aliases: string[] }>(
    await db.execute(sql`SELECT coalesce(array_agg(DISTINCT a), '{}') AS aliases
      FROM mail_accounts m, unnest(m.aliases || m.address) a WHERE m.user_id = ${userId}`),
  );
  const documented = new Set([box.owner, ...box.aliases]);
  const owners = new Set([...documented, ...(account?.aliases ?? [])]);
  const truth: Truth = await readTruth({ dataDir: data!, mbox: box.mbox, owners });
  const robot = (email: string) => isRobot(email, truth, labelled);
  const addresses = await addressesOf(db, userId);
  const emailsOf = (id: string) => addresses.get(id) ?? [];

  // People listed by default: every page of the contact list as it first opens.
  const listed: { id: string; email: string; name: string | null }[] = [];
  for (let offset = 0; ; offset += 500) {
    const page = await caller.contacts.list({ limit: 500, offset });
    listed.push(...page.rows);
    if (listed.length >= page.total || page.rows.length === 0) break;
  }
  const corresponded = (email: string) => {
    const f = truth.get(email);
    return !!f && (f.sentByOwner > 0 || f.wroteToOwner > 0);
  };
  const ccOnly = listed.filter((c) => !emailsOf(c.id).some(corresponded));
  const aliasesListed = listed.filter((c) => emailsOf(c.id).some((e) => documented.has(e)));
  // Robots the classifier took for people (its work, not this list's): how many are listed.
  const robotsListed = listed.filter((c) => emailsOf(c.id).some(robot));

  const top = await caller.contacts.top({ metric: 'strength', limit: 20 });
  const topRobots = top.filter((c) => emailsOf(c.id).some(robot));
  const rank = new Map(top.map((c, i) => [c.id, i]));
  const contactOf = new Map([...addresses].flatMap(([id, es]) => es.map((e) => [e, id] as const)));
  // The five people the owner wrote to most (robots and the owner's own addresses aside).
  const mostWritten = [...truth]
    .filter(([email, f]) => f.sentByOwner > 0 && !owners.has(email) && !robot(email))
    .sort((a, b) => b[1].sentByOwner - a[1].sentByOwner || (a[0] < b[0] ? -1 : 1))
    .slice(0, 5);
  const top5InTop20 = mostWritten.filter(([email]) => rank.has(contactOf.get(email) ?? '')).length;

  // Rhythm: no usual gap under a day for anyone corresponded with on fewer than 30 days.
  const gaps = rowsOf<{ id: string; gap: number | null }>(
    await db.execute(sql`SELECT contact_id AS id, usual_gap_days AS gap FROM contact_stats
      WHERE user_id = ${userId} AND usual_gap_days IS NOT NULL`),
  );
  const gapOf = new Map(gaps.map((g) => [g.id, Number(g.gap)]));
  const underADay = listed.filter((c) => {
    const days = new Set(emailsOf(c.id).flatMap((e) => [...(truth.get(e)?.days ?? [])]));
    const gap = gapOf.get(c.id);
    return gap !== undefined && gap < 1 && days.size < 30;
  });

  // Duplicates: the gold pairs among the user's contacts against the suggestions.
  const known = [...contactOf.keys()].filter((e) => !owners.has(e) && !robot(e));
  const gold = goldPairs(known, truth);
  const suggestions = await caller.contacts.mergeSuggestions({ limit: 100 });
  const pairsOf = (groups: typeof suggestions) =>
    groups.flatMap((g) => {
      const es = g.contactIds.flatMap((id) => emailsOf(id));
      return es.flatMap((a, i) => es.slice(i + 1).map((b) => [a, b].sort().join(' ')));
    });
  const suggested = new Set(pairsOf(suggestions));
  const found = gold.pairs.filter((p) => suggested.has(p.join(' ')));
  const topPairs = pairsOf(suggestions.slice(0, TOP_SUGGESTIONS)).map(
    (p) => p.split(' ') as [string, string],
  );
  const wrongTop = topPairs.filter(([a, b]) => wrongPair(a, b, truth)).map((p) => p.join(' '));
  const crossTop = topPairs.filter(([a, b]) => crossOrganisation(a, b, gold.sameOrg));

  const recent = await caller.dashboard.recent();
  const owed = await caller.dashboard.repliesOwed();
  // The dashboard and each person's page agree on the replies owed: every person listed owed a
  // reply has it first among their next actions, and nobody else has a reply to make.
  const owedTo = new Map(owed.map((r) => [r.contactId, r.emailId]));
  let disagree = 0;
  for (const c of listed) {
    const { actions } = await suggestNextActions(db, userId, c.id, { ai: { engine: 'builtin' } });
    const reply = actions.find((a) => a.title.startsWith('Reply to'));
    if ((reply?.emailId ?? null) !== (owedTo.get(c.id) ?? null)) disagree++;
  }

  if (verbose) {
    const show = (c: { id: string; name: string | null }) =>
      `${c.name ?? ''} <${emailsOf(c.id).join(', ')}>`;
    console.error(
      JSON.stringify({
        mailbox: box.mbox,
        owner_aliases_recognised: account?.aliases ?? [],
        top20: top.map(
          (c) =>
            `${show(c)} ${Math.round(c.strengthScore)} (${c.emailsSent}/${c.emailsReceived})${emailsOf(c.id).some(robot) ? ' ROBOT' : ''}`,
        ),
        most_written: mostWritten.map(
          ([e, f]) => `${e} ${f.sentByOwner} #${rank.get(contactOf.get(e) ?? '') ?? '-'}`,
        ),
        cc_only_listed: ccOnly.map(show),
        owner_aliases_listed: aliasesListed.map(show),
        robots_listed: robotsListed.map(show),
        rhythm_under_a_day: underADay.map(show),
        gold_missed: gold.pairs
          .filter((p) => !suggested.has(p.join(' ')))
          .map((p) => `${p.join(' + ')} (${JSON.stringify(addressName(p[0], truth.get(p[0])))})`),
        wrong_top: wrongTop,
        replies_owed: owed.map((r) => `${r.name ?? r.email}: ${r.subject ?? ''}`),
        suggestions: suggestions
          .slice(0, TOP_SUGGESTIONS)
          .map((g) => g.contactIds.flatMap(emailsOf).join(' + ')),
      }),
    );
  }
  await handle.close();
  return {
    mailbox: path.basename(box.mbox, '.mbox'),
    people: listed.length,
    cc_only_listed: ccOnly.length,
    owner_aliases_listed: aliasesListed.length,
    robots_listed: robotsListed.length,
    robots_in_top20: topRobots.length,
    top5_sent_in_top20_strength: top5InTop20,
    rhythm_units_ok: underADay.length === 0,
    rhythm_under_a_day: underADay.length,
    merge_pairs_gold: gold.pairs.length,
    merge_pairs_suggested: found.length,
    merge_pairs_found_pct: gold.pairs.length
      ? Math.round((1000 * found.length) / gold.pairs.length) / 10
      : null,
    merge_pairs_wrong_top: wrongTop.length,
    merge_pairs_cross_org_top: crossTop.length,
    robots_in_recent: recent.filter((e) => robot(e.email)).length,
    replies_owed: owed.length,
    robots_in_replies_owed: owed.filter((r) => robot(r.email)).length,
    replies_owed_pages_disagree: disagree,
  };
}

const all: Figures[] = [];
for (const box of MAILBOXES) {
  const f = await evaluate(box);
  all.push(f);
  console.log(JSON.stringify(f));
}
const sum = (k: keyof Figures) => all.reduce((n, f) => n + Number(f[k]), 0);
const gold = sum('merge_pairs_gold');
console.log(
  JSON.stringify({
    mailbox: 'all',
    people: sum('people'),
    cc_only_listed: sum('cc_only_listed'),
    owner_aliases_listed: sum('owner_aliases_listed'),
    robots_listed: sum('robots_listed'),
    robots_in_top20: sum('robots_in_top20'),
    top5_sent_in_top20_strength: `${sum('top5_sent_in_top20_strength')}/${5 * all.length}`,
    rhythm_units_ok: all.every((f) => f.rhythm_units_ok),
    rhythm_under_a_day: sum('rhythm_under_a_day'),
    merge_pairs_gold: gold,
    merge_pairs_suggested: sum('merge_pairs_suggested'),
    merge_pairs_found_pct: gold
      ? Math.round((1000 * sum('merge_pairs_suggested')) / gold) / 10
      : null,
    merge_pairs_wrong_top: sum('merge_pairs_wrong_top'),
    merge_pairs_cross_org_top: sum('merge_pairs_cross_org_top'),
    robots_in_recent: sum('robots_in_recent'),
    replies_owed: sum('replies_owed'),
    robots_in_replies_owed: sum('robots_in_replies_owed'),
    replies_owed_pages_disagree: sum('replies_owed_pages_disagree'),
  }),
);
process.exit(0);
