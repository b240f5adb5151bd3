import crypto from 'node:crypto';
import type { QuotaLimits } from '@/server/mail/gmail/quota-governor';
import type { EnrichmentProvider, EnrichmentResult, Post } from '../types';

export type NetworkProviderOptions = { baseUrl: string; key: string; rate?: QuotaLimits };

/** Per second, burst, per minute — from each API's published limits. */
const limits = (perSecond: number, burst: number, perMinute: number): QuotaLimits => ({
  unitsPerSecond: perSecond,
  burst,
  unitsPerMinute: perMinute,
});

const handleOf = (x: string | null | undefined) =>
  x
    ? (x.match(/(?:x|twitter)\.com\/@?([A-Za-z0-9_]{1,15})/i)?.[1] ??
      x.replace(/^@/, '').match(/^[A-Za-z0-9_]{1,15}$/)?.[0] ??
      null)
    : null;

/** Gravatar's REST API v3: a profile by the SHA-256 of the address (1,000 requests/hour with a key). */
export function gravatarProvider(o: NetworkProviderOptions): EnrichmentProvider {
  return {
    name: 'gravatar',
    ttlDays: 30,
    rateLimit: o.rate ?? limits(0.27, 10, 16),
    timeoutMs: 10_000,
    canEnrich: (c) => Boolean(c.email),
    async enrich(c, { http }) {
      const hash = crypto.createHash('sha256').update(c.email.trim().toLowerCase()).digest('hex');
      const p = await http.getJson<{
        display_name?: string;
        profile_url?: string;
        avatar_url?: string;
        location?: string;
        description?: string;
        job_title?: string;
        company?: string;
        verified_accounts?: { service_type: string; url: string }[];
      }>(`${o.baseUrl}/v3/profiles/${hash}`, { authorization: `Bearer ${o.key}` });
      if (!p) return { status: 'not_found' };
      const account = (t: string) =>
        p.verified_accounts?.find((a) => a.service_type === t)?.url ?? null;
      return {
        status: 'ok',
        confidence: 0.9,
        sourceUrl: p.profile_url,
        fields: {
          ...(p.display_name ? { name: p.display_name } : {}),
          ...(p.avatar_url ? { avatarUrl: p.avatar_url } : {}),
          ...(p.location ? { location: p.location } : {}),
          ...(p.description ? { bio: p.description } : {}),
          ...(p.job_title ? { title: p.job_title } : {}),
          ...(p.company ? { company: p.company } : {}),
          links: {
            linkedin: account('linkedin'),
            x: account('twitter') ?? account('x'),
            github: account('github'),
          },
        },
      };
    },
  };
}

/** GitHub: a user found by public email (search: 30 requests/minute with a token), then their profile. */
export function githubProvider(o: NetworkProviderOptions): EnrichmentProvider {
  const headers = { authorization: `Bearer ${o.key}`, 'x-github-api-version': '2022-11-28' };
  return {
    name: 'github',
    ttlDays: 30,
    rateLimit: o.rate ?? limits(0.5, 5, 30),
    timeoutMs: 10_000,
    canEnrich: (c) => Boolean(c.email),
    async enrich(c, { http }) {
      const found = await http.getJson<{ total_count: number; items: { login: string }[] }>(
        `${o.baseUrl}/search/users?q=${encodeURIComponent(`${c.email} in:email`)}`,
        headers,
      );
      const login = found?.items?.[0]?.login;
      if (!login) return { status: 'not_found' };
      const u = await http.getJson<{
        login: string;
        name: string | null;
        company: string | null;
        blog: string | null;
        location: string | null;
        bio: string | null;
        twitter_username: string | null;
        html_url: string;
        avatar_url: string | null;
      }>(`${o.baseUrl}/users/${encodeURIComponent(login)}`, headers);
      if (!u) return { status: 'not_found' };
      return {
        status: 'ok',
        confidence: 0.85,
        sourceUrl: u.html_url,
        fields: {
          ...(u.name ? { name: u.name } : {}),
          ...(u.company ? { company: u.company.replace(/^@/, '') } : {}),
          ...(u.location ? { location: u.location } : {}),
          ...(u.bio ? { bio: u.bio } : {}),
          ...(u.avatar_url ? { avatarUrl: u.avatar_url } : {}),
          links: {
            github: u.html_url,
            x: u.twitter_username ? `https://x.com/${u.twitter_username}` : null,
            websites: u.blog ? [u.blog] : [],
          },
        },
      };
    },
  };
}

/** X API v2: the user by handle (from signatures or the user), and their recent posts (bearer token). */
export function xProvider(o: NetworkProviderOptions): EnrichmentProvider {
  const headers = { authorization: `Bearer ${o.key}` };
  return {
    name: 'x',
    ttlDays: 1,
    // User lookup: 300 requests / 15 minutes per app.
    rateLimit: o.rate ?? limits(0.33, 5, 20),
    timeoutMs: 10_000,
    canEnrich: (c) => Boolean(handleOf(c.links.x)),
    async enrich(c, { http }): Promise<EnrichmentResult> {
      const handle = handleOf(c.links.x)!;
      const u = await http.getJson<{
        data?: {
          id: string;
          name: string;
          username: string;
          description?: string;
          location?: string;
          profile_image_url?: string;
        };
      }>(
        `${o.baseUrl}/2/users/by/username/${encodeURIComponent(handle)}?user.fields=description,location,profile_image_url`,
        headers,
      );
      if (!u?.data) return { status: 'not_found' };
      const tweets = await http.getJson<{
        data?: { id: string; text: string; created_at?: string }[];
      }>(
        `${o.baseUrl}/2/users/${u.data.id}/tweets?max_results=5&tweet.fields=created_at&exclude=retweets,replies`,
        headers,
      );
      const posts: Post[] = (tweets?.data ?? []).map((t) => ({
        id: t.id,
        text: t.text,
        createdAt: t.created_at ?? null,
        url: `https://x.com/${u.data!.username}/status/${t.id}`,
      }));
      return {
        status: 'ok',
        confidence: 0.9,
        sourceUrl: `https://x.com/${u.data.username}`,
        fields: {
          ...(u.data.description ? { bio: u.data.description } : {}),
          ...(u.data.location ? { location: u.data.location } : {}),
          ...(u.data.profile_image_url ? { avatarUrl: u.data.profile_image_url } : {}),
          links: { x: `https://x.com/${u.data.username}` },
          posts,
        },
      };
    },
  };
}

/** A people-data provider shaped like People Data Labs' v5 person/enrich (API key; 100/minute). */
export function peopleDataProvider(o: NetworkProviderOptions): EnrichmentProvider {
  return {
    name: 'peopledata',
    ttlDays: 90,
    rateLimit: o.rate ?? limits(1.6, 10, 100),
    timeoutMs: 15_000,
    canEnrich: (c) => Boolean(c.email),
    async enrich(c, { http }) {
      const r = await http.getJson<{
        status: number;
        likelihood?: number;
        data?: {
          full_name?: string;
          job_title?: string;
          job_company_name?: string;
          location_name?: string;
          linkedin_url?: string;
          twitter_url?: string;
          github_url?: string;
          mobile_phone?: string;
        };
      }>(`${o.baseUrl}/v5/person/enrich?email=${encodeURIComponent(c.email)}&min_likelihood=6`, {
        'x-api-key': o.key,
      });
      if (!r?.data) return { status: 'not_found' };
      const d = r.data;
      const https = (u?: string) => (u ? (u.startsWith('http') ? u : `https://${u}`) : null);
      const title = d.job_title?.replace(/\b\w/g, (ch) => ch.toUpperCase());
      return {
        status: 'ok',
        confidence: Math.min(0.95, (r.likelihood ?? 6) / 10),
        fields: {
          ...(d.full_name ? { name: d.full_name.replace(/\b\w/g, (ch) => ch.toUpperCase()) } : {}),
          ...(title ? { title } : {}),
          ...(d.job_company_name
            ? { company: d.job_company_name.replace(/\b\w/g, (ch) => ch.toUpperCase()) }
            : {}),
          ...(d.location_name ? { location: d.location_name } : {}),
          ...(d.mobile_phone
            ? { phones: [{ number: d.mobile_phone, type: 'mobile' as const }] }
            : {}),
          links: {
            linkedin: https(d.linkedin_url),
            x: https(d.twitter_url),
            github: https(d.github_url),
          },
        },
      };
    },
  };
}
