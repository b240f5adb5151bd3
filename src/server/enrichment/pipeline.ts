import { sql } from 'drizzle-orm';
import { getEnv, type Env } from '@/env';
import { rowsOf, type DbOrTx } from '@/server/db/client';
import type {
  ContactLinks,
  ContactPhone,
  EditableContactField,
  FieldSource,
} from '@/server/db/schema';
import { notFound } from '@/server/errors/app-error';
import { emit } from '@/server/events/emit';
import { resolveAuthSecret } from '@/server/auth/auth-secret';
import { ProviderHttp, type EnrichmentBudget } from './provider-http';
import { googleContactsProvider } from './providers/google-contacts';
import { localSignaturesProvider } from './providers/local-signatures';
import {
  githubProvider,
  gravatarProvider,
  peopleDataProvider,
  xProvider,
} from './providers/network-providers';
import type {
  ContactToEnrich,
  EnrichedFields,
  EnrichmentProvider,
  EnrichmentResult,
} from './types';

export type SourceOutcome = {
  source: string;
  status: 'ok' | 'not_found' | 'error' | 'cached' | 'skipped';
  error?: string;
};
export type EnrichOutcome = { contactId: string; sources: SourceOutcome[]; updated: string[] };

/** Failed lookups are retried after an hour, not after the provider's whole TTL. */
const ERROR_TTL_HOURS = 1;

const SCALARS = ['name', 'company', 'title', 'location'] as const;

/**
 * The seed's EnrichmentPipeline: providers run in parallel (`Promise.allSettled`, so one failing
 * provider never blocks the others), each paced by its own rate limit with timeouts and
 * retries; results are cached per contact and provider for the provider's TTL; the merge fills
 * what is missing or less certain, never a field the user edited, and records each field's
 * source and evidence.
 */
export class EnrichmentPipeline {
  private readonly http = new Map<string, ProviderHttp>();
  private readonly budget: EnrichmentBudget;
  private readonly share: number;

  /**
   * `budget`: daily requests to the providers, each user's and everyone's; `share`: the part of
   * each provider's rate one user may take (default both from the environment).
   */
  constructor(
    readonly providers: EnrichmentProvider[],
    o: { budget?: EnrichmentBudget; share?: number } = {},
  ) {
    for (const p of providers)
      this.http.set(p.name, new ProviderHttp(p.name, p.rateLimit, { timeoutMs: p.timeoutMs }));
    const env = o.budget && o.share ? null : getEnv();
    this.budget = o.budget ?? {
      perUserPerDay: env!.ENRICH_CALLS_PER_USER_PER_DAY,
      perDay: env!.ENRICH_CALLS_PER_DAY,
    };
    this.share = o.share ?? env!.ENRICH_USER_SHARE;
  }

  httpOf(name: string) {
    return this.http.get(name);
  }

  async enrichContact(
    db: DbOrTx,
    userId: string,
    contactId: string,
    o: { force?: boolean; only?: string[] } = {},
  ): Promise<EnrichOutcome> {
    const first = await this.round(db, userId, contactId, o);
    // A round can find what another provider needs (GitHub names the X handle): one more round
    // for the providers that were skipped for want of it.
    const skipped = first.sources.filter((x) => x.status === 'skipped').map((x) => x.source);
    if (skipped.length === 0 || !first.updated.includes('links')) return first;
    const second = await this.round(db, userId, contactId, { ...o, only: skipped });
    const ran = new Set(second.sources.filter((x) => x.status !== 'skipped').map((x) => x.source));
    return {
      contactId,
      sources: [
        ...first.sources.filter((x) => !ran.has(x.source)),
        ...second.sources.filter((x) => ran.has(x.source)),
      ],
      updated: [...new Set([...first.updated, ...second.updated])],
    };
  }

  private async round(
    db: DbOrTx,
    userId: string,
    contactId: string,
    o: { force?: boolean; only?: string[] },
  ): Promise<EnrichOutcome> {
    const [row] = rowsOf<
      ContactToEnrich & {
        userEditedFields: EditableContactField[];
        fieldSources: Record<string, FieldSource>;
        title: string | null;
        location: string | null;
        avatarUrl: string | null;
        phones: ContactPhone[];
      }
    >(
      await db.execute(sql`
        SELECT c.id, c.user_id AS "userId", lower(c.email) AS email, c.name, c.company, c.title, c.location,
               c.avatar_url AS "avatarUrl", c.phones, c.links, c.user_edited_fields AS "userEditedFields",
               c.field_sources AS "fieldSources",
               coalesce((SELECT array_agg(lower(e.email)) FROM contact_emails e WHERE e.contact_id = c.id AND e.user_id = ${userId}), ARRAY[lower(c.email)]) AS addresses
          FROM contacts c WHERE c.id = ${contactId} AND c.user_id = ${userId}`),
    );
    if (!row) throw notFound('Contact');
    const providers = this.providers.filter((p) => !o.only || o.only.includes(p.name));
    const cached = new Map(
      rowsOf<{ source: string; status: string; data: Record<string, unknown> }>(
        await db.execute(sql`
          SELECT source, status, data FROM enrichments
           WHERE contact_id = ${contactId} AND user_id = ${userId} AND expires_at > now()`),
      ).map((r) => [r.source, r]),
    );
    const outcomes: SourceOutcome[] = [];
    const fresh: { p: EnrichmentProvider; result: Promise<EnrichmentResult> }[] = [];
    for (const p of providers) {
      if (!p.canEnrich(row)) outcomes.push({ source: p.name, status: 'skipped' });
      else if (!o.force && cached.has(p.name)) outcomes.push({ source: p.name, status: 'cached' });
      else
        fresh.push({
          p,
          result: withTimeout(
            p.enrich(row, {
              db,
              http: this.http.get(p.name)!.forUser({
                db,
                userId,
                share: this.share,
                budget: this.budget,
              }),
            }),
            p.timeoutMs * 4,
            p.name,
          ),
        });
    }
    const settled = await Promise.allSettled(fresh.map((f) => f.result));
    const found: { source: string; result: Extract<EnrichmentResult, { status: 'ok' }> }[] = [];
    for (const [i, s] of settled.entries()) {
      const p = fresh[i]!.p;
      if (s.status === 'fulfilled') {
        outcomes.push({ source: p.name, status: s.value.status });
        await saveResult(db, userId, contactId, p, s.value);
        if (s.value.status === 'ok') found.push({ source: p.name, result: s.value });
      } else {
        const error = (s.reason as Error)?.message ?? String(s.reason);
        outcomes.push({ source: p.name, status: 'error', error });
        await db.execute(sql`
          INSERT INTO enrichments (user_id, contact_id, source, status, data, error, fetched_at, expires_at)
          VALUES (${userId}, ${contactId}, ${p.name}, 'error', '{}'::jsonb, ${error.slice(0, 500)}, now(), now() + make_interval(hours => ${ERROR_TTL_HOURS}))
          ON CONFLICT (contact_id, source) DO UPDATE SET status = 'error', error = EXCLUDED.error,
            fetched_at = now(), expires_at = EXCLUDED.expires_at`);
      }
    }
    // Cached results take part in the merge too (the contact may have changed since).
    for (const [source, c] of cached) {
      if (c.status !== 'ok' || found.some((f) => f.source === source)) continue;
      const { confidence, sourceUrl, ...fields } = c.data as EnrichedFields & {
        confidence?: number;
        sourceUrl?: string;
      };
      found.push({
        source,
        result: { status: 'ok', fields, confidence: confidence ?? 0.5, sourceUrl },
      });
    }
    const updated = await mergeInto(db, row, found);
    const sources = outcomes.filter((x) => x.status === 'ok').map((x) => x.source);
    if (sources.length || updated.length)
      await emit(
        db,
        { type: 'contact.enriched', payload: { contactId, sources } },
        { userId, source: 'enrichment' },
      );
    return { contactId, sources: outcomes, updated };
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, name: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${name} timed out after ${ms} ms`)), ms);
    }),
  ]);
}

async function saveResult(
  db: DbOrTx,
  userId: string,
  contactId: string,
  p: EnrichmentProvider,
  r: EnrichmentResult,
) {
  const data =
    r.status === 'ok'
      ? {
          ...r.fields,
          confidence: r.confidence,
          ...(r.sourceUrl ? { sourceUrl: r.sourceUrl } : {}),
        }
      : {};
  await db.execute(sql`
    INSERT INTO enrichments (user_id, contact_id, source, status, data, error, fetched_at, expires_at)
    VALUES (${userId}, ${contactId}, ${p.name}, ${r.status}, ${JSON.stringify(data)}::jsonb, NULL, now(),
            now() + make_interval(days => ${p.ttlDays}))
    ON CONFLICT (contact_id, source) DO UPDATE SET status = EXCLUDED.status, data = EXCLUDED.data, error = NULL,
      fetched_at = now(), expires_at = EXCLUDED.expires_at`);
}

type Current = {
  id: string;
  name: string | null;
  company: string | null;
  title: string | null;
  location: string | null;
  avatarUrl: string | null;
  phones: ContactPhone[];
  links: ContactLinks;
  userEditedFields: EditableContactField[];
  fieldSources: Record<string, FieldSource>;
};

/**
 * Merges results into the contact: the most confident source first; a field is filled when
 * empty or held with less confidence, never when the user edited it. Phones and links are
 * added to, not replaced.
 */
async function mergeInto(
  db: DbOrTx,
  c: Current,
  found: { source: string; result: Extract<EnrichmentResult, { status: 'ok' }> }[],
) {
  const edited = new Set<string>(c.userEditedFields);
  const sources = { ...c.fieldSources };
  const next: Record<string, unknown> = {};
  const at = new Date().toISOString();
  const mark = (field: string, source: string, confidence: number, evidence?: string) => {
    sources[field] = {
      source: `enrichment:${source}`,
      confidence,
      at,
      ...(evidence ? { evidence } : {}),
    };
  };
  for (const { source, result } of [...found].sort(
    (a, b) => b.result.confidence - a.result.confidence,
  )) {
    const f = result.fields;
    for (const key of SCALARS) {
      const value = f[key]?.trim();
      if (!value || edited.has(key) || key in next) continue;
      const current = c[key];
      const heldBy = sources[key]?.source ?? '';
      const held = sources[key]?.confidence ?? (current ? 0.6 : 0);
      // What the person writes in their own mail outranks third-party profiles: those fill
      // blanks and weak guesses (a company named from a domain); a newer signature wins.
      const newerSignature =
        source === 'signatures' && (heldBy === 'signature' || heldBy === 'enrichment:signatures');
      if (
        !current ||
        (value !== current && (newerSignature || (held < 0.7 && result.confidence > held)))
      ) {
        next[key] = value;
        mark(key, source, result.confidence, result.sourceUrl);
      }
    }
    if (f.avatarUrl && !c.avatarUrl && !('avatarUrl' in next)) next.avatarUrl = f.avatarUrl;
    if (f.phones?.length && !edited.has('phones')) {
      const phones = (next.phones as ContactPhone[] | undefined) ?? [...c.phones];
      const have = new Set(phones.map((p) => p.number.replace(/\D/g, '')));
      const added = f.phones.filter((p) => !have.has(p.number.replace(/\D/g, '')));
      if (added.length) {
        next.phones = [...phones, ...added];
        if (!sources.phones) mark('phones', source, result.confidence, result.sourceUrl);
      }
    }
    if (f.links && !edited.has('links')) {
      const links: ContactLinks = { ...((next.links as ContactLinks | undefined) ?? c.links) };
      let changed = false;
      for (const k of ['linkedin', 'x', 'github'] as const) {
        if (f.links[k] && !links[k]) {
          links[k] = f.links[k];
          changed = true;
        }
      }
      const sites = new Set(links.websites ?? []);
      for (const w of f.links.websites ?? []) {
        if (sites.has(w)) continue;
        sites.add(w);
        changed = true;
      }
      if (changed) {
        next.links = { ...links, websites: [...sites] };
        mark('links', source, result.confidence, result.sourceUrl);
      }
    }
  }
  const updated = Object.keys(next);
  if (updated.length === 0) return [];
  await db.execute(sql`
    UPDATE contacts SET
      name = ${'name' in next ? (next.name as string) : c.name},
      company = ${'company' in next ? (next.company as string) : c.company},
      title = ${'title' in next ? (next.title as string) : c.title},
      location = ${'location' in next ? (next.location as string) : c.location},
      avatar_url = ${'avatarUrl' in next ? (next.avatarUrl as string) : c.avatarUrl},
      phones = ${JSON.stringify('phones' in next ? next.phones : c.phones)}::jsonb,
      links = ${JSON.stringify('links' in next ? next.links : c.links)}::jsonb,
      field_sources = ${JSON.stringify(sources)}::jsonb,
      updated_at = now()
     WHERE id = ${c.id}`);
  return updated;
}

/** The providers this deployment has keys for (local ones always), with their base URLs. */
export function providersFromEnv(env: Env = getEnv()): EnrichmentProvider[] {
  const out: EnrichmentProvider[] = [localSignaturesProvider];
  if (env.GRAVATAR_API_KEY)
    out.push(gravatarProvider({ baseUrl: env.GRAVATAR_API_URL, key: env.GRAVATAR_API_KEY }));
  if (env.GITHUB_TOKEN)
    out.push(githubProvider({ baseUrl: env.GITHUB_API_URL, key: env.GITHUB_TOKEN }));
  if (env.X_BEARER_TOKEN) out.push(xProvider({ baseUrl: env.X_API_URL, key: env.X_BEARER_TOKEN }));
  if (env.PDL_API_KEY)
    out.push(peopleDataProvider({ baseUrl: env.PDL_API_URL, key: env.PDL_API_KEY }));
  if (env.GOOGLE_CLIENT_ID && env.GOOGLE_CLIENT_SECRET)
    out.push(
      googleContactsProvider({
        baseUrl: env.PEOPLE_API_URL,
        oauth: {
          tokenUrl: env.GOOGLE_TOKEN_URL,
          clientId: env.GOOGLE_CLIENT_ID,
          clientSecret: env.GOOGLE_CLIENT_SECRET,
          secret: resolveAuthSecret(env),
        },
      }),
    );
  return out;
}

const KEY = Symbol.for('rapport.enrichment');
/** One pipeline per process, so each provider's rate limit is shared by all its requests here. */
export function getPipeline(): EnrichmentPipeline {
  const g = globalThis as { [KEY]?: EnrichmentPipeline };
  g[KEY] ??= new EnrichmentPipeline(providersFromEnv());
  return g[KEY];
}
