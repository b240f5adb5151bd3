import type { Db, DbOrTx } from '@/server/db/client';
import { QuotaGovernor, type QuotaLimits } from '@/server/mail/gmail/quota-governor';
import { hitRateLimit } from '@/server/rate-limit/api-rate-limiter';

export class ProviderError extends Error {
  constructor(
    message: string,
    readonly transient: boolean,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ProviderError';
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * HTTP for one enrichment provider: paced by its rate limit (shared by every request to it in
 * this process), with a timeout, retries with backoff on transient failures, and on a 429 a
 * pause until the provider's reset time (Retry-After, X-RateLimit-Reset, x-rate-limit-reset)
 * for everyone, not a storm of retries.
 */
export class ProviderHttp {
  readonly governor: QuotaGovernor | null;
  requests = 0;
  rateLimited = 0;

  constructor(
    readonly provider: string,
    private readonly limits: QuotaLimits | null,
    private readonly o: { timeoutMs: number; maxAttempts?: number } = { timeoutMs: 10_000 },
  ) {
    this.governor = limits ? new QuotaGovernor(limits) : null;
  }

  /** Each user's pacer: a share of the provider's limits (forUser). */
  private readonly users = new Map<string, QuotaGovernor>();

  /**
   * The provider as one user's requests see it: each spends the user's and everyone's daily
   * budget, and waits for the user's share of the provider's rate before the shared pacer. The
   * shared pacer is first come, first served: without the share, one user's thousand queued
   * requests (`enrich --all --force`) would hold everyone else's behind them.
   */
  forUser(o: { db: DbOrTx; userId: string; share: number; budget: EnrichmentBudget }): UserHttp {
    let mine = this.users.get(o.userId);
    if (!mine && this.limits) {
      const l = this.limits;
      mine = new QuotaGovernor({
        unitsPerSecond: l.unitsPerSecond * o.share,
        burst: Math.max(1, Math.floor(l.burst * o.share)),
        unitsPerMinute: Math.max(1, Math.floor(l.unitsPerMinute * o.share)),
      });
      // Idle users' pacers are forgotten (a full one is as good as a new one).
      if (this.users.size >= 10_000) this.users.clear();
      this.users.set(o.userId, mine);
    }
    return {
      getJson: async <T>(url: string, headers: Record<string, string> = {}) => {
        await spendEnrichment(o.db, o.userId, o.budget);
        await mine?.take(1);
        return this.getJson<T>(url, headers);
      },
    };
  }

  /** JSON of a GET, or null on 404. */
  async getJson<T>(url: string, headers: Record<string, string> = {}): Promise<T | null> {
    const attempts = this.o.maxAttempts ?? 4;
    let last = '';
    let rateLimitedTries = 0;
    for (let attempt = 0; attempt < attempts; attempt++) {
      await this.governor?.take(1);
      this.requests++;
      let res: Response;
      try {
        res = await fetch(url, {
          headers: { accept: 'application/json', ...headers },
          signal: AbortSignal.timeout(this.o.timeoutMs),
        });
      } catch (err) {
        last = (err as Error).message;
        await sleep(Math.random() * 250 * 2 ** attempt);
        continue;
      }
      if (res.ok || res.status === 404) this.governor?.recover();
      if (res.ok) return (await res.json()) as T;
      if (res.status === 404) return null;
      last = `${res.status} ${await res.text().catch(() => '')}`.slice(0, 200);
      if (res.status === 429) {
        this.rateLimited++;
        const wait = resetWait(res.headers) ?? 1000 * 2 ** attempt;
        this.governor?.backOff(wait);
        if (!this.governor) await sleep(wait);
        rateLimitedTries++;
        if (rateLimitedTries < 10) attempt--; // waiting out a limit is not a failed attempt
        continue;
      }
      if (res.status >= 500) {
        await sleep(Math.random() * 250 * 2 ** attempt);
        continue;
      }
      throw new ProviderError(`${this.provider} answered ${last}`, false, res.status);
    }
    throw new ProviderError(`${this.provider} kept failing (${last})`, true);
  }
}

/** Daily budgets of requests to the providers: each user's, and everyone's (0: no limit). */
export type EnrichmentBudget = { perUserPerDay: number; perDay: number };

/** What a provider's requests for one user go through (providers see only `getJson`). */
export type UserHttp = Pick<ProviderHttp, 'getJson'>;

const DAY = 86_400;

async function spendEnrichment(db: DbOrTx, userId: string, budget: EnrichmentBudget) {
  // Counted outside any transaction the caller is in, like the API's limits.
  const counter = db as Db;
  const spent = (what: string) =>
    new ProviderError(`the daily enrichment budget is spent (${what}); it renews in a day`, false);
  if (budget.perUserPerDay > 0) {
    const mine = await hitRateLimit(counter, `enrich-user:${userId}`, {
      limit: budget.perUserPerDay,
      windowSeconds: DAY,
    });
    if (!mine.allowed) throw spent(`${budget.perUserPerDay} requests a day each`);
  }
  if (budget.perDay > 0) {
    const all = await hitRateLimit(counter, 'enrich-all', {
      limit: budget.perDay,
      windowSeconds: DAY,
    });
    if (!all.allowed) throw spent(`${budget.perDay} requests a day for everyone`);
  }
}

/** Milliseconds until a rate limit resets, from the headers providers use. */
export function resetWait(h: Headers): number | null {
  const retryAfter = h.get('retry-after');
  if (retryAfter) {
    const s = Number(retryAfter);
    if (Number.isFinite(s)) return Math.max(0, s * 1000);
    const at = Date.parse(retryAfter);
    if (Number.isFinite(at)) return Math.max(0, at - Date.now());
  }
  const reset = h.get('x-ratelimit-reset') ?? h.get('x-rate-limit-reset');
  if (reset) {
    const n = Number(reset);
    // Epoch seconds (GitHub, X) or seconds from now (small numbers).
    if (Number.isFinite(n)) return Math.max(0, n > 1e9 ? n * 1000 - Date.now() : n * 1000);
  }
  return null;
}
