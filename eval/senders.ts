// npm run --silent eval:senders -- --labels FILE --data DIR [--verbose]
// Human vs robot per sender address, decided from its example messages; one JSON line.
import fs from 'node:fs';
import { classifyParticipant } from '@/server/contacts/classify-sender';
import { args, baselineHuman, loadMessages, pct } from './load-labelled';

type Label = {
  email: string;
  human: boolean;
  category: string;
  examples: { mbox: string; index: number }[];
};

const { labels, data, verbose } = args();
const rows = fs
  .readFileSync(labels, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l) as Label);
const messages = await loadMessages(
  data,
  rows.flatMap((r) => r.examples),
);
const ours = { ok: 0, tp: 0, pred: 0, gold: 0 };
const base = { ok: 0, tp: 0, pred: 0, gold: 0 };

for (const r of rows) {
  const examples = r.examples
    .map((e) => messages.get(`${e.mbox}#${e.index}`))
    .filter((m) => m !== undefined);
  // Robot when most of its messages say so (one auto-reply does not make a person a robot).
  const votes = examples.map((m) => classifyParticipant(r.email, 'from', m));
  const robotVotes = votes.filter((v) => !v.isHuman).length;
  const human = robotVotes * 2 < Math.max(1, votes.length);
  const baseHuman = examples.every((m) => baselineHuman(r.email, m, 'from'));
  for (const [acc, h] of [
    [ours, human],
    [base, baseHuman],
  ] as const) {
    if (h === r.human) acc.ok++;
    if (!h) acc.pred++;
    if (!r.human) acc.gold++;
    if (!h && !r.human) acc.tp++;
  }
  if (verbose && human !== r.human) {
    console.error(
      JSON.stringify({
        email: r.email,
        expected: r.human,
        category: r.category,
        reasons: votes.map((v) => v.reason),
      }),
    );
  }
}

console.log(
  JSON.stringify({
    addresses: rows.length,
    human_acc: pct(ours.ok, rows.length),
    robot_precision: pct(ours.tp, ours.pred),
    robot_recall: pct(ours.tp, ours.gold),
    baseline: {
      human_acc: pct(base.ok, rows.length),
      robot_precision: pct(base.tp, base.pred),
      robot_recall: pct(base.tp, base.gold),
    },
  }),
);
