// What the raw mail itself says about one owner's network, worked out here without the product's
// contact tables, so that eval:network can hold the product's lists against it.
import path from 'node:path';
import { isFreemail, registrableDomain } from '@/server/contacts/company-from-domain';
import { openMbox, readMbox } from '@/server/mail/mbox-reader';
import { parseMessage } from '@/server/mail/parse-message';
import type { ParsedMessage } from '@/server/mail/parsed-message';
import { readJsonl } from './load-labelled';

export type AddressFacts = {
  /** Messages the owner sent with this address in To/Cc/Bcc. */
  sentByOwner: number;
  /** Messages this address sent with an owner address in To or Cc. */
  wroteToOwner: number;
  /** Distinct UTC days with mail either way (the two kinds above). */
  days: Set<string>;
  /** Display names the mail gives it, as written, counted. */
  names: Map<string, number>;
  /** Some message from it carries bulk or list headers, or a mass mailing's footer. */
  bulk: boolean;
};

/**
 * Role mailboxes (RFC 2142 and the common no-reply and notification forms): the local part alone
 * says nobody in particular reads it.
 */
const ROLE_LOCAL =
  /^(no[-_.]?reply|do[-_.]?not[-_.]?reply|no[-_.]?address|mailer[-_.]daemon|postmaster|hostmaster|webmaster|abuse|info|support|sales|marketing|admin|administrator|help|helpdesk|billing|news|newsletters?|notifications?|alerts?|announcements?|updates?|bounces?|list|listserv|majordomo|owner-.+|.+-owner|.+-request|dl-.+|all[-_.].+)$/i;

/**
 * A footer only mass mailings carry (archives like Enron's dropped their List-Unsubscribe
 * headers): an unsubscribe or opt-out line, or a "you received this because" notice.
 */
const MAILING_FOOTER =
  /\b(unsubscribe|opt[- ]out|to be removed from (our|this|the) (mailing )?list|not (wish|want) to receive (further|future)|receive future e-?mails|you (are )?receiv(ed|ing) this (e-?mail|message|newsletter) because)\b/i;

/**
 * A bulk or list mailing by its headers (RFC 2369, RFC 2919, RFC 3834, Precedence), or by the
 * footer in its text.
 */
function bulkMail(m: ParsedMessage) {
  const h = m.headers;
  const auto = h['auto-submitted']?.toLowerCase();
  return Boolean(
    h['list-id'] ||
    h['list-unsubscribe'] ||
    /^(bulk|list|junk)$/i.test(h['precedence']?.trim() ?? '') ||
    (auto && auto !== 'no') ||
    MAILING_FOOTER.test((m.text ?? '').slice(-4000)),
  );
}

export type Truth = Awaited<ReturnType<typeof readTruth>>;

/**
 * Reads one owner's mailbox. `owners`: the owner's addresses (lower case), those the data's
 * README gives and those the product recognised (the caller says which).
 */
export async function readTruth(options: { dataDir: string; mbox: string; owners: Set<string> }) {
  const facts = new Map<string, AddressFacts>();
  const of = (email: string) => {
    let f = facts.get(email);
    if (!f) {
      f = { sentByOwner: 0, wroteToOwner: 0, days: new Set(), names: new Map(), bulk: false };
      facts.set(email, f);
    }
    return f;
  };
  const isOwner = (email: string) => options.owners.has(email);
  // One message filed in several folders is one message (its content key, as stored).
  const read = new Set<string>();
  for await (const e of readMbox(openMbox(path.join(options.dataDir, options.mbox)).stream)) {
    if (e.kind !== 'message') continue;
    const m = await parseMessage({ raw: e.raw, source: 'mbox', envelopeDate: e.envelopeDate });
    if (read.has(m.contentKey)) continue;
    read.add(m.contentKey);
    const day = m.sentAt?.toISOString().slice(0, 10) ?? null;
    for (const a of [m.from, ...m.to, ...m.cc, ...m.bcc]) {
      if (a && a.name && !isOwner(a.email)) {
        const f = of(a.email);
        f.names.set(a.name, (f.names.get(a.name) ?? 0) + 1);
      }
    }
    if (!m.from) continue;
    if (isOwner(m.from.email)) {
      for (const a of new Set([...m.to, ...m.cc, ...m.bcc].map((x) => x.email))) {
        if (isOwner(a)) continue;
        const f = of(a);
        f.sentByOwner++;
        if (day) f.days.add(day);
      }
    } else {
      const f = of(m.from.email);
      if (bulkMail(m)) f.bulk = true;
      if ([...m.to, ...m.cc].some((a) => isOwner(a.email))) {
        f.wroteToOwner++;
        if (day) f.days.add(day);
      }
    }
  }
  return facts;
}

/** Addresses labelled by hand as not a person (the dev label sets), when the data has them. */
export function labelledRobots(dataDir: string): Set<string> {
  const robots = new Set<string>();
  const dir = path.join(dataDir, 'labels');
  for (const file of ['senders-dev.jsonl', 'senders-dev2.jsonl']) {
    try {
      for (const r of readJsonl<{ email: string; human: boolean }>(path.join(dir, file)))
        if (!r.human) robots.add(r.email.toLowerCase());
    } catch {
      // A data directory without labels: the header and role rules judge alone.
    }
  }
  for (const file of ['contacts-dev.jsonl', 'contacts-dev2.jsonl', 'contacts-dev3.jsonl']) {
    try {
      for (const r of readJsonl<{ addresses: { email: string; human: boolean }[] }>(
        path.join(dir, file),
      ))
        for (const a of r.addresses) if (!a.human) robots.add(a.email.toLowerCase());
    } catch {
      // as above
    }
  }
  return robots;
}

/**
 * A robot or list, judged without the product's classifier: labelled so by hand, or mail from it
 * carries bulk/list headers or a mass mailing's footer, or its local part is a role mailbox's.
 */
export function isRobot(email: string, facts: Map<string, AddressFacts>, labelled: Set<string>) {
  return (
    labelled.has(email) || Boolean(facts.get(email)?.bulk) || ROLE_LOCAL.test(email.split('@')[0]!)
  );
}

const SUFFIXES = new Set(['jr', 'sr', 'ii', 'iii', 'iv', 'phd', 'md', 'esq']);
/** Words that make a name a group's, not a person's ("Outlook Migration Team"). */
const GROUP_WORDS =
  /\b(team|group|desk|department|dept|committee|office|staff|services|support|announcements?|list|council|board|center|centre|administration|administrator|helpdesk|operations|management|employees|all)\b/i;

/**
 * A person's name as the eval compares them: "Last, First M." reordered, brackets and quotes
 * dropped, lower-case letters only, initials and suffixes left out; first and last word. Null
 * when fewer than two words are left (a first name alone, an address as its own name).
 */
export function personKey(raw: string): { first: string; last: string } | null {
  let s = raw.replace(/<[^>]*>|\[[^\]]*\]|\([^)]*\)/g, ' ').replace(/["']/g, '');
  // An address, a group's name, or two people's ("Roy and Loreli Ibasco").
  if (s.includes('@') || GROUP_WORDS.test(s) || /\band\b|&/i.test(s)) return null;
  const comma = s.indexOf(',');
  if (comma > 0) s = `${s.slice(comma + 1)} ${s.slice(0, comma)}`;
  const words = s
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .split(/[^a-z]+/)
    .filter((w) => w.length > 1 && !SUFFIXES.has(w));
  return words.length >= 2 ? { first: words[0]!, last: words.at(-1)! } : null;
}

/** "first.last@", "first_m_last@": a local part of two words names its person. */
const NAMED_LOCAL = /^([a-z]{2,})[._](?:[a-z][._])?([a-z]{2,})$/;

/**
 * The name the mail gives an address most often, as a key (see personKey); else the name its
 * local part spells (NAMED_LOCAL).
 */
export function addressName(email: string, f: AddressFacts | undefined) {
  const local = NAMED_LOCAL.exec(email.split('@')[0]!);
  const fromLocal = local ? personKey(`${local[1]} ${local[2]}`) : null;
  if (!f) return fromLocal;
  const counted = new Map<string, { key: { first: string; last: string }; n: number }>();
  for (const [raw, n] of f.names) {
    const key = personKey(raw);
    if (!key) continue;
    const k = `${key.first} ${key.last}`;
    counted.set(k, { key, n: (counted.get(k)?.n ?? 0) + n });
  }
  return [...counted.values()].sort((a, b) => b.n - a.n)[0]?.key ?? fromLocal;
}

/** An address's organisation: its registrable domain; none for free-mail and ISPs. */
export const organisation = (email: string) =>
  isFreemail(email) ? null : registrableDomain(email);

/**
 * The pairs a person would merge, by a rule stated here and applied to every address: two
 * addresses are one person when the mail gives them the same name (personKey: first and last
 * word, so punctuation, case, middle initials and "Last, First" do not matter) at the same
 * organisation. Organisations are registrable domains (ect.enron.com is enron.com); two domains
 * are one organisation when at least `linkAt` different people's names appear at both (a
 * company's two mail systems, or one that took over another). Free-mail addresses belong to no
 * organisation, so no pair rests on them.
 */
export function goldPairs(addresses: string[], facts: Map<string, AddressFacts>, linkAt = 2) {
  const named = addresses
    .map((email) => ({
      email,
      name: addressName(email, facts.get(email)),
      org: organisation(email),
    }))
    .filter((a) => a.name && a.org) as {
    email: string;
    name: { first: string; last: string };
    org: string;
  }[];
  const key = (a: { name: { first: string; last: string } }) => `${a.name.first} ${a.name.last}`;
  const orgsByName = new Map<string, Set<string>>();
  for (const a of named) orgsByName.set(key(a), (orgsByName.get(key(a)) ?? new Set()).add(a.org));
  const shared = new Map<string, number>();
  for (const orgs of orgsByName.values()) {
    const list = [...orgs].sort();
    for (let i = 0; i < list.length; i++)
      for (let j = i + 1; j < list.length; j++) {
        const k = `${list[i]} ${list[j]}`;
        shared.set(k, (shared.get(k) ?? 0) + 1);
      }
  }
  const sameOrg = (a: string, b: string) =>
    a === b || (shared.get([a, b].sort().join(' ')) ?? 0) >= linkAt;
  const pairs: [string, string][] = [];
  for (let i = 0; i < named.length; i++)
    for (let j = i + 1; j < named.length; j++) {
      const [a, b] = [named[i]!, named[j]!];
      if (key(a) === key(b) && sameOrg(a.org, b.org))
        pairs.push([a.email, b.email].sort() as [string, string]);
    }
  return { pairs, sameOrg };
}

/**
 * A suggested pair that is two different people by the mail's own names: different surnames,
 * or first names that start with different letters. (Two organisations do not make two people:
 * people change jobs; such pairs are counted apart, see crossOrganisation.)
 */
export function wrongPair(a: string, b: string, facts: Map<string, AddressFacts>) {
  const [na, nb] = [addressName(a, facts.get(a)), addressName(b, facts.get(b))];
  return Boolean(na && nb && (na.last !== nb.last || na.first[0] !== nb.first[0]));
}

/** A pair at two business organisations that are not one (see goldPairs): unverified. */
export function crossOrganisation(
  a: string,
  b: string,
  sameOrg: (x: string, y: string) => boolean,
) {
  const [oa, ob] = [organisation(a), organisation(b)];
  return Boolean(oa && ob && !sameOrg(oa, ob));
}
