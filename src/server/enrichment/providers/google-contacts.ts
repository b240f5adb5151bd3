import { sql } from 'drizzle-orm';
import { rowsOf, type DbOrTx } from '@/server/db/client';
import type { ContactPhone } from '@/server/db/schema';
import { accountTokenSource, type GoogleOAuthConfig } from '@/server/mail/gmail/google-tokens';
import type { UserHttp } from '../provider-http';
import type { EnrichmentProvider, EnrichmentResult } from '../types';

export const CONTACTS_SCOPE = 'https://www.googleapis.com/auth/contacts.readonly';

type Person = {
  resourceName: string;
  names?: { displayName?: string }[];
  emailAddresses?: { value?: string }[];
  phoneNumbers?: { value?: string; canonicalForm?: string; type?: string }[];
  organizations?: { name?: string; title?: string }[];
  urls?: { value?: string; type?: string }[];
  addresses?: { formattedValue?: string }[];
};

const PHONE_TYPE: Record<string, ContactPhone['type']> = {
  work: 'office',
  mobile: 'mobile',
  home: 'home',
  workFax: 'fax',
  homeFax: 'fax',
};

/**
 * Google Contacts (People API): the people the user already keeps in Google, and "other
 * contacts", read with the Gmail account's grant (contacts.readonly). The address book is
 * read once per user and hour, in pages of 1,000, then looked up by address.
 */
export function googleContactsProvider(o: {
  baseUrl: string;
  oauth: GoogleOAuthConfig;
}): EnrichmentProvider {
  const books = new Map<string, { at: number; byEmail: Map<string, Person> }>();

  async function book(db: DbOrTx, http: UserHttp, userId: string) {
    const cached = books.get(userId);
    if (cached && Date.now() - cached.at < 3600_000) return cached.byEmail;
    const [link] = rowsOf<{ auth_account_id: string; scope: string | null }>(
      await db.execute(sql`
        SELECT m.auth_account_id, a.scope FROM mail_accounts m
          JOIN accounts a ON a.id = m.auth_account_id AND a.user_id = m.user_id
         WHERE m.user_id = ${userId} AND m.provider = 'gmail' ORDER BY m.created_at LIMIT 1`),
    );
    const byEmail = new Map<string, Person>();
    if (link && (link.scope ?? '').split(/[\s,]+/).includes(CONTACTS_SCOPE)) {
      const token = await accountTokenSource(db, link.auth_account_id, o.oauth).accessToken();
      const headers = { authorization: `Bearer ${token}` };
      const fields = 'names,emailAddresses,phoneNumbers,organizations,urls,addresses';
      for (const [path, key, param] of [
        ['/v1/people/me/connections', 'connections', 'personFields'],
        ['/v1/otherContacts', 'otherContacts', 'readMask'],
      ] as const) {
        let pageToken: string | undefined;
        do {
          const q = new URLSearchParams({
            [param]: key === 'otherContacts' ? 'names,emailAddresses,phoneNumbers' : fields,
            pageSize: '1000',
          });
          if (pageToken) q.set('pageToken', pageToken);
          const page = await http.getJson<{ [k: string]: unknown; nextPageToken?: string }>(
            `${o.baseUrl}${path}?${q}`,
            headers,
          );
          for (const p of (page?.[key] as Person[] | undefined) ?? [])
            for (const e of p.emailAddresses ?? [])
              if (e.value && !byEmail.has(e.value.toLowerCase()))
                byEmail.set(e.value.toLowerCase(), p);
          pageToken = page?.nextPageToken;
        } while (pageToken);
      }
    }
    books.set(userId, { at: Date.now(), byEmail });
    return byEmail;
  }

  return {
    name: 'google-contacts',
    ttlDays: 7,
    // People API: 90 read requests a minute per user.
    rateLimit: { unitsPerSecond: 1.5, burst: 10, unitsPerMinute: 90 },
    timeoutMs: 15_000,
    canEnrich: (c) => c.addresses.length > 0,
    async enrich(c, { db, http }): Promise<EnrichmentResult> {
      const people = await book(db, http, c.userId);
      const p = c.addresses.map((a) => people.get(a)).find(Boolean);
      if (!p) return { status: 'not_found' };
      const org = p.organizations?.[0];
      const phones = (p.phoneNumbers ?? [])
        .filter((x) => x.canonicalForm ?? x.value)
        .map((x) => ({
          number: (x.canonicalForm ?? x.value)!,
          type: PHONE_TYPE[x.type ?? ''] ?? 'other',
        }));
      const sites = (p.urls ?? []).map((u) => u.value).filter((u): u is string => Boolean(u));
      return {
        status: 'ok',
        // The user's own address book: as good as it gets short of their own edits.
        confidence: 0.95,
        fields: {
          ...(p.names?.[0]?.displayName ? { name: p.names[0].displayName } : {}),
          ...(org?.name ? { company: org.name } : {}),
          ...(org?.title ? { title: org.title } : {}),
          ...(p.addresses?.[0]?.formattedValue ? { location: p.addresses[0].formattedValue } : {}),
          ...(phones.length ? { phones } : {}),
          links: {
            linkedin: sites.find((u) => /linkedin\.com/i.test(u)) ?? null,
            websites: sites.filter((u) => !/linkedin\.com/i.test(u)),
          },
        },
      };
    },
  };
}
