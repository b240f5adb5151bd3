import { beforeAll, expect, it } from 'vitest';
import {
  CONTACT_SORTS,
  listContacts,
  type ListContactsInput,
} from '@/server/contacts/contact-queries';
import { createTestUser } from '../support/test-auth';
import { describeEachDriver } from '../support/test-db';

/**
 * The contact list against a reference computed here: every sort, both directions, each filter
 * and pages deep into the list, over contacts whose stats tie a lot (most people have one or
 * two emails), some with no stats at all, hidden ones, robots and another user's contacts.
 * The list takes different paths (a stats index walk, a full sort, text matches first), and
 * each must give exactly the rows and total the definition gives.
 */

type Person = {
  id: string;
  email: string;
  name: string | null;
  company: string | null;
  isHuman: boolean;
  hidden: boolean;
  tags: string[];
  stats: { strength: number; total: number; last: Date | null; corresponded: boolean } | null;
};

// Letters only, so that every collation orders them the same way.
const NAMES = ['Ada', 'Bea', 'Dana', 'Eve', 'Finn', 'Gus', 'Hal', 'Ines', 'Jo', 'Kit', 'Lou'];
const COMPANIES = ['Acme', 'Bolt', 'Daxo', 'Ember', 'Fjord', 'Acorn'];
const NOW = Date.UTC(2026, 10, 1);
const DAY = 86_400_000;

function seeded(seed: number) {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
}

function people(n: number): Omit<Person, 'id'>[] {
  const r = seeded(42);
  const local = (i: number) =>
    [0, 1, 2].map((k) => String.fromCharCode(97 + (Math.floor(i / 26 ** k) % 26))).join('');
  return Array.from({ length: n }, (_, i) => {
    const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)]!;
    const hasStats = r() < 0.8;
    return {
      email: `p${local(i)}@example.org`,
      name: r() < 0.85 ? `${pick(NAMES)}${r() < 0.3 ? ` ${pick(NAMES)}` : ''}` : null,
      company: r() < 0.75 ? pick(COMPANIES) : null,
      isHuman: r() < 0.85,
      hidden: r() < 0.05,
      tags: r() < 0.2 ? ['vip'] : [],
      stats: hasStats
        ? {
            // Heavy ties, as in real mail: many people at 0, 1 or 2 emails.
            total: pick([0, 1, 1, 1, 1, 2, 2, 3, 5, 8, 13]),
            strength: pick([0, 0, 10, 25, 25, 40, 55, 70, 90]),
            last: r() < 0.9 ? new Date(NOW - Math.floor(r() * 20) * 30 * DAY) : null,
            corresponded: r() < 0.6,
          }
        : null,
    };
  });
}

/** The list's definition, in plain code. */
function reference(all: Person[], q: Omit<ListContactsInput, 'userId'>) {
  const sort = q.sort ?? 'strength';
  const dir = q.direction ?? (sort === 'name' || sort === 'company' ? 'asc' : 'desc');
  const has = (s: string | null, part: string) =>
    !!s && s.toLowerCase().includes(part.toLowerCase());
  const scope = q.scope ?? (q.humansOnly ? 'humans' : 'all');
  const inScope = (p: Person) => {
    const corresponded = p.stats?.corresponded ?? false;
    if (scope === 'all') return true;
    if (scope === 'robots') return !p.isHuman;
    if (scope === 'humans') return p.isHuman;
    return p.isHuman && corresponded === (scope === 'people');
  };
  const rows = all.filter(
    (p) =>
      !p.hidden &&
      inScope(p) &&
      (!q.search || has(p.name, q.search) || has(p.email, q.search) || has(p.company, q.search)) &&
      (!q.company || has(p.company, q.company)) &&
      (!q.tag || p.tags.includes(q.tag)) &&
      (q.minStrength === undefined || (p.stats?.strength ?? 0) >= q.minStrength) &&
      (q.maxStrength === undefined || (p.stats?.strength ?? 0) <= q.maxStrength) &&
      (!q.lastAfter || (!!p.stats?.last && p.stats.last >= q.lastAfter)) &&
      (!q.lastBefore || (!!p.stats?.last && p.stats.last < q.lastBefore)),
  );
  const key = (p: Person): string | number | null =>
    sort === 'strength'
      ? (p.stats?.strength ?? 0)
      : sort === 'emails'
        ? (p.stats?.total ?? 0)
        : sort === 'last'
          ? (p.stats?.last?.getTime() ?? null)
          : sort === 'name'
            ? (p.name ?? p.email).toLowerCase()
            : (p.company?.toLowerCase() ?? null);
  // Ties: more mail, then the latest (for the stats sorts), in the same direction; then the address.
  const total = (p: Person) => p.stats?.total ?? 0;
  const last = (p: Person) => p.stats?.last?.getTime() ?? null;
  const keys: ((p: Person) => string | number | null)[] = [
    key,
    ...(sort === 'strength'
      ? [total, last]
      : sort === 'emails'
        ? [last]
        : sort === 'last'
          ? [total]
          : []),
  ];
  rows.sort((a, b) => {
    for (const k of keys) {
      const [x, y] = [k(a), k(b)];
      if (x === y) continue;
      if (x === null) return 1; // NULLS LAST either way
      if (y === null) return -1;
      return (x < y ? -1 : 1) * (dir === 'asc' ? 1 : -1);
    }
    return a.email < b.email ? -1 : 1;
  });
  return { ids: rows.slice(q.offset, q.offset + q.limit).map((p) => p.id), total: rows.length };
}

describeEachDriver('contact list', (db) => {
  let userId: string;
  let all: Person[];

  beforeAll(async () => {
    const h = db();
    const user = await createTestUser(h, 'lister');
    const other = await createTestUser(h, 'other');
    userId = user.id;
    all = [];
    for (const p of people(420)) {
      const [row] = await h.query<{ id: string }>(
        `INSERT INTO contacts (user_id, email, name, company, is_human, hidden, tags)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
        [userId, p.email, p.name, p.company, p.isHuman, p.hidden, p.tags],
      );
      if (p.stats)
        await h.query(
          `INSERT INTO contact_stats (contact_id, user_id, emails_sent, emails_received,
                  total_emails, last_interaction_at, strength_score, corresponded)
           VALUES ($1, $2, 0, $3, $3, $4, $5, $6)`,
          [row!.id, userId, p.stats.total, p.stats.last, p.stats.strength, p.stats.corresponded],
        );
      all.push({ ...p, id: row!.id });
    }
    // Someone else's people match every filter too, and must never show.
    await h.query(
      `INSERT INTO contacts (user_id, email, name, company) VALUES ($1, 'ada@acme.test', 'Ada', 'Acme')`,
      [other.id],
    );
    await h.query('ANALYZE');
  });

  const filters: Omit<ListContactsInput, 'userId' | 'limit' | 'offset' | 'sort'>[] = [
    { humansOnly: true },
    { humansOnly: false },
    { humansOnly: true, search: 'a' },
    { humansOnly: true, search: 'DANA' },
    { humansOnly: false, search: 'acme' },
    { humansOnly: true, company: 'ac' },
    { humansOnly: true, tag: 'vip' },
    { humansOnly: true, minStrength: 25 },
    { humansOnly: false, maxStrength: 10 },
    { humansOnly: true, lastAfter: new Date(NOW - 200 * DAY) },
    { humansOnly: true, lastBefore: new Date(NOW - 300 * DAY), search: 'e' },
    { humansOnly: true, minStrength: 40, company: 'a' },
    { humansOnly: false, minStrength: 10, maxStrength: 55 },
    { humansOnly: true, lastBefore: new Date(NOW - 300 * DAY) },
    { humansOnly: false, lastAfter: new Date(NOW - 400 * DAY), minStrength: 25 },
    { scope: 'people' },
    { scope: 'people', search: 'a' },
    { scope: 'people', minStrength: 25 },
    { scope: 'people', company: 'ac', lastBefore: new Date(NOW - 300 * DAY) },
    { scope: 'seen' },
    { scope: 'seen', search: 'e' },
    { scope: 'seen', maxStrength: 40 },
    { scope: 'robots' },
    { scope: 'robots', tag: 'vip' },
  ];

  it('gives the rows and total of its definition for every sort, direction, filter and page', async () => {
    let checked = 0;
    for (const f of filters)
      for (const sort of CONTACT_SORTS)
        for (const direction of [undefined, 'asc', 'desc'] as const)
          for (const [offset, limit] of [
            [0, 50],
            [50, 50],
            [120, 40],
            [300, 50],
          ] as const) {
            const q = { ...f, sort, direction, offset, limit };
            const got = await listContacts(db().db, { ...q, userId });
            const want = reference(all, q);
            expect({ q, ids: got.rows.map((r) => r.id), total: got.total }).toEqual({
              q,
              ...want,
            });
            checked++;
          }
    expect(checked).toBe(filters.length * CONTACT_SORTS.length * 3 * 4);
  });

  it('returns each row with its stats', async () => {
    const { rows } = await listContacts(db().db, {
      userId,
      sort: 'emails',
      humansOnly: false,
      limit: 500,
      offset: 0,
    });
    for (const row of rows) {
      const p = all.find((x) => x.id === row.id)!;
      expect(row).toMatchObject({
        email: p.email,
        name: p.name,
        company: p.company,
        isHuman: p.isHuman,
        tags: p.tags,
        corresponded: p.stats?.corresponded ?? false,
        totalEmails: p.stats?.total ?? null,
        strengthScore: p.stats?.strength ?? null,
        lastInteractionAt: p.stats?.last ?? null,
      });
    }
  });
});
