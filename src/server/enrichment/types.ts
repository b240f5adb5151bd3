import type { DbOrTx } from '@/server/db/client';
import type { ContactLinks, ContactPhone } from '@/server/db/schema';
import type { QuotaLimits } from '@/server/mail/gmail/quota-governor';
import type { UserHttp } from './provider-http';

export type Post = { id: string; text: string; createdAt: string | null; url: string };

/** What a provider may fill in; everything optional. */
export type EnrichedFields = Partial<{
  name: string;
  company: string;
  title: string;
  location: string;
  avatarUrl: string;
  bio: string;
  phones: ContactPhone[];
  links: ContactLinks;
  posts: Post[];
}>;

export type EnrichmentResult =
  | { status: 'ok'; fields: EnrichedFields; confidence: number; sourceUrl?: string }
  | { status: 'not_found' };

export type ContactToEnrich = {
  id: string;
  userId: string;
  email: string;
  addresses: string[];
  name: string | null;
  company: string | null;
  links: ContactLinks;
};

/** A provider's requests go through `http`, paced and budgeted for the user they are for. */
export type ProviderContext = { db: DbOrTx; http: UserHttp };

/**
 * One source of profile data. A new provider is one file: what it needs from a contact, its
 * published rate limit and cache lifetime, and `enrich`.
 */
export interface EnrichmentProvider {
  readonly name: string;
  /** How long a result (found or not) is reused before asking again. */
  readonly ttlDays: number;
  /** Requests per second (and burst) the API allows; 0 for local providers. */
  readonly rateLimit: QuotaLimits | null;
  readonly timeoutMs: number;
  /** Whether this contact has what the provider needs (an X handle, an address…). */
  canEnrich(c: ContactToEnrich): boolean;
  enrich(c: ContactToEnrich, ctx: ProviderContext): Promise<EnrichmentResult>;
}
