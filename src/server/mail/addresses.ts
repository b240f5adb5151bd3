import type { Address as PmAddress } from 'postal-mime';
import type { Address } from '@/server/db/schema';

/** No spaces, specials or control characters (NUL is garbage, and PostgreSQL cannot store it). */
const EMAIL_RE = /^[^\s\p{Cc}@<>(),;:"]+@[^\s\p{Cc}@<>(),;:"]+\.[^\s\p{Cc}@<>(),;:"]+$/u;
/** RFC 5321's limit; longer ones are garbage, and too long for the database's indexes. */
const MAX_EMAIL = 254;
/** A longer "display name" is not a name (and would not fit the contacts' name index). */
const MAX_NAME = 200;

/**
 * A local part that starts or ends with a dot is no address (RFC 5322's dot-atom): the Enron
 * archives hold thousands, "e-mail <.bill@enron.com>", where an export mangled outside
 * addresses. Doubled dots stay: Enron's own "k..allen@enron.com" reached people.
 */
const DOT_AT_EDGE = /^\.|\.@/;

export function normaliseEmail(raw: string): string | null {
  const email = raw.trim().replace(/^<|>$/g, '').toLowerCase();
  return email.length <= MAX_EMAIL && EMAIL_RE.test(email) && !DOT_AT_EDGE.test(email)
    ? email
    : null;
}

function usableName(name: string | null | undefined): string | null {
  const v = name?.trim();
  return v && v.length <= MAX_NAME ? v : null;
}

/** Flattens groups ("undisclosed-recipients:;" gives nothing), drops unusable addresses. */
export function toAddresses(list: PmAddress[] | PmAddress | undefined): Address[] {
  const input = list === undefined ? [] : Array.isArray(list) ? list : [list];
  const out: Address[] = [];
  for (const a of input) {
    const members = a.group ?? [a];
    for (const m of members) {
      const email = m.address ? normaliseEmail(m.address) : null;
      if (email) out.push({ email, name: usableName(m.name) });
    }
  }
  return out;
}

/**
 * Enron-style X-From / X-To headers carry the display names that From/To lack, often with an
 * Exchange DN ("Allen, Phillip K. </O=ENRON/OU=NA/CN=RECIPIENTS/CN=PALLEN>"). Commas both
 * separate people and sit inside "Last, First", so names are only used when their count
 * matches the addresses (or is exactly twice it: "Last, First" pairs).
 */
export function xHeaderNames(value: string, count: number): string[] | null {
  const hasDn = value.includes('<');
  const parts = (
    hasDn ? value.split(/>\s*,\s*/).map((p) => p.replace(/<.*$/s, '')) : value.split(',')
  )
    .map((p) => p.replace(/\s+/g, ' ').trim())
    .filter(Boolean);
  if (count === 1) {
    const whole = value
      .replace(/<[^>]*>?/g, '')
      .replace(/\s+/g, ' ')
      .trim();
    return whole ? [whole] : null;
  }
  if (parts.length === count) return parts;
  if (!hasDn && parts.length === 2 * count) {
    return Array.from({ length: count }, (_, i) => `${parts[2 * i]}, ${parts[2 * i + 1]}`);
  }
  return null;
}

export function withXNames(addresses: Address[], xValue: string | undefined): Address[] {
  if (!xValue || addresses.length === 0) return addresses;
  const names = xHeaderNames(xValue, addresses.length);
  if (!names) return addresses;
  return addresses.map((a, i) =>
    a.name || names[i]!.includes('@') ? a : { ...a, name: usableName(names[i]) },
  );
}
