import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Local stand-ins for the enrichment APIs, in their real response shapes: Gravatar REST v3,
 * GitHub REST (user search, users), X API v2 (user by username, user posts) and People Data
 * Labs v5 person/enrich. Each API has its own rate limit answering 429 with that API's reset
 * headers, optional latency, and a switch to make it fail.
 */

export type FakePerson = {
  email: string;
  name: string;
  title?: string;
  company?: string;
  location?: string;
  bio?: string;
  github?: string;
  x?: { handle: string; posts: string[] };
  linkedin?: string;
};

export type Api = 'gravatar' | 'github' | 'x' | 'pdl';
export type ApiSwitches = {
  ratePerSecond: number;
  burst: number;
  latencyMs: number;
  fail: boolean;
};
export type FakeEnrichment = {
  url: string;
  people: Map<string, FakePerson>;
  apis: Record<Api, ApiSwitches>;
  stats: Record<Api, { requests: number; http429: number }>;
  close(): Promise<void>;
};

const apiOf = (path: string): Api | null =>
  path.startsWith('/v3/profiles/')
    ? 'gravatar'
    : path.startsWith('/search/users') || path.startsWith('/users/')
      ? 'github'
      : path.startsWith('/2/')
        ? 'x'
        : path.startsWith('/v5/person/enrich')
          ? 'pdl'
          : null;

export async function startFakeEnrichment(
  o: { ratePerSecond?: number; burst?: number; latencyMs?: number } = {},
): Promise<FakeEnrichment> {
  const people = new Map<string, FakePerson>();
  const sw = (): ApiSwitches => ({
    ratePerSecond: o.ratePerSecond ?? 1000,
    burst: o.burst ?? o.ratePerSecond ?? 1000,
    latencyMs: o.latencyMs ?? 0,
    fail: false,
  });
  const apis: Record<Api, ApiSwitches> = { gravatar: sw(), github: sw(), x: sw(), pdl: sw() };
  const stats = {
    gravatar: { requests: 0, http429: 0 },
    github: { requests: 0, http429: 0 },
    x: { requests: 0, http429: 0 },
    pdl: { requests: 0, http429: 0 },
  };
  const buckets = new Map<Api, { tokens: number; at: number }>();
  const take = (api: Api) => {
    const s = apis[api];
    const now = Date.now();
    const b = buckets.get(api) ?? { tokens: s.burst, at: now };
    b.tokens = Math.min(s.burst, b.tokens + ((now - b.at) / 1000) * s.ratePerSecond);
    b.at = now;
    buckets.set(api, b);
    if (b.tokens < 1) return Math.ceil(((1 - b.tokens) / s.ratePerSecond) * 1000);
    b.tokens -= 1;
    return 0;
  };
  const byHash = (hash: string) =>
    [...people.values()].find(
      (p) => crypto.createHash('sha256').update(p.email.toLowerCase()).digest('hex') === hash,
    );
  const idOf = (handle: string) =>
    String(BigInt('0x' + crypto.createHash('md5').update(handle).digest('hex').slice(0, 12)));

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const api = apiOf(url.pathname);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    if (!api) return send(404, { message: 'Not Found' });
    void (async () => {
      stats[api].requests++;
      const s = apis[api];
      if (s.latencyMs) await new Promise((r) => setTimeout(r, s.latencyMs));
      const auth = req.headers.authorization ?? req.headers['x-api-key'];
      if (!auth) return send(401, { message: 'Requires authentication' });
      const wait = take(api);
      if (wait > 0) {
        stats[api].http429++;
        const resetEpoch = String(Math.ceil((Date.now() + wait) / 1000));
        const headers: Record<Api, Record<string, string>> = {
          github: {
            'x-ratelimit-remaining': '0',
            'x-ratelimit-reset': resetEpoch,
            'retry-after': String(Math.ceil(wait / 1000)),
          },
          x: { 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': resetEpoch },
          gravatar: { 'retry-after': String(Math.ceil(wait / 1000)) },
          pdl: { 'x-ratelimit-reset': resetEpoch, 'retry-after': String(Math.ceil(wait / 1000)) },
        };
        return send(
          429,
          { error: { type: 'rate_limit', message: 'Too Many Requests' } },
          headers[api],
        );
      }
      if (s.fail) return send(500, { error: { message: 'Internal error' } });
      const p = url.pathname;
      if (api === 'gravatar') {
        const person = byHash(p.split('/')[3] ?? '');
        if (!person) return send(404, { error: 'Profile not found', code: 'profile_not_found' });
        return send(200, {
          hash: p.split('/')[3],
          display_name: person.name,
          profile_url: `https://gravatar.com/${person.name.toLowerCase().replace(/\s+/g, '')}`,
          avatar_url: `https://0.gravatar.com/avatar/${p.split('/')[3]}`,
          location: person.location ?? '',
          description: person.bio ?? '',
          job_title: person.title ?? '',
          company: person.company ?? '',
          verified_accounts: person.linkedin
            ? [{ service_type: 'linkedin', service_label: 'LinkedIn', url: person.linkedin }]
            : [],
        });
      }
      if (api === 'github') {
        if (p === '/search/users') {
          const email = (url.searchParams.get('q') ?? '').replace(/\s+in:email$/, '').toLowerCase();
          const person = people.get(email);
          const items = person?.github ? [{ login: person.github, id: 1, type: 'User' }] : [];
          return send(200, { total_count: items.length, incomplete_results: false, items });
        }
        const login = decodeURIComponent(p.split('/')[2] ?? '');
        const person = [...people.values()].find((x) => x.github === login);
        if (!person) return send(404, { message: 'Not Found' });
        return send(200, {
          login,
          name: person.name,
          company: person.company ? `@${person.company}` : null,
          blog: '',
          location: person.location ?? null,
          bio: person.bio ?? null,
          twitter_username: person.x?.handle ?? null,
          html_url: `https://github.com/${login}`,
          avatar_url: `https://avatars.githubusercontent.com/u/1`,
        });
      }
      if (api === 'x') {
        const byName = /^\/2\/users\/by\/username\/([^/]+)$/.exec(p);
        if (byName) {
          const person = [...people.values()].find(
            (x) => x.x?.handle.toLowerCase() === decodeURIComponent(byName[1]!).toLowerCase(),
          );
          if (!person)
            return send(200, {
              errors: [
                {
                  title: 'Not Found Error',
                  detail: `Could not find user with username: [${byName[1]}].`,
                },
              ],
            });
          return send(200, {
            data: {
              id: idOf(person.x!.handle),
              name: person.name,
              username: person.x!.handle,
              description: person.bio ?? '',
              location: person.location,
            },
          });
        }
        const tweets = /^\/2\/users\/(\d+)\/tweets$/.exec(p);
        const person =
          tweets && [...people.values()].find((x) => x.x && idOf(x.x.handle) === tweets[1]);
        if (!person) return send(404, { title: 'Not Found Error' });
        return send(200, {
          data: person.x!.posts.map((text, i) => ({
            id: `${idOf(person.x!.handle)}${i}`,
            text,
            created_at: new Date(Date.UTC(2026, 10, 20 - i)).toISOString(),
          })),
          meta: { result_count: person.x!.posts.length },
        });
      }
      const person = people.get((url.searchParams.get('email') ?? '').toLowerCase());
      if (!person)
        return send(404, {
          status: 404,
          error: { type: 'not_found', message: 'No records were found matching your request' },
        });
      return send(200, {
        status: 200,
        likelihood: 8,
        data: {
          full_name: person.name.toLowerCase(),
          job_title: person.title?.toLowerCase(),
          job_company_name: person.company?.toLowerCase(),
          location_name: person.location?.toLowerCase(),
          linkedin_url: person.linkedin?.replace(/^https:\/\//, ''),
          twitter_url: person.x ? `twitter.com/${person.x.handle}` : null,
          github_url: person.github ? `github.com/${person.github}` : null,
        },
      });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    people,
    apis,
    stats,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
