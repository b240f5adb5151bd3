import { isFreemail, registrableDomain } from './company-from-domain';
import { localPartSpells, personName, type PersonName } from './name-key';
import { nameForms, sameFirstName } from './nicknames';

export type DuplicateCandidate = {
  id: string;
  email: string;
  name: string | null;
  /** A company read from a signature or typed by the user (a domain's guess is left out). */
  company: string | null;
  /** E.164 numbers from their signatures. */
  phones: string[];
  totalEmails: number;
};

export type DuplicateGroup = { contactIds: string[]; reasons: string[]; confidence: number };

/** Two domains whose people share this many names are one organisation's (enron.com, pgn.com). */
export const LINKED_DOMAIN_NAMES = 2;
/** A group larger than this is a common name chained across people: only its surest links stay. */
const MAX_GROUP = 6;
/** More contacts than this under one name, and it is a common name, not one person's. */
const COMMON_NAME = 12;

type Person = DuplicateCandidate & { pn: PersonName | null; org: string | null };
type Edge = { a: string; b: string; reason: string; confidence: number };

/**
 * Contacts that are likely one person, each group with the reasons a person can check:
 * - the same name (first and last; punctuation, case, middle initials, "Last, First" and short
 *   forms aside; differing middle initials are two people) — surest at one organisation (one
 *   registrable domain, or two domains whose people share LINKED_DOMAIN_NAMES names), then with a
 *   personal mailbox, then across organisations; never when their signatures name different
 *   companies;
 * - an address without a name whose local part spells the name of exactly one person at its
 *   organisation ("jtholt" for Jane M. Tholt);
 * - a signature phone number that these two alone sign with, their names not conflicting.
 * `dismissed` pairs ("a b", ids sorted) were judged different people and are never suggested.
 */
export function findDuplicates(
  candidates: DuplicateCandidate[],
  dismissed: Set<string> = new Set(),
): DuplicateGroup[] {
  const people: Person[] = candidates.map((c) => ({
    ...c,
    pn: personName(c.name),
    org: isFreemail(c.email) ? null : registrableDomain(c.email),
  }));
  const sameOrg = linkedOrganisations(people);
  const edges = [...nameEdges(people, sameOrg), ...addressEdges(people), ...phoneEdges(people)];
  const kept = edges.filter((e) => !dismissed.has(pairKey(e.a, e.b)));
  return groupsOf(kept, people);
}

export const pairKey = (a: string, b: string) => (a < b ? `${a} ${b}` : `${b} ${a}`);

/** Whether two domains are one organisation's, and how many names they share. */
function linkedOrganisations(people: Person[]) {
  const orgsByName = new Map<string, Set<string>>();
  for (const p of people)
    if (p.pn && p.org) {
      const k = `${p.pn.first} ${p.pn.last}`;
      orgsByName.set(k, (orgsByName.get(k) ?? new Set()).add(p.org));
    }
  const shared = new Map<string, number>();
  for (const orgs of orgsByName.values()) {
    // A common name at many organisations links none of them.
    if (orgs.size > COMMON_NAME) continue;
    const list = [...orgs].sort();
    for (let i = 0; i < list.length; i++)
      for (let j = i + 1; j < list.length; j++) {
        const k = `${list[i]} ${list[j]}`;
        shared.set(k, (shared.get(k) ?? 0) + 1);
      }
  }
  return (a: string, b: string) => (a === b ? Infinity : (shared.get(pairKey(a, b)) ?? 0));
}

const companyKey = (c: string | null) => (c ?? '').toLowerCase().replace(/[^a-z0-9]+/g, '');

function nameEdges(people: Person[], shared: (a: string, b: string) => number): Edge[] {
  // By surname and first name (its short forms together): pairs are only ever sought within.
  const byName = new Map<string, Person[]>();
  for (const p of people)
    if (p.pn) {
      const key = `${p.pn.last} ${nameForms(p.pn.first)[0]}`;
      add(byName, key, p);
    }
  const edges: Edge[] = [];
  for (const group of byName.values()) {
    // A name this many contacts share is a common one: the name alone tells nothing.
    if (group.length < 2 || group.length > COMMON_NAME) continue;
    for (let i = 0; i < group.length; i++)
      for (let j = i + 1; j < group.length; j++) {
        const [x, y] = [group[i]!, group[j]!];
        const [nx, ny] = [x.pn!, y.pn!];
        if (!sameFirstName(nx.first, ny.first)) continue;
        // "James D Steffes" and "James W Steffes" are two people.
        if (nx.middle.length && ny.middle.length && nx.middle[0]![0] !== ny.middle[0]![0]) continue;
        const [cx, cy] = [companyKey(x.company), companyKey(y.company)];
        if (cx && cy && cx !== cy && !cx.startsWith(cy) && !cy.startsWith(cx)) continue;
        const nick =
          nx.first === ny.first
            ? ''
            : `${cap(short(nx.first, ny.first))} is short for ${cap(long(nx.first, ny.first))}; `;
        const same = `${nick}the same name`;
        let confidence: number;
        let where: string;
        if (x.org && y.org && x.org === y.org) {
          confidence = 0.95;
          where = `, both at ${x.org}`;
        } else if (x.org && y.org && shared(x.org, y.org) >= LINKED_DOMAIN_NAMES) {
          confidence = 0.9;
          where = ` at ${x.org} and ${y.org}, which share ${shared(x.org, y.org)} people's names`;
        } else if (!x.org || !y.org) {
          confidence = 0.75;
          const personal = !x.org ? x.email : y.email;
          where = `; ${personal} is a personal mailbox`;
        } else if (cx && cx === cy) {
          confidence = 0.9;
          where = ` and both sign for ${x.company}`;
        } else {
          confidence = 0.5;
          where = ` at ${x.org} and ${y.org}, two organisations: check`;
        }
        if (nick) confidence -= 0.1;
        edges.push({ a: x.id, b: y.id, reason: `${cap(same)}${where}`, confidence });
      }
  }
  return edges;
}

const cap = (s: string) => s[0]!.toUpperCase() + s.slice(1);
/** Appends to a map of lists. */
function add<K, V>(map: Map<K, V[]>, key: K, value: V) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
const localOf = (p: { email: string }) => p.email.split('@')[0]!.toLowerCase();
const short = (a: string, b: string) => (a.length <= b.length ? a : b);
const long = (a: string, b: string) => (a.length <= b.length ? b : a);

/**
 * An address with no name whose local part spells one named person's name at its
 * organisation; or, elsewhere, the very local part of that person's own address
 * ("gthorse@keyad.com" beside Greg Thorse <gthorse@about-cis.com>).
 */
function addressEdges(people: Person[]): Edge[] {
  const named = new Map<string, Person[]>();
  const byLocal = new Map<string, Person[]>();
  for (const p of people) {
    if (p.pn && p.org) add(named, p.org, p);
    if (p.pn) add(byLocal, localOf(p), p);
  }
  const edges: Edge[] = [];
  for (const p of people) {
    if (p.pn) continue;
    const twins = (byLocal.get(localOf(p)) ?? []).filter(
      (q) => q.org !== p.org && localPartSpells(q.email, q.pn!),
    );
    // Short ones ("jsmith") are too common to tell by.
    if (twins.length === 1 && localOf(p).length >= 7) {
      const q = twins[0]!;
      edges.push({
        a: p.id,
        b: q.id,
        reason: `${p.email} has the local part of ${q.name}'s address (${q.email}), which spells the name`,
        confidence: 0.6,
      });
    }
    if (!p.org) continue;
    const matches = (named.get(p.org) ?? []).filter((q) => localPartSpells(p.email, q.pn!));
    // Two people it could spell ("pallen": Phillip or Paul Allen): neither is suggested.
    const names = new Set(matches.map((q) => `${q.pn!.first} ${q.pn!.last}`));
    if (names.size !== 1) continue;
    for (const q of matches)
      edges.push({
        a: p.id,
        b: q.id,
        reason: `${p.email.split('@')[0]} spells ${q.name}'s name, at ${p.org}`,
        confidence: 0.8,
      });
  }
  return edges;
}

/** A number that exactly two contacts sign with, their names not conflicting. */
function phoneEdges(people: Person[]): Edge[] {
  const byPhone = new Map<string, Person[]>();
  for (const p of people) for (const phone of new Set(p.phones)) add(byPhone, phone, p);
  const edges: Edge[] = [];
  for (const [phone, [x, y, ...more]] of byPhone) {
    if (!x || !y || more.length) continue;
    if (x.pn && y.pn && (x.pn.last !== y.pn.last || !sameFirstName(x.pn.first, y.pn.first)))
      continue;
    edges.push({ a: x.id, b: y.id, reason: `Both sign with ${phone}`, confidence: 0.8 });
  }
  return edges;
}

/** Connected groups of the edges, surest first; each group's confidence is its best link's. */
function groupsOf(edges: Edge[], people: Person[]): DuplicateGroup[] {
  const emails = new Map(people.map((p) => [p.id, p.totalEmails]));
  const build = (list: Edge[]) => {
    const parent = new Map<string, string>();
    const find = (x: string): string => {
      const p = parent.get(x) ?? x;
      if (p === x) return x;
      const root = find(p);
      parent.set(x, root);
      return root;
    };
    for (const e of list) parent.set(find(e.a), find(e.b));
    const groups = new Map<string, { ids: Set<string>; edges: Edge[] }>();
    for (const e of list) {
      const root = find(e.a);
      const g = groups.get(root) ?? { ids: new Set(), edges: [] };
      g.ids.add(e.a).add(e.b);
      g.edges.push(e);
      groups.set(root, g);
    }
    return [...groups.values()];
  };
  const out: DuplicateGroup[] = [];
  for (const g of build(edges)) {
    const parts = g.ids.size > MAX_GROUP ? build(g.edges.filter((e) => e.confidence >= 0.9)) : [g];
    for (const part of parts) {
      if (part.ids.size > MAX_GROUP) continue;
      out.push({
        // The busiest address first: the one a merge keeps.
        contactIds: [...part.ids].sort((a, b) => (emails.get(b) ?? 0) - (emails.get(a) ?? 0)),
        reasons: [
          ...new Set(part.edges.sort((a, b) => b.confidence - a.confidence).map((e) => e.reason)),
        ],
        confidence: Math.max(...part.edges.map((e) => e.confidence)),
      });
    }
  }
  return out.sort(
    (a, b) =>
      b.confidence - a.confidence ||
      Math.max(...b.contactIds.map((id) => emails.get(id) ?? 0)) -
        Math.max(...a.contactIds.map((id) => emails.get(id) ?? 0)),
  );
}
