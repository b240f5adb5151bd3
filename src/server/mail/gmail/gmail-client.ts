import { GmailError } from './gmail-errors';
import type { QuotaGovernor } from './quota-governor';

/** Quota units per method (Gmail API documentation). */
export const GMAIL_COST = {
  'users.getProfile': 1,
  'labels.list': 1,
  'messages.list': 5,
  'messages.get': 5,
  'messages.attachments.get': 5,
  'threads.get': 10,
  'history.list': 2,
  'users.watch': 100,
  'users.stop': 50,
  'settings.sendAs.list': 1,
} as const;
export type GmailMethod = keyof typeof GMAIL_COST;

/** Where an access token comes from, and how a rejected one is replaced. */
export type TokenSource = {
  accessToken(): Promise<string>;
  /** Called after a 401: a fresh token, or a GmailError('auth') when the grant is gone. */
  refresh(): Promise<string>;
};

export type GmailClientOptions = {
  /** `https://gmail.googleapis.com` in production; the fake's URL in tests. */
  baseUrl: string;
  tokens: TokenSource;
  governor: QuotaGovernor;
  /** Attempts per request for temporary failures (429, 5xx, 403 rate limits, dropped connections). */
  maxAttempts?: number;
  timeoutMs?: number;
  /** Base of the exponential backoff (full jitter), in ms. */
  backoffMs?: number;
  /** Told of each HTTP answer (figures, logs). */
  onResponse?: (method: GmailMethod, status: number) => void;
};

export type GmailMessageRef = { id: string; threadId: string };
export type GmailRawMessage = {
  id: string;
  threadId: string;
  labelIds?: string[];
  historyId: string;
  internalDate: string;
  sizeEstimate?: number;
  snippet?: string;
  raw: string;
};
export type GmailHistoryRecord = {
  id: string;
  messagesAdded?: { message: GmailMessageRef & { labelIds?: string[] } }[];
  messagesDeleted?: { message: GmailMessageRef }[];
  labelsAdded?: { message: GmailMessageRef & { labelIds?: string[] }; labelIds: string[] }[];
  labelsRemoved?: { message: GmailMessageRef & { labelIds?: string[] }; labelIds: string[] }[];
};

const RATE_REASONS = new Set(['rateLimitExceeded', 'userRateLimitExceeded', 'quotaExceeded']);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type GoogleErrorBody = {
  error?: { message?: string; errors?: { reason?: string }[]; status?: string };
};

/**
 * The Gmail REST API (the subset Rapport reads), paced by the user's quota governor, retrying
 * temporary failures with exponential backoff and jitter (honouring Retry-After), refreshing
 * the access token once on a 401, and classifying every failure (see gmail-errors.ts).
 */
export class GmailClient {
  private readonly maxAttempts: number;
  private readonly timeoutMs: number;
  private readonly backoffMs: number;

  constructor(private readonly o: GmailClientOptions) {
    this.maxAttempts = o.maxAttempts ?? 7;
    this.timeoutMs = o.timeoutMs ?? 30_000;
    this.backoffMs = o.backoffMs ?? 500;
  }

  private async call<T>(
    method: GmailMethod,
    path: string,
    query: Record<string, string | string[] | number | boolean | undefined> = {},
    init: { method?: string; body?: unknown } = {},
  ): Promise<T | null> {
    const url = new URL(`/gmail/v1/users/me${path}`, this.o.baseUrl);
    for (const [k, v] of Object.entries(query)) {
      if (v === undefined) continue;
      for (const item of Array.isArray(v) ? v : [v]) url.searchParams.append(k, String(item));
    }
    let refreshed = false;
    let lastError = '';
    for (let attempt = 0; attempt < this.maxAttempts; attempt++) {
      await this.o.governor.take(GMAIL_COST[method]);
      let res: Response;
      try {
        res = await fetch(url, {
          method: init.method ?? 'GET',
          headers: {
            authorization: `Bearer ${await this.o.tokens.accessToken()}`,
            ...(init.body ? { 'content-type': 'application/json' } : {}),
          },
          body: init.body ? JSON.stringify(init.body) : undefined,
          signal: AbortSignal.timeout(this.timeoutMs),
        });
      } catch (err) {
        if (err instanceof GmailError) throw err;
        // Dropped connections, resets and timeouts are temporary.
        lastError = `${(err as Error).message}${(err as { cause?: { code?: string } }).cause?.code ? ` (${(err as { cause: { code: string } }).cause.code})` : ''}`;
        await sleep(this.delay(attempt, null));
        continue;
      }
      this.o.onResponse?.(method, res.status);
      if (res.ok) return res.status === 204 ? null : ((await res.json()) as T);
      const body = (await res.json().catch(() => ({}))) as GoogleErrorBody;
      const reason = body.error?.errors?.[0]?.reason ?? '';
      const message = body.error?.message ?? `HTTP ${res.status}`;
      lastError = `${res.status} ${reason || body.error?.status || ''}: ${message}`.trim();
      if (res.status === 401) {
        if (refreshed)
          throw new GmailError(
            `Google rejected the account's credentials: ${message}`,
            'auth',
            401,
          );
        refreshed = true;
        await this.o.tokens.refresh();
        attempt--; // a refresh is not a failed attempt
        continue;
      }
      if (res.status === 404) {
        if (method === 'history.list')
          throw new GmailError(
            'The stored historyId is too old for Gmail: a full resync is needed',
            'cursor',
            404,
          );
        return null;
      }
      if (res.status === 403 && !RATE_REASONS.has(reason)) {
        throw new GmailError(
          reason === 'insufficientPermissions'
            ? 'The Google grant does not include Gmail read access'
            : `Gmail refused: ${message}`,
          reason === 'insufficientPermissions' ? 'permission' : 'auth',
          403,
        );
      }
      if (res.status === 429 || res.status === 403 || res.status >= 500) {
        const wait = this.delay(attempt, res.headers.get('retry-after'));
        if (res.status !== 500 && res.status !== 502 && res.status !== 503 && res.status !== 504)
          this.o.governor.pause(wait);
        await sleep(wait);
        continue;
      }
      throw new GmailError(`Gmail answered ${lastError}`, 'temporary', res.status);
    }
    throw new GmailError(
      `Gmail kept failing after ${this.maxAttempts} attempts (${lastError})`,
      'temporary',
    );
  }

  /** Exponential backoff with full jitter, never shorter than Retry-After. */
  private delay(attempt: number, retryAfter: string | null) {
    const backoff = Math.random() * Math.min(32_000, this.backoffMs * 2 ** attempt);
    const seconds = retryAfter ? Number(retryAfter) : NaN;
    const after = Number.isFinite(seconds)
      ? seconds * 1000
      : retryAfter
        ? Math.max(0, Date.parse(retryAfter) - Date.now())
        : 0;
    return Math.max(backoff, after || 0, 50);
  }

  getProfile() {
    return this.call<{
      emailAddress: string;
      messagesTotal: number;
      threadsTotal: number;
      historyId: string;
    }>('users.getProfile', '/profile').then((r) => r!);
  }

  listLabels() {
    return this.call<{ labels: { id: string; name: string; type: string }[] }>(
      'labels.list',
      '/labels',
    ).then((r) => r?.labels ?? []);
  }

  /** One page of message ids, newest first. `q` takes Gmail search syntax (`-category:promotions`). */
  listMessages(o: {
    pageToken?: string;
    maxResults?: number;
    q?: string;
    labelIds?: string[];
    includeSpamTrash?: boolean;
  }) {
    return this.call<{
      messages?: GmailMessageRef[];
      nextPageToken?: string;
      resultSizeEstimate?: number;
    }>('messages.list', '/messages', {
      pageToken: o.pageToken,
      maxResults: o.maxResults ?? 100,
      q: o.q,
      labelIds: o.labelIds,
      includeSpamTrash: o.includeSpamTrash,
    }).then((r) => r ?? {});
  }

  /** The whole message as RFC 822 (format=raw), or null when it is gone. */
  getRawMessage(id: string) {
    return this.call<GmailRawMessage>('messages.get', `/messages/${encodeURIComponent(id)}`, {
      format: 'raw',
    });
  }

  getThread(id: string, format: 'full' | 'metadata' | 'minimal' = 'metadata') {
    return this.call<{ id: string; historyId: string; messages: unknown[] }>(
      'threads.get',
      `/threads/${encodeURIComponent(id)}`,
      { format },
    );
  }

  /** An attachment's bytes, fetched on demand (never stored in the database). */
  async getAttachment(messageId: string, attachmentId: string) {
    const r = await this.call<{ size: number; data: string }>(
      'messages.attachments.get',
      `/messages/${encodeURIComponent(messageId)}/attachments/${encodeURIComponent(attachmentId)}`,
    );
    return r ? Buffer.from(r.data, 'base64url') : null;
  }

  listHistory(o: {
    startHistoryId: string;
    pageToken?: string;
    maxResults?: number;
    historyTypes?: string[];
  }) {
    return this.call<{ history?: GmailHistoryRecord[]; nextPageToken?: string; historyId: string }>(
      'history.list',
      '/history',
      {
        startHistoryId: o.startHistoryId,
        pageToken: o.pageToken,
        maxResults: o.maxResults ?? 500,
        historyTypes: o.historyTypes,
      },
    ).then((r) => r!);
  }

  /** The addresses the user sends as (Gmail "send mail as"): all of them are the owner. */
  async listSendAs() {
    const r = await this.call<{ sendAs?: { sendAsEmail: string; verificationStatus?: string }[] }>(
      'settings.sendAs.list',
      '/settings/sendAs',
    );
    return (r?.sendAs ?? [])
      .filter((a) => !a.verificationStatus || a.verificationStatus === 'accepted')
      .map((a) => a.sendAsEmail.toLowerCase());
  }

  watch(topicName: string, labelIds?: string[]) {
    return this.call<{ historyId: string; expiration: string }>(
      'users.watch',
      '/watch',
      {},
      { method: 'POST', body: { topicName, labelIds } },
    ).then((r) => r!);
  }

  stop() {
    return this.call<null>('users.stop', '/stop', {}, { method: 'POST', body: {} });
  }
}
