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

const letters = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '');

/**
 * The domain's name as a display name spells it: its leading words, when they are the name's
 * letters ("CodeHost" for codehost.dev, "SaaS Metrics" for saasmetrics.co, "CloudHost" from
 * "CloudHost Billing"), else null.
 */
function spelledIn(name: string, displayNames: Iterable<string>): string | null {
  const target = letters(name);
  for (const display of displayNames) {
    const words = display.trim().split(/\s+/);
    for (let i = 1; i <= words.length; i++) {
      const lead = words.slice(0, i).join(' ');
      const key = letters(lead);
      if (key === target) return lead.replace(/^[^\p{L}\p{N}(]+|[^\p{L}\p{N})]+$/gu, '');
      if (key.length >= target.length) break;
    }
  }
  return null;
}

/**
 * A company name from the address's registrable domain, named the same way for every address
 * of that domain ("northwind-traders.com" → "Northwind Traders"; never "Co"), or null for
 * free-mail and unknown domains. Where one of `displayNames` (the address's From names) spells
 * the same letters out ("Industry Weekly" <news@industryweekly.com>), it is named that way.
 */
export function companyFromDomain(
  email: string,
  displayNames: Iterable<string> = [],
): { name: string; domain: string } | null {
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
  return { name: spelledIn(name, displayNames) ?? name, domain };
}
