// npm run --silent eval:ask -- --questions FILE --data DIR [--verbose]
// Imports each mailbox the questions name, for its owner, into a fresh embedded database, asks
// every question with the built-in engine (no model) and prints one JSON line of figures.
import crypto from 'node:crypto';
import path from 'node:path';
import { answerBuiltin } from '@/server/assistant/builtin-engine';
import { openDb } from '@/server/db/client';
import { migrate } from '@/server/db/migrate';
import { importMbox } from '@/server/mail/import-mbox';
import { scoreAnswer, type Expectation } from './ask-scorer';
import { readJsonl } from './load-labelled';

type Question = {
  id: string;
  mbox: string;
  owner: string[];
  question: string;
  expect: Expectation;
};

const argv = process.argv.slice(2);
const get = (k: string) => {
  const i = argv.indexOf(k);
  return i >= 0 ? argv[i + 1] : undefined;
};
const file = get('--questions');
const data = get('--data');
if (!file || !data) {
  console.error('usage: --questions FILE --data DIR [--verbose]');
  process.exit(2);
}
const verbose = argv.includes('--verbose');
const questions = readJsonl<Question>(file);

// One fresh database per mailbox and owner.
const groups = new Map<string, Question[]>();
for (const q of questions) {
  const key = `${q.mbox}\n${[...q.owner].sort().join(',')}`;
  groups.set(key, [...(groups.get(key) ?? []), q]);
}

const times: number[] = [];
const wrong: string[] = [];
let correct = 0;
for (const group of groups.values()) {
  const { mbox, owner } = group[0]!;
  const handle = await openDb({ driver: 'pglite' });
  await migrate(handle);
  const userId = crypto.randomUUID();
  await handle.query(`INSERT INTO users (id, name, email) VALUES ($1, 'Eval', $2)`, [
    userId,
    owner[0] ?? `${userId}@eval.test`,
  ]);
  await importMbox({ db: handle.db, userId, file: path.join(data, mbox), owners: owner });
  for (const q of group) {
    const t0 = performance.now();
    const a = await answerBuiltin(handle.db, userId, q.question);
    times.push(performance.now() - t0);
    const got = { contacts: a.contacts.map((c) => c.email), value: a.value, datetime: a.datetime };
    const ok = scoreAnswer(q.expect, got);
    if (ok) correct++;
    else wrong.push(q.id);
    if (verbose)
      console.error(
        JSON.stringify({
          id: q.id,
          question: q.question,
          expect: q.expect,
          ms: Math.round(times.at(-1)!),
          got: { intent: a.intent, ...got, answer: a.answer },
          ok,
        }),
      );
  }
  await handle.close();
}

times.sort((a, b) => a - b);
const p95 = times.length
  ? times[Math.min(times.length - 1, Math.ceil(0.95 * times.length) - 1)]!
  : 0;
console.log(
  JSON.stringify({
    questions: questions.length,
    correct,
    accuracy: questions.length ? Math.round((1000 * correct) / questions.length) / 10 : null,
    p95_ms: Math.round(p95 * 10) / 10,
    wrong_ids: wrong,
  }),
);
