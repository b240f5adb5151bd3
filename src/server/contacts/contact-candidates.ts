import type { ContactLinks, ContactPhone, ParticipantRole } from '@/server/db/schema';
import type { ParsedMessage } from '@/server/mail/parsed-message';
import { classifyParticipant } from './classify-sender';
import { companyFromDomain, registrableDomain } from './company-from-domain';
import { cleanDisplayName } from './display-name';
import { choosePersonName } from './person-name';
import { extractSignature, type SignatureFields } from './signature';

export type ContactCandidate = {
  email: string;
  name: string | null;
  nameConfidence: number | null;
  isHuman: boolean;
  reason: string;
  /** From the sender's latest signature, else from the registrable domain. */
  company: string | null;
  companySource: 'signature' | 'domain' | null;
  companyDomain: string | null;
  nameSource: 'signature' | 'header' | 'address' | null;
  title: string | null;
  phones: ContactPhone[];
  links: ContactLinks;
  location: string | null;
  /** When the signature evidence was written (newer evidence wins on merge). */
  evidenceAt: string | null;
};

export type Participation = { email: string; role: ParticipantRole };

const ROLE_ORDER: ParticipantRole[] = ['from', 'to', 'cc', 'bcc', 'reply_to'];

/** Each non-owner address of a message once, in its strongest role (from > to > cc > bcc > reply-to). */
export function participationsOf(m: ParsedMessage, owners: Set<string>): Participation[] {
  const seen = new Map<string, ParticipantRole>();
  const add = (email: string, role: ParticipantRole) => {
    if (owners.has(email)) return;
    const prev = seen.get(email);
    if (!prev || ROLE_ORDER.indexOf(role) < ROLE_ORDER.indexOf(prev)) seen.set(email, role);
  };
  if (m.from) add(m.from.email, 'from');
  for (const a of m.to) add(a.email, 'to');
  for (const a of m.cc) add(a.email, 'cc');
  for (const a of m.bcc) add(a.email, 'bcc');
  for (const a of m.replyTo) add(a.email, 'reply_to');
  return [...seen].map(([email, role]) => ({ email, role }));
}

/** What one message says about each address on it, and its sender's signature. */
export type MessageEvidence = {
  /** One entry per address occurrence, in header order (From, To, Cc, Bcc, Reply-To). */
  people: {
    email: string;
    role: ParticipantRole;
    isHuman: boolean;
    reason: string;
    /** The display name, cleaned (null when it is no person's name). */
    name: string | null;
  }[];
  /** The sender's signature, when the sender reads as a person and one was found. */
  signature: SignatureFields | null;
};

/**
 * The per-message half of contact extraction: a verdict and a cleaned name for each address
 * but the owner's, and the sender's signature. It needs nothing but the message, so a parse
 * worker works it out beside the parse (ParsedMessage.evidence), off the importing thread.
 */
export function messageEvidence(m: ParsedMessage, owners: Set<string>): MessageEvidence {
  const all = [
    ...(m.from ? [{ a: m.from, role: 'from' as const }] : []),
    ...m.to.map((a) => ({ a, role: 'to' as const })),
    ...m.cc.map((a) => ({ a, role: 'cc' as const })),
    ...m.bcc.map((a) => ({ a, role: 'bcc' as const })),
    ...m.replyTo.map((a) => ({ a, role: 'reply_to' as const })),
  ];
  const evidence: MessageEvidence = { people: [], signature: null };
  for (const { a, role } of all) {
    if (owners.has(a.email)) continue;
    const verdict = classifyParticipant(a.email, role, m);
    evidence.people.push({
      email: a.email,
      role,
      ...verdict,
      name: cleanDisplayName(a.name, a.email),
    });
    if (role === 'from' && verdict.isHuman) {
      const sig = extractSignature(m.text, { email: a.email, name: a.name ?? null });
      if (sig.block.length) evidence.signature = sig;
    }
  }
  return evidence;
}

/**
 * The people (and robots) a batch mentions, one candidate per address: the display name seen
 * most often (a name the person gave themselves, in From, outranks one others typed), and the
 * robot verdict if any message gives one.
 */
export function contactCandidates(
  messages: ParsedMessage[],
  owners: Set<string>,
): ContactCandidate[] {
  type Acc = {
    email: string;
    isHuman: boolean;
    reason: string;
    names: Map<string, number>;
    /** The sender's own signatures in the batch, with their messages' dates. */
    signatures: { fields: SignatureFields; at: number }[];
  };
  const out = new Map<string, Acc>();
  /** The address's accumulator; a robot verdict from any message stands. */
  const person = (email: string, verdict: { isHuman: boolean; reason: string }) => {
    let c = out.get(email);
    if (!c) {
      c = { email, ...verdict, names: new Map(), signatures: [] };
      out.set(email, c);
    } else if (!verdict.isHuman && c.isHuman) {
      c.isHuman = false;
      c.reason = verdict.reason;
    }
    return c;
  };
  for (const m of messages) {
    const at = m.sentAt?.getTime() ?? 0;
    // Worked out on a parse worker, or here. Owners are left out as they are now (the worker's
    // list may predate an alias an earlier file taught).
    const evidence = m.evidence ?? messageEvidence(m, owners);
    for (const p of evidence.people) {
      if (owners.has(p.email)) continue;
      const c = person(p.email, { isHuman: p.isHuman, reason: p.reason });
      if (p.name) c.names.set(p.name, (c.names.get(p.name) ?? 0) + (p.role === 'from' ? 3 : 1));
      if (p.role === 'from' && p.isHuman && evidence.signature) {
        c.signatures.push({ fields: evidence.signature, at });
      }
    }
  }
  return [...out.values()].map((c) => {
    const headerName = [...c.names].sort((x, y) => y[1] - x[1])[0]?.[0] ?? null;
    const evidence = evidenceSignature(c.signatures);
    const sig = evidence?.fields ?? null;
    const name = choosePersonName({ email: c.email, headerName, signatureName: sig?.name ?? null });
    const domain = companyFromDomain(c.email, c.names.keys());
    const links: ContactLinks = {};
    if (sig?.links.linkedin[0]) links.linkedin = sig.links.linkedin[0];
    if (sig?.links.twitter[0]) links.x = sig.links.twitter[0];
    if (sig?.links.websites.length) links.websites = sig.links.websites;
    return {
      email: c.email,
      isHuman: c.isHuman,
      reason: c.reason,
      name: name.name,
      nameConfidence: name.name ? name.confidence : null,
      nameSource: name.source,
      company: sig?.company ?? domain?.name ?? null,
      companySource: sig?.company ? 'signature' : domain ? 'domain' : null,
      companyDomain: domain?.domain ?? registrableDomain(c.email),
      title: sig?.title ?? null,
      phones: (sig?.phones ?? []).map((p) => ({
        number: p.e164 ?? p.raw,
        ...(p.type !== 'unknown'
          ? { type: p.type === 'pager' || p.type === 'voicemail' ? 'other' : p.type }
          : {}),
        extension: p.extension,
      })) as ContactPhone[],
      links,
      location: sig?.postalAddress ?? null,
      evidenceAt: evidence ? new Date(evidence.at).toISOString() : null,
    };
  });
}

/**
 * The sender's signature a batch gives as evidence: the latest that says more than a name (a
 * bare sign-off, "Vince", after a full signature hides none of its title or phones), else the
 * latest; of two on the same date, the later in the batch. One whole signature, not fields of
 * several: a misread line in an older one does not join the newer's fields.
 */
export function evidenceSignature<S extends { fields: SignatureFields; at: number }>(
  signatures: S[],
): S | null {
  const newest = signatures
    .map((s, i) => ({ s, i }))
    .sort((a, b) => b.s.at - a.s.at || b.i - a.i)
    .map(({ s }) => s);
  const saysMore = ({ fields: f }: S) =>
    Boolean(
      f.title ||
      f.company ||
      f.postalAddress ||
      f.phones.length ||
      f.links.linkedin.length ||
      f.links.twitter.length ||
      f.links.websites.length,
    );
  return newest.find(saysMore) ?? newest[0] ?? null;
}
