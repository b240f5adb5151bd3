import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local server that behaves like Google for Rapport: the OAuth endpoints (authorize, token,
 * userinfo) and the Gmail REST API subset Rapport uses, in Gmail's JSON shapes, with Gmail's
 * per-user quota (a token bucket refilling 250 units/s with a burst of 250, and 15,000 units a
 * minute) and Google's error bodies. Switches inject latency, errors, dropped connections,
 * slow answers, expired history and revoked grants.
 */

export const GMAIL_READONLY = 'https://www.googleapis.com/auth/gmail.readonly';

/** Quota units per method, from Gmail's documentation. */
export const QUOTA_COST: Record<string, number> = {
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
};

export type FakeMessageSpec = {
  /** A whole RFC 822 message; its headers feed the JSON payload. */
  raw: string;
  labelIds?: string[];
  threadId?: string;
  /** Attachment bodies served by messages.attachments.get. */
  attachments?: { filename: string; mimeType: string; data: Buffer }[];
};

type StoredMessage = {
  id: string;
  threadId: string;
  labelIds: string[];
  raw: string;
  internalDate: number;
  historyId: number;
  attachments: { id: string; filename: string; mimeType: string; data: Buffer }[];
};

type HistoryRecord = {
  id: number;
  kind: 'messagesAdded' | 'messagesDeleted' | 'labelsAdded' | 'labelsRemoved';
  messageId: string;
  threadId: string;
  labelIds: string[];
  changed?: string[];
};

type Mailbox = {
  email: string;
  messages: Map<string, StoredMessage>;
  history: HistoryRecord[];
  historyId: number;
  /** history.list answers 404 for a startHistoryId older than this. */
  oldestHistoryId: number;
  bucket: { tokens: number; at: number };
  minute: { start: number; units: number };
  watch: { topicName: string; expiration: number } | null;
  /** Send-as addresses besides the primary one. */
  aliases: string[];
};

type Grant = { email: string; scopes: string[]; refreshToken: string; revoked: boolean };

export type FakeGmailSwitches = {
  /** Added to every API response. */
  latencyMs: number;
  /** Share of API requests answered with an injected 500/503/429/403-rate-limit. */
  errorRate: number;
  /** Share of API requests whose connection is dropped without an answer. */
  dropRate: number;
  /** Share of API requests answered normally but only after `slowMs` (a slow backend). */
  slowRate: number;
  slowMs: number;
  /** Enforce Gmail's per-user quota (default on). */
  enforceQuota: boolean;
};

export type FakeGmailStats = {
  requests: number;
  http429: number;
  injectedErrors: number;
  /** Injected errors by HTTP status (500, 503, 429, 403). */
  injectedByStatus: Record<number, number>;
  dropped: number;
  slowed: number;
  units: number;
  byMethod: Record<string, number>;
  /** Grants ended through the revocation endpoint. */
  revoked: number;
};

/** A People API person, as Google returns it. */
export type FakePerson = {
  resourceName: string;
  names?: { displayName: string }[];
  emailAddresses?: { value: string }[];
  phoneNumbers?: { value: string; canonicalForm?: string; type?: string }[];
  organizations?: { name?: string; title?: string }[];
  urls?: { value: string; type?: string }[];
};

export type FakeGmail = {
  url: string;
  clientId: string;
  clientSecret: string;
  /** The app's Google settings (client and every endpoint) pointing at this fake. */
  googleEnv: Record<string, string>;
  switches: FakeGmailSwitches;
  stats: FakeGmailStats;
  /** Creates a mailbox and a grant; returns tokens as the token endpoint would. */
  addUser(
    email: string,
    options?: { scopes?: string[]; aliases?: string[] },
  ): { accessToken: string; refreshToken: string; expiresIn: number };
  /** Who the next authorize request signs in as (the consent screen's choice). */
  nextConsent(email: string, options?: { scopes?: string[]; name?: string }): void;
  addMessages(email: string, specs: FakeMessageSpec[]): string[];
  deleteMessage(email: string, id: string): void;
  modifyLabels(email: string, id: string, add: string[], remove: string[]): void;
  /** Forgets history before now: older historyIds get 404, as after about a week in Gmail. */
  expireHistory(email: string): void;
  revoke(email: string): void;
  /** Makes every current access token of a user expire now. */
  expireAccessTokens(email: string): void;
  /** Every access and refresh token this Google has issued (to look for where they must not be). */
  issuedTokens(): string[];
  messageIds(email: string): string[];
  currentHistoryId(email: string): number;
  watchOf(email: string): { topicName: string; expiration: number } | null;
  /** The user's Google Contacts (People API connections and "other contacts"). */
  setContacts(email: string, c: { connections?: FakePerson[]; other?: FakePerson[] }): void;
  close(): Promise<void>;
};

const b64url = (s: string | Buffer) => Buffer.from(s).toString('base64url');

function googleError(code: number, message: string, reason: string, status: string) {
  return { error: { code, message, errors: [{ message, domain: 'global', reason }], status } };
}

/** The headers of a raw message (unfolded), for the JSON payload. */
function headersOf(raw: string) {
  const head = raw.split(/\r?\n\r?\n/, 1)[0] ?? '';
  const out: { name: string; value: string }[] = [];
  for (const line of head.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && out.length) out[out.length - 1]!.value += ` ${line.trim()}`;
    else {
      const i = line.indexOf(':');
      if (i > 0) out.push({ name: line.slice(0, i), value: line.slice(i + 1).trim() });
    }
  }
  return out;
}

function bodyOf(raw: string) {
  const i = raw.search(/\r?\n\r?\n/);
  return i < 0 ? '' : raw.slice(i).replace(/^\r?\n\r?\n/, '');
}

function payloadOf(m: StoredMessage, format: string) {
  const headers = headersOf(m.raw);
  const contentType =
    headers.find((h) => h.name.toLowerCase() === 'content-type')?.value ?? 'text/plain';
  if (format === 'metadata')
    return { partId: '', mimeType: contentType.split(';')[0], filename: '', headers };
  const text = bodyOf(m.raw);
  const parts = [
    {
      partId: '0',
      mimeType: contentType.split(';')[0],
      filename: '',
      headers: [{ name: 'Content-Type', value: contentType }],
      body: { size: Buffer.byteLength(text), data: b64url(text) },
    },
    ...m.attachments.map((a, i) => ({
      partId: String(i + 1),
      mimeType: a.mimeType,
      filename: a.filename,
      headers: [{ name: 'Content-Disposition', value: `attachment; filename="${a.filename}"` }],
      body: { size: a.data.length, attachmentId: a.id },
    })),
  ];
  return m.attachments.length
    ? { partId: '', mimeType: 'multipart/mixed', filename: '', headers, body: { size: 0 }, parts }
    : { ...parts[0]!, partId: '', headers };
}

function messageJson(m: StoredMessage, format: string) {
  const base = {
    id: m.id,
    threadId: m.threadId,
    labelIds: m.labelIds,
    snippet: bodyOf(m.raw).replace(/\s+/g, ' ').slice(0, 120),
    historyId: String(m.historyId),
    internalDate: String(m.internalDate),
    sizeEstimate: Buffer.byteLength(m.raw),
  };
  if (format === 'minimal') return base;
  if (format === 'raw') return { ...base, raw: b64url(m.raw) };
  return { ...base, payload: payloadOf(m, format) };
}

/** The API method a path names, for quota and stats. */
function methodOf(method: string, path: string): string | null {
  const p = path.replace(/^\/gmail\/v1\/users\/[^/]+/, '');
  if (method === 'GET' && p === '/profile') return 'users.getProfile';
  if (method === 'GET' && p === '/labels') return 'labels.list';
  if (method === 'GET' && p === '/messages') return 'messages.list';
  if (method === 'GET' && /^\/messages\/[^/]+\/attachments\/[^/]+$/.test(p))
    return 'messages.attachments.get';
  if (method === 'GET' && /^\/messages\/[^/]+$/.test(p)) return 'messages.get';
  if (method === 'GET' && /^\/threads\/[^/]+$/.test(p)) return 'threads.get';
  if (method === 'GET' && p === '/history') return 'history.list';
  if (method === 'POST' && p === '/watch') return 'users.watch';
  if (method === 'POST' && p === '/stop') return 'users.stop';
  if (method === 'GET' && p === '/settings/sendAs') return 'settings.sendAs.list';
  return null;
}

const SYSTEM_LABELS = [
  'INBOX',
  'SENT',
  'DRAFT',
  'SPAM',
  'TRASH',
  'UNREAD',
  'IMPORTANT',
  'STARRED',
  'CATEGORY_PERSONAL',
  'CATEGORY_SOCIAL',
  'CATEGORY_PROMOTIONS',
  'CATEGORY_UPDATES',
  'CATEGORY_FORUMS',
];

export async function startFakeGmail(
  options: Partial<FakeGmailSwitches> & { seed?: number } = {},
): Promise<FakeGmail> {
  const clientId = 'fake-client-id.apps.googleusercontent.com';
  const clientSecret = 'fake-client-secret';
  const switches: FakeGmailSwitches = {
    latencyMs: options.latencyMs ?? 0,
    errorRate: options.errorRate ?? 0,
    dropRate: options.dropRate ?? 0,
    slowRate: options.slowRate ?? 0,
    slowMs: options.slowMs ?? 3000,
    enforceQuota: options.enforceQuota ?? true,
  };
  const stats: FakeGmailStats = {
    requests: 0,
    http429: 0,
    injectedErrors: 0,
    injectedByStatus: {},
    dropped: 0,
    slowed: 0,
    units: 0,
    byMethod: {},
    revoked: 0,
  };
  const mailboxes = new Map<string, Mailbox>();
  const grants = new Map<string, Grant>(); // by refresh token
  const accessTokens = new Map<string, { email: string; scopes: string[]; expiresAt: number }>();
  const codes = new Map<
    string,
    { email: string; scopes: string[]; name: string; redirectUri: string; challenge?: string }
  >();
  let consent: { email: string; scopes?: string[]; name?: string } | null = null;
  let seq = 0;
  // A seeded generator, so runs with injected failures are reproducible.
  let state = options.seed ?? 12345;
  const random = () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
  const token = (prefix: string) => `${prefix}.${crypto.randomBytes(12).toString('hex')}`;

  const mailbox = (email: string) => {
    let m = mailboxes.get(email);
    if (!m) {
      m = {
        email,
        messages: new Map(),
        history: [],
        historyId: 1000,
        oldestHistoryId: 1000,
        bucket: { tokens: 250, at: Date.now() },
        minute: { start: Date.now(), units: 0 },
        watch: null,
        aliases: [],
      };
      mailboxes.set(email, m);
    }
    return m;
  };

  const issueAccess = (email: string, scopes: string[]) => {
    const t = token('ya29');
    accessTokens.set(t, { email, scopes, expiresAt: Date.now() + 3600_000 });
    return t;
  };

  function grant(email: string, scopes: string[]) {
    mailbox(email);
    const refreshToken = token('1//refresh');
    grants.set(refreshToken, { email, scopes, refreshToken, revoked: false });
    return { accessToken: issueAccess(email, scopes), refreshToken, expiresIn: 3599 };
  }

  /** Gmail's per-user quota: a 250-unit bucket refilling 250/s, and 15,000 units a minute. */
  function charge(box: Mailbox, units: number): boolean {
    const now = Date.now();
    box.bucket.tokens = Math.min(250, box.bucket.tokens + ((now - box.bucket.at) / 1000) * 250);
    box.bucket.at = now;
    if (now - box.minute.start >= 60_000) box.minute = { start: now, units: 0 };
    if (!switches.enforceQuota) return true;
    if (box.bucket.tokens < units || box.minute.units + units > 15_000) return false;
    box.bucket.tokens -= units;
    box.minute.units += units;
    return true;
  }

  function record(box: Mailbox, r: Omit<HistoryRecord, 'id'>) {
    box.historyId += 1;
    box.history.push({ ...r, id: box.historyId });
    return box.historyId;
  }

  const send = (
    res: http.ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...headers });
    res.end(JSON.stringify(body));
  };

  async function readBody(req: http.IncomingMessage) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }

  async function handleOAuth(req: http.IncomingMessage, res: http.ServerResponse, url: URL) {
    if (req.method === 'GET' && url.pathname === '/o/oauth2/v2/auth') {
      const redirect = url.searchParams.get('redirect_uri');
      if (url.searchParams.get('client_id') !== clientId || !redirect)
        return send(res, 400, {
          error: 'invalid_request',
          error_description: 'Unknown client or missing redirect_uri',
        });
      const who = consent ?? { email: 'user@gmail.test' };
      consent = null;
      const requested = (url.searchParams.get('scope') ?? '').split(/\s+/).filter(Boolean);
      const code = token('4/code');
      codes.set(code, {
        email: who.email,
        scopes: who.scopes ?? requested,
        name: who.name ?? who.email.split('@')[0]!,
        redirectUri: redirect,
        challenge: url.searchParams.get('code_challenge') ?? undefined,
      });
      const to = new URL(redirect);
      to.searchParams.set('code', code);
      const st = url.searchParams.get('state');
      if (st) to.searchParams.set('state', st);
      to.searchParams.set('scope', (who.scopes ?? requested).join(' '));
      res.writeHead(302, { location: to.toString() });
      return res.end();
    }
    if (req.method === 'POST' && url.pathname === '/token') {
      const form = new URLSearchParams(await readBody(req));
      const basic = req.headers.authorization?.startsWith('Basic ')
        ? Buffer.from(req.headers.authorization.slice(6), 'base64').toString().split(':')
        : null;
      const id = form.get('client_id') ?? (basic ? decodeURIComponent(basic[0]!) : null);
      const secret = form.get('client_secret') ?? (basic ? decodeURIComponent(basic[1]!) : null);
      if (id !== clientId || secret !== clientSecret)
        return send(res, 401, {
          error: 'invalid_client',
          error_description: 'The OAuth client was not found.',
        });
      if (form.get('grant_type') === 'authorization_code') {
        const c = codes.get(form.get('code') ?? '');
        codes.delete(form.get('code') ?? '');
        if (!c || c.redirectUri !== form.get('redirect_uri'))
          return send(res, 400, {
            error: 'invalid_grant',
            error_description: 'Malformed auth code.',
          });
        if (c.challenge) {
          const verifier = form.get('code_verifier') ?? '';
          if (crypto.createHash('sha256').update(verifier).digest('base64url') !== c.challenge)
            return send(res, 400, {
              error: 'invalid_grant',
              error_description: 'Invalid code verifier.',
            });
        }
        const t = grant(c.email, c.scopes);
        subjects.set(c.email, { name: c.name });
        return send(res, 200, {
          access_token: t.accessToken,
          expires_in: t.expiresIn,
          refresh_token: t.refreshToken,
          scope: c.scopes.join(' '),
          token_type: 'Bearer',
        });
      }
      if (form.get('grant_type') === 'refresh_token') {
        const g = grants.get(form.get('refresh_token') ?? '');
        if (!g || g.revoked)
          return send(res, 400, {
            error: 'invalid_grant',
            error_description: 'Token has been expired or revoked.',
          });
        return send(res, 200, {
          access_token: issueAccess(g.email, g.scopes),
          expires_in: 3599,
          scope: g.scopes.join(' '),
          token_type: 'Bearer',
        });
      }
      return send(res, 400, { error: 'unsupported_grant_type' });
    }
    // Google's revocation endpoint: a refresh or access token (form body, or ?token=) ends the
    // whole grant; an unknown or already revoked one is `invalid_token`.
    if (req.method === 'POST' && url.pathname === '/revoke') {
      const form = new URLSearchParams(await readBody(req));
      const t = form.get('token') ?? url.searchParams.get('token') ?? '';
      const g = grants.get(t);
      const email = g && !g.revoked ? g.email : accessTokens.get(t)?.email;
      if (!email)
        return send(res, 400, {
          error: 'invalid_token',
          error_description: 'Token expired or revoked',
        });
      for (const x of grants.values()) if (x.email === email) x.revoked = true;
      for (const [k, v] of accessTokens) if (v.email === email) accessTokens.delete(k);
      stats.revoked++;
      return send(res, 200, {});
    }
    if (req.method === 'GET' && url.pathname === '/v1/userinfo') {
      const t = accessTokens.get((req.headers.authorization ?? '').replace(/^Bearer /, ''));
      if (!t) return send(res, 401, { error: 'invalid_token' });
      const who = subjects.get(t.email);
      return send(res, 200, {
        sub: crypto.createHash('sha1').update(t.email).digest('hex').slice(0, 21),
        email: t.email,
        email_verified: true,
        name: who?.name ?? t.email,
        picture: null,
      });
    }
    return false;
  }
  const subjects = new Map<string, { name: string }>();
  const addressBooks = new Map<string, { connections: FakePerson[]; other: FakePerson[] }>();

  /** People API: connections and other contacts, paged, with the contacts scopes. */
  function handlePeople(req: http.IncomingMessage, res: http.ServerResponse, url: URL) {
    const auth = accessTokens.get((req.headers.authorization ?? '').replace(/^Bearer /, ''));
    if (!auth || auth.expiresAt < Date.now())
      return send(
        res,
        401,
        googleError(
          401,
          'Request had invalid authentication credentials.',
          'authError',
          'UNAUTHENTICATED',
        ),
      );
    const other = url.pathname === '/v1/otherContacts';
    const scope = other
      ? 'https://www.googleapis.com/auth/contacts.other.readonly'
      : 'https://www.googleapis.com/auth/contacts.readonly';
    if (!auth.scopes.includes(scope))
      return send(
        res,
        403,
        googleError(
          403,
          'Request had insufficient authentication scopes.',
          'insufficientPermissions',
          'PERMISSION_DENIED',
        ),
      );
    const book = addressBooks.get(auth.email) ?? { connections: [], other: [] };
    const all = other ? book.other : book.connections;
    const size = Math.min(1000, Number(url.searchParams.get('pageSize') ?? 100));
    const offset = Number(url.searchParams.get('pageToken') ?? 0) || 0;
    const page = all.slice(offset, offset + size);
    return send(res, 200, {
      [other ? 'otherContacts' : 'connections']: page,
      ...(offset + size < all.length ? { nextPageToken: String(offset + size) } : {}),
      totalPeople: all.length,
      totalSize: all.length,
    });
  }

  async function handleGmail(req: http.IncomingMessage, res: http.ServerResponse, url: URL) {
    const method = methodOf(req.method ?? 'GET', url.pathname);
    if (!method) return send(res, 404, googleError(404, 'Not Found', 'notFound', 'NOT_FOUND'));
    stats.requests++;
    stats.byMethod[method] = (stats.byMethod[method] ?? 0) + 1;
    if (switches.latencyMs) await new Promise((r) => setTimeout(r, switches.latencyMs));
    if (switches.dropRate && random() < switches.dropRate) {
      stats.dropped++;
      req.socket.destroy();
      return;
    }
    const auth = accessTokens.get((req.headers.authorization ?? '').replace(/^Bearer /, ''));
    if (
      !auth ||
      auth.expiresAt < Date.now() ||
      [...grants.values()].some((g) => g.email === auth.email && g.revoked)
    )
      return send(
        res,
        401,
        googleError(
          401,
          'Request had invalid authentication credentials. Expected OAuth 2 access token.',
          'authError',
          'UNAUTHENTICATED',
        ),
        {
          'www-authenticate': 'Bearer realm="https://accounts.google.com/", error="invalid_token"',
        },
      );
    if (!auth.scopes.includes(GMAIL_READONLY) && !auth.scopes.includes('https://mail.google.com/'))
      return send(
        res,
        403,
        googleError(
          403,
          'Request had insufficient authentication scopes.',
          'insufficientPermissions',
          'PERMISSION_DENIED',
        ),
      );
    const box = mailbox(auth.email);
    if (switches.errorRate && random() < switches.errorRate) {
      stats.injectedErrors++;
      const pick = random();
      const status = pick < 0.4 ? 500 : pick < 0.6 ? 503 : pick < 0.8 ? 429 : 403;
      stats.injectedByStatus[status] = (stats.injectedByStatus[status] ?? 0) + 1;
      if (status === 500)
        return send(res, 500, googleError(500, 'Backend Error', 'backendError', 'INTERNAL'));
      if (status === 503)
        return send(
          res,
          503,
          googleError(503, 'The service is currently unavailable.', 'backendError', 'UNAVAILABLE'),
        );
      if (status === 429) {
        stats.http429++;
        return send(
          res,
          429,
          googleError(
            429,
            'Too many concurrent requests for user.',
            'rateLimitExceeded',
            'RESOURCE_EXHAUSTED',
          ),
          { 'retry-after': '1' },
        );
      }
      return send(
        res,
        403,
        googleError(403, 'User-rate limit exceeded.', 'userRateLimitExceeded', 'PERMISSION_DENIED'),
      );
    }
    if (switches.slowRate && random() < switches.slowRate) {
      stats.slowed++;
      await new Promise((r) => setTimeout(r, switches.slowMs));
    }
    const cost = QUOTA_COST[method]!;
    if (!charge(box, cost)) {
      stats.http429++;
      return send(
        res,
        429,
        googleError(
          429,
          'Resource has been exhausted (e.g. check quota).',
          'rateLimitExceeded',
          'RESOURCE_EXHAUSTED',
        ),
      );
    }
    stats.units += cost;
    const p = url.pathname.replace(/^\/gmail\/v1\/users\/[^/]+/, '');
    const q = url.searchParams;
    switch (method) {
      case 'users.getProfile':
        return send(res, 200, {
          emailAddress: box.email,
          messagesTotal: box.messages.size,
          threadsTotal: new Set([...box.messages.values()].map((m) => m.threadId)).size,
          historyId: String(box.historyId),
        });
      case 'labels.list': {
        const user = new Set(
          [...box.messages.values()]
            .flatMap((m) => m.labelIds)
            .filter((l) => !SYSTEM_LABELS.includes(l)),
        );
        return send(res, 200, {
          labels: [
            ...SYSTEM_LABELS.map((id) => ({ id, name: id, type: 'system' })),
            ...[...user].map((id) => ({ id, name: id.replace(/^Label_/, ''), type: 'user' })),
          ],
        });
      }
      case 'messages.list': {
        const max = Math.min(500, Number(q.get('maxResults') ?? 100));
        const offset = Number(q.get('pageToken') ?? 0) || 0;
        const wanted = q.getAll('labelIds');
        const excluded = [...(q.get('q') ?? '').matchAll(/-category:(\w+)/g)].map(
          (m) => `CATEGORY_${m[1]!.toUpperCase()}`,
        );
        const spamTrash = q.get('includeSpamTrash') === 'true';
        const all = [...box.messages.values()]
          .filter((m) => wanted.every((l) => m.labelIds.includes(l)))
          .filter((m) => !excluded.some((l) => m.labelIds.includes(l)))
          .filter((m) => spamTrash || !m.labelIds.some((l) => l === 'SPAM' || l === 'TRASH'))
          .sort((a, b) => b.internalDate - a.internalDate || (a.id < b.id ? 1 : -1));
        const page = all.slice(offset, offset + max);
        return send(res, 200, {
          ...(page.length
            ? { messages: page.map((m) => ({ id: m.id, threadId: m.threadId })) }
            : {}),
          ...(offset + max < all.length ? { nextPageToken: String(offset + max) } : {}),
          resultSizeEstimate: all.length,
        });
      }
      case 'messages.get': {
        const m = box.messages.get(decodeURIComponent(p.split('/')[2]!));
        if (!m)
          return send(
            res,
            404,
            googleError(404, 'Requested entity was not found.', 'notFound', 'NOT_FOUND'),
          );
        return send(res, 200, messageJson(m, q.get('format') ?? 'full'));
      }
      case 'messages.attachments.get': {
        const [, , messageId, , attachmentId] = p.split('/');
        const a = box.messages.get(messageId!)?.attachments.find((x) => x.id === attachmentId);
        if (!a)
          return send(
            res,
            404,
            googleError(404, 'Requested entity was not found.', 'notFound', 'NOT_FOUND'),
          );
        return send(res, 200, { attachmentId: a.id, size: a.data.length, data: b64url(a.data) });
      }
      case 'threads.get': {
        const id = decodeURIComponent(p.split('/')[2]!);
        const messages = [...box.messages.values()]
          .filter((m) => m.threadId === id)
          .sort((a, b) => a.internalDate - b.internalDate);
        if (!messages.length)
          return send(
            res,
            404,
            googleError(404, 'Requested entity was not found.', 'notFound', 'NOT_FOUND'),
          );
        return send(res, 200, {
          id,
          historyId: String(box.historyId),
          messages: messages.map((m) => messageJson(m, q.get('format') ?? 'full')),
        });
      }
      case 'history.list': {
        const start = Number(q.get('startHistoryId'));
        if (!Number.isFinite(start) || start < box.oldestHistoryId)
          return send(
            res,
            404,
            googleError(404, 'Requested entity was not found.', 'notFound', 'NOT_FOUND'),
          );
        const max = Math.min(500, Number(q.get('maxResults') ?? 100));
        const types = q.getAll('historyTypes');
        const TYPE = {
          messagesAdded: 'messageAdded',
          messagesDeleted: 'messageDeleted',
          labelsAdded: 'labelAdded',
          labelsRemoved: 'labelRemoved',
        };
        const records = box.history.filter(
          (h) => h.id > start && (!types.length || types.includes(TYPE[h.kind])),
        );
        const offset = Number(q.get('pageToken') ?? 0) || 0;
        const page = records.slice(offset, offset + max);
        return send(res, 200, {
          ...(page.length
            ? {
                history: page.map((h) => ({
                  id: String(h.id),
                  messages: [{ id: h.messageId, threadId: h.threadId }],
                  [h.kind]: [
                    h.kind === 'labelsAdded' || h.kind === 'labelsRemoved'
                      ? {
                          message: { id: h.messageId, threadId: h.threadId, labelIds: h.labelIds },
                          labelIds: h.changed,
                        }
                      : {
                          message: { id: h.messageId, threadId: h.threadId, labelIds: h.labelIds },
                        },
                  ],
                })),
              }
            : {}),
          ...(offset + max < records.length ? { nextPageToken: String(offset + max) } : {}),
          historyId: String(box.historyId),
        });
      }
      case 'users.watch': {
        const body = JSON.parse((await readBody(req)) || '{}') as { topicName?: string };
        if (!body.topicName)
          return send(
            res,
            400,
            googleError(400, 'Invalid topicName', 'invalidArgument', 'INVALID_ARGUMENT'),
          );
        box.watch = { topicName: body.topicName, expiration: Date.now() + 7 * 86_400_000 };
        return send(res, 200, {
          historyId: String(box.historyId),
          expiration: String(box.watch.expiration),
        });
      }
      case 'settings.sendAs.list':
        return send(res, 200, {
          sendAs: [
            {
              sendAsEmail: box.email,
              isPrimary: true,
              isDefault: true,
              verificationStatus: 'accepted',
            },
            ...box.aliases.map((a) => ({
              sendAsEmail: a,
              isPrimary: false,
              verificationStatus: 'accepted',
            })),
          ],
        });
      case 'users.stop':
        box.watch = null;
        res.writeHead(204);
        return res.end();
    }
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    void (async () => {
      try {
        if (url.pathname.startsWith('/gmail/v1/')) return await handleGmail(req, res, url);
        if (url.pathname === '/v1/people/me/connections' || url.pathname === '/v1/otherContacts')
          return handlePeople(req, res, url);
        if ((await handleOAuth(req, res, url)) === false) send(res, 404, { error: 'not_found' });
      } catch (err) {
        if (!res.headersSent)
          send(res, 500, googleError(500, (err as Error).message, 'backendError', 'INTERNAL'));
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    clientId,
    clientSecret,
    googleEnv: {
      GOOGLE_CLIENT_ID: clientId,
      GOOGLE_CLIENT_SECRET: clientSecret,
      GOOGLE_AUTHORIZATION_URL: `${url}/o/oauth2/v2/auth`,
      GOOGLE_TOKEN_URL: `${url}/token`,
      GOOGLE_USERINFO_URL: `${url}/v1/userinfo`,
      GOOGLE_REVOKE_URL: `${url}/revoke`,
      GMAIL_API_URL: url,
    },
    switches,
    stats,
    addUser: (email, o = {}) => {
      mailbox(email).aliases = o.aliases ?? [];
      return grant(email, o.scopes ?? ['openid', 'email', 'profile', GMAIL_READONLY]);
    },
    nextConsent: (email, o = {}) => {
      consent = { email, ...o };
    },
    issuedTokens: () => [...accessTokens.keys(), ...grants.keys()],
    addMessages(email, specs) {
      const box = mailbox(email);
      return specs.map((s) => {
        const id = (++seq).toString(16).padStart(16, '0');
        const date = headersOf(s.raw).find((h) => h.name.toLowerCase() === 'date')?.value;
        const internalDate = (date && Date.parse(date)) || Date.now();
        const m: StoredMessage = {
          id,
          threadId: s.threadId ?? id,
          labelIds: s.labelIds ?? ['INBOX'],
          raw: s.raw,
          internalDate,
          historyId: 0,
          attachments: (s.attachments ?? []).map((a, i) => ({ ...a, id: `ANGjdJ${id}${i}` })),
        };
        box.messages.set(id, m);
        m.historyId = record(box, {
          kind: 'messagesAdded',
          messageId: id,
          threadId: m.threadId,
          labelIds: m.labelIds,
        });
        return id;
      });
    },
    deleteMessage(email, id) {
      const box = mailbox(email);
      const m = box.messages.get(id);
      if (!m) return;
      box.messages.delete(id);
      record(box, {
        kind: 'messagesDeleted',
        messageId: id,
        threadId: m.threadId,
        labelIds: m.labelIds,
      });
    },
    modifyLabels(email, id, add, remove) {
      const box = mailbox(email);
      const m = box.messages.get(id);
      if (!m) return;
      const added = add.filter((l) => !m.labelIds.includes(l));
      const removed = remove.filter((l) => m.labelIds.includes(l));
      m.labelIds = [...m.labelIds.filter((l) => !removed.includes(l)), ...added];
      if (added.length)
        record(box, {
          kind: 'labelsAdded',
          messageId: id,
          threadId: m.threadId,
          labelIds: m.labelIds,
          changed: added,
        });
      if (removed.length)
        record(box, {
          kind: 'labelsRemoved',
          messageId: id,
          threadId: m.threadId,
          labelIds: m.labelIds,
          changed: removed,
        });
      m.historyId = box.historyId;
    },
    expireHistory(email) {
      const box = mailbox(email);
      box.oldestHistoryId = box.historyId;
      box.history = [];
    },
    revoke(email) {
      for (const g of grants.values()) if (g.email === email) g.revoked = true;
    },
    expireAccessTokens(email) {
      for (const t of accessTokens.values()) if (t.email === email) t.expiresAt = 0;
    },
    messageIds: (email) => [...mailbox(email).messages.keys()],
    currentHistoryId: (email) => mailbox(email).historyId,
    watchOf: (email) => mailbox(email).watch,
    setContacts: (email, c) =>
      addressBooks.set(email, { connections: c.connections ?? [], other: c.other ?? [] }),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
