// npm run --silent eval:senders -- --labels FILE --data DIR [--verbose]
// Human vs robot per sender address, decided from its example messages; one JSON line.
import { classifyParticipant } from '@/server/contacts/classify-sender';
import { args, baselineHuman, loadMessages, readJsonl, robotTally } from './load-labelled';

type Label = {
  email: string;
  human: boolean;
  category: string;
  examples: { mbox: string; index: number }[];
};

const { labels, data, verbose } = args();
const rows = readJsonl<Label>(labels);
const messages = await loadMessages(
  data,
  rows.flatMap((r) => r.examples),
);
const ours = robotTally();
const base = robotTally();

for (const r of rows) {
  const examples = r.examples
    .map((e) => messages.get(`${e.mbox}#${e.index}`))
    .filter((m) => m !== undefined);
  // Robot when most of its messages say so (one auto-reply does not make a person a robot).
  const votes = examples.map((m) => classifyParticipant(r.email, 'from', m));
  const human = votes.filter((v) => !v.isHuman).length * 2 < Math.max(1, votes.length);
  ours.add(human, r.human);
  base.add(
    examples.every((m) => baselineHuman(r.email, m, 'from')),
    r.human,
  );
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
  JSON.stringify({ addresses: rows.length, ...ours.figures(), baseline: base.figures() }),
);
