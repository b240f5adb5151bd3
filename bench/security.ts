// npm run bench:security — what one hostile email or request costs the server: the production
// app (as `npm start` runs it, embedded) imports a message of 200,000 nested <div> (1 MB), then
// opens it 50 times while /api/health is asked again and again, one request after another (and
// 50 times before, alone); and an 80,000-character sender rule is sent 20 times. Prints one
// JSON line: the message's open time, /api/health's latencies alone and meanwhile, and the
// rule's refusal time (over HTTP, and its validation alone).
import { mbox, tempFile } from '../test/fixtures/mbox-builder';
import { startApp } from '../test/support/app-process';
import { runCli } from '../test/support/cli-process';
import { senderRulePattern } from '../src/server/contacts/sender-rule-pattern';

const RUNS = 50;
const DEPTH = 200_000;
const email = 'bench@security.test';
const password = 'bench-security-password';

/** The parts of the answers read here. */
type Answer = { rows: { id: string }[]; items: { id: string }[]; html: string | null };

const percentile = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!;
const round = (ms: number) => Math.round(ms * 10) / 10;

const app = await startApp({ RAPPORT_DEMO: '0' });
try {
  const signUp = await fetch(`${app.url}/api/auth/sign-up/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: app.url },
    body: JSON.stringify({ email, password, name: 'Bench' }),
  });
  if (!signUp.ok) throw new Error(`sign-up failed: ${signUp.status}`);
  const cookie = signUp.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const trpc = async (path: string, input: unknown, method: 'GET' | 'POST' = 'GET') => {
    const body = JSON.stringify({ json: input });
    const res = await fetch(
      method === 'GET'
        ? `${app.url}/api/trpc/${path}?input=${encodeURIComponent(body)}`
        : `${app.url}/api/trpc/${path}`,
      {
        method,
        headers: { cookie, origin: app.url, 'content-type': 'application/json' },
        body: method === 'POST' ? body : undefined,
      },
    );
    return {
      status: res.status,
      json: (await res.json()) as { result?: { data: { json: Answer } } },
    };
  };

  const file = tempFile(
    'bench-deep.mbox',
    mbox([
      {
        from: 'Deep Nester <deep-nester@evil.example>',
        to: email,
        subject: 'Deep',
        date: new Date(Date.UTC(2026, 9, 2, 9, 0)).toUTCString(),
        headers: { 'MIME-Version': '1.0', 'Content-Type': 'text/html; charset=utf-8' },
        body: `<p>Deep payload</p>${'<div>'.repeat(DEPTH)}deep words${'</div>'.repeat(DEPTH)}`,
      },
    ]),
  );
  const imported = await runCli(['import', file, '--user', email, '--json'], app.dataDir);
  if (imported.code !== 0) throw new Error(`import failed: ${imported.stderr}`);
  const contacts = await trpc('contacts.list', { search: 'deep-nester', humansOnly: false });
  const contactId = contacts.json.result!.data.json.rows[0]!.id;
  const timeline = await trpc('contacts.timeline', { id: contactId });
  const emailId = timeline.json.result!.data.json.items[0]!.id;

  const timeHealth = async () => {
    const started = performance.now();
    await (await fetch(`${app.url}/api/health`)).text();
    return performance.now() - started;
  };
  const idle: number[] = [];
  for (let i = 0; i < RUNS; i++) idle.push(await timeHealth());

  // /api/health, asked one request after another while the message is opened.
  const health: number[] = [];
  let probing = true;
  const probe = (async () => {
    while (probing) health.push(await timeHealth());
  })();
  const open: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    const res = await trpc('contacts.email', { emailId });
    if (res.status !== 200 || !res.json.result?.data.json.html?.includes('deep words'))
      throw new Error(`the message did not open: ${res.status}`);
    open.push(performance.now() - started);
  }
  probing = false;
  await probe;

  const pattern = `a@${'.'.repeat(80_000)}@`;
  const refused: number[] = [];
  for (let i = 0; i < 20; i++) {
    const started = performance.now();
    const res = await trpc('senderRules.set', { pattern, action: 'block' }, 'POST');
    if (res.status !== 400) throw new Error(`the rule was not refused: ${res.status}`);
    refused.push(performance.now() - started);
  }
  const validate: number[] = [];
  for (let i = 0; i < 1000; i++) {
    const started = performance.now();
    senderRulePattern.safeParse(pattern);
    validate.push(performance.now() - started);
  }

  console.log(
    JSON.stringify({
      nested_divs: DEPTH,
      open_message_p50_ms: round(percentile(open, 50)),
      open_message_max_ms: round(Math.max(...open)),
      health_idle_p50_ms: round(percentile(idle, 50)),
      health_requests: health.length,
      health_p50_ms: round(percentile(health, 50)),
      health_p99_ms: round(percentile(health, 99)),
      health_max_ms: round(Math.max(...health)),
      sender_rule_chars: pattern.length,
      sender_rule_refused_p50_ms: round(percentile(refused, 50)),
      sender_rule_refused_max_ms: round(Math.max(...refused)),
      sender_rule_validation_p50_us: Math.round(percentile(validate, 50) * 1000),
    }),
  );
} finally {
  await app.stop();
}
