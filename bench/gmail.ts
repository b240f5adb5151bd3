// npm run bench:gmail — Gmail sync end to end against the local fake Gmail with 100 ms of
// simulated round trip and Gmail's per-user quota enforced (250 units/s, burst 250, 15,000 a
// minute): 1,000 and 10,000 generated messages listed, fetched, parsed and stored with their
// contacts and stats in a fresh PostgreSQL database, beside the quota ceiling for the same
// work (units needed ÷ 250 per second). Prints one JSON line.
import crypto from 'node:crypto';
import { parseEnv } from '@/env';
import { generateMailbox } from '@/server/demo/generate-mailbox';
import { GMAIL_COST } from '@/server/mail/gmail/gmail-client';
import { gmailProviderFor } from '@/server/mail/gmail/gmail-account';
import { findMailAccount } from '@/server/mail/mail-accounts';
import { syncMailAccount } from '@/server/mail/sync-account';
import { startFakeGmail } from '../test/fakes/gmail-server';
import { linkFakeGoogle } from '../test/support/google-link';
import { createBenchDatabase } from './bench-database';

const SECRET = 'bench-gmail-secret-0123456789abcdef';
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 100);
const PAGE = 500;
const SIZES = (process.env.BENCH_GMAIL_SIZES ?? '1000,10000').split(',').map(Number);

const fake = await startFakeGmail({ latencyMs: LATENCY_MS, enforceQuota: true });
const env = parseEnv({
  NODE_ENV: 'production',
  BETTER_AUTH_SECRET: SECRET,
  ...fake.googleEnv,
  GMAIL_EXCLUDE_CATEGORIES: '',
});

let requests = 0;
let http429 = 0;

async function run(count: number) {
  const address = `bench${count}@gmail.test`;
  const messages = [
    ...generateMailbox({
      seed: count,
      messages: count,
      owner: { email: address, name: 'Bench Owner' },
    }),
  ];
  fake.addMessages(
    address,
    messages.map((m) => ({
      raw: m.raw,
      labelIds: m.sender === address ? ['SENT'] : ['INBOX', 'CATEGORY_PERSONAL'],
    })),
  );
  const db = await createBenchDatabase();
  try {
    const userId = crypto.randomUUID();
    await db.handle.query(`INSERT INTO users (id, name, email) VALUES ($1, 'Bench', $2)`, [
      userId,
      address,
    ]);
    const { accountId: id } = await linkFakeGoogle(db.handle.db, fake, {
      userId,
      address,
      secret: SECRET,
    });
    const account = await findMailAccount(db.handle.db, userId, id);
    const { provider } = gmailProviderFor(db.handle.db, account, {
      env,
      concurrency: 24,
      onResponse: (_m, status) => {
        requests++;
        if (status === 429) http429++;
      },
    });
    // Let the user's bucket fill as a fresh user's would.
    await new Promise((r) => setTimeout(r, 1100));
    const t0 = performance.now();
    const summary = await syncMailAccount({
      db: db.handle.db,
      userId,
      accountId: id,
      provider,
      pageSize: PAGE,
    });
    const seconds = (performance.now() - t0) / 1000;
    const [row] = await db.handle.query<{ n: number }>('SELECT count(*)::int AS n FROM emails');
    if (row!.n !== summary.stored || summary.listed !== count)
      throw new Error(`stored ${row!.n} of ${count} (listed ${summary.listed})`);
    const units =
      GMAIL_COST['users.getProfile'] +
      GMAIL_COST['settings.sendAs.list'] +
      Math.ceil(count / PAGE) * GMAIL_COST['messages.list'] +
      count * GMAIL_COST['messages.get'] +
      GMAIL_COST['history.list'];
    // The definition: the units the work needs at Gmail's 250 units per second.
    const ceiling = units / 250;
    return {
      seconds: Math.round(seconds * 10) / 10,
      ceiling: Math.round(ceiling * 10) / 10,
      ratio: Math.round((seconds / ceiling) * 100) / 100,
    };
  } finally {
    await db.drop();
  }
}

const out: Record<string, number> = {};
for (const n of SIZES) {
  const r = await run(n);
  out[`seconds_${n}`] = r.seconds;
  out[`ceiling_s_${n}`] = r.ceiling;
  out[`ratio_${n}`] = r.ratio;
}
await fake.close();
console.log(JSON.stringify({ latency_ms: LATENCY_MS, ...out, requests, http_429: http429 }));
