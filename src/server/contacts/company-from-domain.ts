import freemailList from 'email-providers/all.json' with { type: 'json' };
import { getDomain, getDomainWithoutSuffix } from 'tldts';

let freemailDomains: Set<string> | undefined;

/** The maintained free-mail provider list of the `email-providers` package (gmail.com, gmx.de…), loaded on first use. */
function freemail() {
  freemailDomains ??= new Set<string>(freemailList as string[]);
  return freemailDomains;
}

/** Registrable domain of an address ("mail.uk.acme.co.uk" → "acme.co.uk"). */
export function registrableDomain(email: string): string | null {
  return getDomain(email.split('@')[1] ?? '') ?? null;
}

export function isFreemail(email: string): boolean {
  const host = email.split('@')[1]?.toLowerCase() ?? '';
  const domain = registrableDomain(email);
  return freemail().has(host) || (domain !== null && freemail().has(domain));
}

/**
 * A company name from the address's registrable domain, named the same way for every address
 * of that domain ("northwind-traders.com" → "Northwind Traders"; never "Co"), or null for
 * free-mail and unknown domains.
 */
export function companyFromDomain(email: string): { name: string; domain: string } | null {
  if (isFreemail(email)) return null;
  const domain = registrableDomain(email);
  const label = domain ? getDomainWithoutSuffix(domain) : null;
  if (!domain || !label || label.length < 2) return null;
  const name = label
    .split(/[-_]+/)
    .filter(Boolean)
    .map((w) =>
      w.length <= 3 && !/[aeiou]/.test(w) ? w.toUpperCase() : w[0]!.toUpperCase() + w.slice(1),
    )
    .join(' ');
  return { name, domain };
}
