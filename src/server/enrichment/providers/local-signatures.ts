import { sql } from 'drizzle-orm';
import { extractSignature } from '@/server/contacts/signature';
import { rowsOf } from '@/server/db/client';
import type { ContactPhone } from '@/server/db/schema';
import type { EnrichedFields, EnrichmentProvider } from '../types';

const TYPE: Record<string, ContactPhone['type']> = {
  office: 'office',
  mobile: 'mobile',
  fax: 'fax',
  home: 'home',
};

/**
 * No network: the contact's own signatures across all their mail, most recent first — the
 * latest title, company, phones and links they signed with.
 */
export const localSignaturesProvider: EnrichmentProvider = {
  name: 'signatures',
  ttlDays: 1,
  rateLimit: null,
  timeoutMs: 10_000,
  canEnrich: (c) => c.addresses.length > 0,
  async enrich(c, { db }) {
    const mail = rowsOf<{ body_text: string | null; from_name: string | null; from_email: string }>(
      await db.execute(sql`
        SELECT body_text, from_name, from_email FROM emails
         WHERE user_id = ${c.userId} AND lower(from_email) = ANY(${sql.param(c.addresses)}::text[])
         ORDER BY sent_at DESC NULLS LAST LIMIT 25`),
    );
    const fields: EnrichedFields = {};
    const phones = new Map<string, ContactPhone>();
    const links = {
      linkedin: null as string | null,
      x: null as string | null,
      websites: new Set<string>(),
    };
    for (const m of mail) {
      const sig = extractSignature(m.body_text, { email: m.from_email, name: m.from_name });
      fields.title ??= sig.title ?? undefined;
      fields.company ??= sig.company ?? undefined;
      fields.location ??= sig.postalAddress ?? undefined;
      for (const p of sig.phones) {
        const number = p.e164 ?? p.raw;
        if (!phones.has(number))
          phones.set(number, { number, type: TYPE[p.type] ?? 'other', extension: p.extension });
      }
      links.linkedin ??= sig.links.linkedin[0] ?? null;
      links.x ??= sig.links.twitter[0] ?? null;
      for (const w of sig.links.websites) links.websites.add(w);
    }
    if (phones.size) fields.phones = [...phones.values()].slice(0, 5);
    if (links.linkedin || links.x || links.websites.size)
      fields.links = {
        linkedin: links.linkedin,
        x: links.x,
        websites: [...links.websites].slice(0, 5),
      };
    return Object.keys(fields).length
      ? { status: 'ok', fields, confidence: 0.8 }
      : { status: 'not_found' };
  },
};
