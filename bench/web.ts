// npm run bench:web — page budgets on the production build: the app (as `npm start` runs it) on
// a fresh PostgreSQL database holding one user with 50,000 contacts; Debian chromium loads the
// dashboard, the contacts list and a contact page cold (a fresh browser context each time) 5
// times each. Time to interactive = the page's own "hydrated and its data shown" mark; JS
// shipped = the script bytes the page loaded. Prints one JSON line.
import crypto from 'node:crypto';
import { startApp } from '../test/support/app-process';
import { launchBrowser } from '../test/support/browser';
import { createBenchDatabase } from './bench-database';

const CONTACTS = Number(process.env.BENCH_WEB_CONTACTS ?? 50_000);
const RUNS = 5;
const db = await createBenchDatabase();
const secret = crypto.randomBytes(24).toString('base64');
const app = await startApp({ DATABASE_URL: db.url, BETTER_AUTH_SECRET: secret, RAPPORT_DEMO: '0' });
const browser = await launchBrowser();
try {
  const email = 'bench@web.test';
  const password = 'bench-web-password';
  const signUp = await fetch(`${app.url}/api/auth/sign-up/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: app.url },
    body: JSON.stringify({ email, password, name: 'Bench' }),
  });
  const { user } = (await signUp.json()) as { user: { id: string } };
  await db.handle.query(
    `INSERT INTO contacts (user_id, email, name, company, title)
     SELECT $1, 'person' || g || '@corp' || (g % 500) || '.test', 'Person ' || g, 'Corp ' || (g % 500), 'Engineer'
       FROM generate_series(1, $2::int) g`,
    [user.id, CONTACTS],
  );
  await db.handle.query(
    // All of them people the user corresponds with: the lists show them by default.
    `INSERT INTO contact_stats (contact_id, user_id, emails_sent, emails_received, total_emails,
            first_interaction_at, last_interaction_at, strength_score, frequency_score, corresponded)
     SELECT id, user_id, (random() * 40)::int, (random() * 40)::int, (random() * 80)::int,
            now() - interval '400 days', now() - (random() * 300 || ' days')::interval, random() * 100, random() * 100, true
       FROM contacts WHERE user_id = $1`,
    [user.id],
  );
  await db.handle.query('ANALYZE');
  const [{ id: contactId }] = (await db.handle.query<{ id: string }>(
    `SELECT contact_id AS id FROM contact_stats WHERE user_id = $1 ORDER BY strength_score DESC LIMIT 1`,
    [user.id],
  )) as [{ id: string }];

  // Signed in once; every load is a fresh context (empty cache) carrying that session.
  const first = await browser.newContext();
  const signIn = await first.request.post(`${app.url}/api/auth/sign-in/email`, {
    headers: { origin: app.url },
    data: { email, password },
  });
  if (!signIn.ok()) throw new Error(`sign-in failed: ${signIn.status()}`);
  const session = await first.storageState();
  await first.close();

  async function load(path: string, name: string) {
    const ctx = await browser.newContext({ storageState: session });
    const page = await ctx.newPage();
    await page.goto(`${app.url}${path}`);
    await page.waitForSelector(`html[data-ready="${name}"]`, { timeout: 30_000 });
    const r = await page.evaluate(() => ({
      tti: performance.getEntriesByName('rapport-ready')[0]?.startTime ?? NaN,
      js: performance
        .getEntriesByType('resource')
        .filter(
          (e) =>
            (e as PerformanceResourceTiming).initiatorType === 'script' || e.name.endsWith('.js'),
        )
        .reduce((n, e) => n + ((e as PerformanceResourceTiming).encodedBodySize || 0), 0),
    }));
    await ctx.close();
    return r;
  }

  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const out: Record<string, unknown> = { contacts: CONTACTS };
  const js: Record<string, number> = {};
  for (const [name, path] of [
    ['dashboard', '/'],
    ['contacts', '/contacts'],
    ['contact', `/contacts/${contactId}`],
  ] as const) {
    await load(path, name); // the server's first render of the route is not a user's cold load
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(await load(path, name));
    out[`${name}_tti_ms`] = Math.round(median(runs.map((r) => r.tti)));
    js[name] = Math.round(median(runs.map((r) => r.js)) / 1024);
  }
  out.js_kb = js;
  console.log(JSON.stringify(out));
} finally {
  await browser.close();
  await app.stop();
  await db.drop();
}
