import type { ParticipantRole } from '@/server/db/schema';
import type { ParsedMessage } from '@/server/mail/parsed-message';
import { classifyParticipant } from './classify-sender';
import { companyFromDomain, registrableDomain } from './company-from-domain';
import { cleanDisplayName } from './display-name';

export type ContactCandidate = {
  email: string;
  name: string | null;
  nameConfidence: number | null;
  isHuman: boolean;
  reason: string;
  /** From the registrable domain (a signature, when read, says better). */
  company: string | null;
  companyDomain: string | null;
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

/**
 * The people (and robots) a batch mentions, one candidate per address: the display name seen
 * most often (a name the person gave themselves, in From, outranks one others typed), and the
 * robot verdict if any message gives one.
 */
export function contactCandidates(messages: ParsedMessage[], owners: Set<string>) {
  const out = new Map<string, ContactCandidate & { names: Map<string, number> }>();
  for (const m of messages) {
    const all = [
      ...(m.from ? [{ a: m.from, role: 'from' as const }] : []),
      ...m.to.map((a) => ({ a, role: 'to' as const })),
      ...m.cc.map((a) => ({ a, role: 'cc' as const })),
      ...m.bcc.map((a) => ({ a, role: 'bcc' as const })),
      ...m.replyTo.map((a) => ({ a, role: 'reply_to' as const })),
    ];
    for (const { a, role } of all) {
      if (owners.has(a.email)) continue;
      let c = out.get(a.email);
      const verdict = classifyParticipant(a.email, role, m);
      if (!c) {
        const company = companyFromDomain(a.email);
        c = {
          email: a.email,
          name: null,
          nameConfidence: null,
          ...verdict,
          company: company?.name ?? null,
          companyDomain: company?.domain ?? registrableDomain(a.email),
          names: new Map(),
        };
        out.set(a.email, c);
      } else if (!verdict.isHuman && c.isHuman) {
        c.isHuman = false;
        c.reason = verdict.reason;
      }
      const name = cleanDisplayName(a.name, a.email);
      if (name) c.names.set(name, (c.names.get(name) ?? 0) + (role === 'from' ? 3 : 1));
    }
  }
  return [...out.values()].map(({ names, ...c }) => {
    const best = [...names].sort((x, y) => y[1] - x[1])[0];
    return best ? { ...c, name: best[0], nameConfidence: 0.8 } : c;
  });
}
