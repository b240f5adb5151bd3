// bench:load's load generator: autocannon at a fixed rate, every response checked and timed.
// It runs on a worker thread of its own (startDriver), so the work of the bench's main thread
// (the fake Gmail serving the sync, new mail made for it, the fake model) never stalls the
// clock that times the responses. The steps report the driver's own longest stall.
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { COMPANIES, FIRST_NAMES, TOPICS } from '@/server/demo/demo-data';

export const CONNECTIONS = Number(process.env.BENCH_LOAD_CONNECTIONS ?? 100);
export const P99_MS = 250;
export const ASK_ENGINE = process.env.BENCH_LOAD_ASK_ENGINE === 'builtin' ? 'builtin' : 'model';
export type Kind = 'list' | 'contact' | 'ask';
export const KINDS: Kind[] = ['list', 'contact', 'ask'];
/**
 * Each connection asks one endpoint, in this rotation (40% list, 40% contact, 20% ask); every
 * connection runs at the same rate, so requests split the same way.
 */
export const SLOTS: Kind[] = ['list', 'contact', 'list', 'contact', 'ask'];

/** What the requests are drawn from: the seeded user's people, companies and filler contacts. */
export type Data = {
  withMail: { id: string; name: string; company: string | null }[];
  companies: string[];
  fillerIds: string[];
};

const log = (...a: unknown[]) => console.error('[bench:load]', ...a);
const pick = <T>(xs: readonly T[]) => xs[Math.floor(Math.random() * xs.length)]!;

const trpcGet = (procs: string[], inputs: unknown[]) =>
  `/api/trpc/${procs.join(',')}?batch=1&input=${encodeURIComponent(
    JSON.stringify(Object.fromEntries(inputs.map((json, i) => [i, { json }]))),
  )}`;

/** One request of a kind, drawn at random: what the page would send. */
export function requestOf(kind: Kind, d: Data): autocannon.Request {
  const person = pick(d.withMail.slice(0, 2000));
  if (kind === 'list') {
    const roll = Math.random();
    const input: Record<string, unknown> = {
      sort: pick(['strength', 'strength', 'name', 'company', 'last', 'emails']),
      humansOnly: Math.random() < 0.9,
      limit: 50,
      offset: 50 * (Math.random() < 0.6 ? 0 : Math.floor(Math.random() * 20)),
    };
    if (roll < 0.25)
      input.search = pick([person.name.split(' ')[0]!, person.name, pick(FIRST_NAMES)]);
    else if (roll < 0.35) input.company = pick(COMPANIES).name.split(' ')[0];
    else if (roll < 0.45) input.minStrength = 40;
    else if (roll < 0.5) input.lastAfter = new Date(Date.now() - 90 * 86_400_000).toISOString();
    return { method: 'GET', path: trpcGet(['contacts.list'], [input]) };
  }
  if (kind === 'contact') {
    const id = Math.random() < 0.8 ? person.id : pick(d.fillerIds);
    const procs = ['byId', 'stats', 'timeline', 'activity', 'enrichments'].map(
      (p) => `contacts.${p}`,
    );
    return {
      method: 'GET',
      path: trpcGet(procs, [{ id }, { id }, { id, limit: 25 }, { id }, { id }]),
    };
  }
  const question = pick([
    `When did I last talk to ${person.name}?`,
    `What's new with ${person.name}?`,
    `Who do I know at ${pick(d.companies)}?`,
    `Who are my strongest relationships?`,
    `Who is going cold?`,
    `Which emails are about ${pick(TOPICS)
      .subject.replace(/\{[^}]+\}/g, '')
      .trim()}?`,
  ]);
  const input = {
    question,
    timeZone: 'UTC',
    ...(Math.random() < 0.3 ? { contactId: person.id } : {}),
  };
  return {
    method: 'POST',
    path: '/api/trpc/assistant.ask?batch=1',
    headers: { 'content-type': 'application/json', 'trpc-accept': 'application/jsonl' },
    body: JSON.stringify({ 0: { json: input } }),
  };
}

/** Whether a 200 body is the real thing (not an error, a sign-in page or a fallback). */
export function looksRight(kind: Kind, body: string) {
  try {
    if (kind === 'ask')
      return (
        body.includes('"type":"done"') &&
        !body.includes('"error"') &&
        (ASK_ENGINE === 'builtin' || body.includes('"engine":"model"'))
      );
    const parts = JSON.parse(body) as { result?: { data?: { json?: unknown } } }[];
    if (!parts.every((p) => p.result?.data?.json !== undefined)) return false;
    if (kind === 'list') return Array.isArray((parts[0]!.result!.data!.json as { rows: [] }).rows);
    return (
      parts.length === 5 && typeof (parts[0]!.result!.data!.json as { id: string }).id === 'string'
    );
  } catch {
    return false;
  }
}

/** A response: its kind, how long it took, and when it came (ms since the epoch). */
type Sample = { kind: Kind; ms: number; at: number };

/** The p-th percentile, to 0.1 ms. */
export function pct(xs: number[], p: number) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length
    ? Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! * 10) / 10
    : NaN;
}

export async function runAt(
  rate: number,
  appUrl: string,
  cookie: string,
  d: Data,
  seconds: number,
) {
  const conns = Math.min(CONNECTIONS, rate);
  const samples: Sample[] = [];
  const errors: Record<string, number> = {};
  const fail = (why: string) => (errors[why] = (errors[why] ?? 0) + 1);
  const shown = new Set<Kind>();
  // One instance per connection, their one-second rate windows spread over the second (one
  // instance with 100 connections would fire them all at the same instant every second).
  const runs = Array.from({ length: conns }, async (_, i) => {
    const kind = SLOTS[i % SLOTS.length]!;
    await new Promise((r) => setTimeout(r, (i * 1000) / conns));
    let ok = false;
    await new Promise<void>((resolve, reject) => {
      const instance = autocannon(
        {
          url: appUrl,
          connections: 1,
          overallRate: Math.floor(rate / conns) + (i < rate % conns ? 1 : 0),
          duration: seconds,
          timeout: 10,
          headers: { cookie, origin: appUrl },
          ignoreCoordinatedOmission: true,
          requests: [
            {
              setupRequest: (req) => {
                const r = requestOf(kind, d);
                return { ...req, ...r, headers: { ...req.headers, ...r.headers } };
              },
              onResponse: (status, body) => {
                ok = status === 200 && looksRight(kind, body);
                if (!ok && !shown.has(kind)) {
                  shown.add(kind);
                  log(`first bad ${kind} response (${status}): ${body.slice(0, 400)}`);
                }
              },
            },
          ],
        },
        (err) => (err ? reject(err as Error) : resolve()),
      );
      instance.on('response', (_c, status, _b, ms) => {
        samples.push({ kind, ms, at: Date.now() });
        if (status !== 200) fail(`${kind}_http_${status}`);
        else if (!ok) fail(`${kind}_bad_body`);
      });
      instance.on('reqError', (err: Error) =>
        fail(`${kind}_${/timed out/.test(err.message) ? 'timeout' : 'error'}`),
      );
    });
  });
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  await Promise.all(runs);
  delay.disable();
  const all = samples.map((s) => s.ms);
  const per = Object.fromEntries(
    KINDS.map((k) => {
      const xs = samples.filter((s) => s.kind === k).map((s) => s.ms);
      return [k, { n: xs.length, p50_ms: pct(xs, 50), p99_ms: pct(xs, 99) }];
    }),
  );
  // BENCH_LOAD_TIMELINE=1: each second of the step (by when the request was sent) with its
  // slowest response, to see whether slow responses come together or spread out.
  if (process.env.BENCH_LOAD_TIMELINE && samples.length) {
    const start = samples.reduce((t, s) => Math.min(t, s.at - s.ms), Infinity);
    const slowest = new Map<number, number>();
    for (const s of samples) {
      const second = Math.floor((s.at - s.ms - start) / 1000);
      slowest.set(second, Math.max(slowest.get(second) ?? 0, s.ms));
    }
    const seconds = [...slowest].sort((a, b) => a[0] - b[0]);
    log(`slowest per second: ${seconds.map(([t, ms]) => `${t}:${Math.round(ms)}`).join(' ')}`);
  }
  const errorCount = Object.values(errors).reduce((a, b) => a + b, 0);
  const achieved = Math.round((samples.length / seconds) * 10) / 10;
  return {
    rate_rps: rate,
    achieved_rps: achieved,
    p50_ms: pct(all, 50),
    p99_ms: pct(all, 99),
    errors: errorCount,
    pass: errorCount === 0 && pct(all, 99) < P99_MS && achieved >= rate * 0.95,
    // This process's own event-loop stalls, which a response's measured time would include.
    generator_max_stall_ms: Math.round(delay.max / 1e6),
    endpoints: per,
    ...(errorCount ? { error_kinds: errors } : {}),
  };
}

export type StepResult = Awaited<ReturnType<typeof runAt>>;

/** The driver on its own thread: `run` one step at a time. */
export function startDriver(appUrl: string, cookie: string, data: Data) {
  const worker = new Worker(new URL('./load-driver-thread.mjs', import.meta.url), {
    workerData: { loadDriver: { appUrl, cookie, data } },
  });
  return {
    run: (rate: number, seconds: number) =>
      new Promise<StepResult>((resolve, reject) => {
        const onError = (err: Error) => reject(err);
        worker.once('error', onError);
        worker.once('message', (r: StepResult) => {
          worker.off('error', onError);
          resolve(r);
        });
        worker.postMessage({ rate, seconds });
      }),
    close: () => worker.terminate(),
  };
}

if (!isMainThread && workerData?.loadDriver) {
  const { appUrl, cookie, data } = workerData.loadDriver as {
    appUrl: string;
    cookie: string;
    data: Data;
  };
  parentPort!.on('message', async ({ rate, seconds }: { rate: number; seconds: number }) =>
    parentPort!.postMessage(await runAt(rate, appUrl, cookie, data, seconds)),
  );
}
