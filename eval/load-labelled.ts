import fs from 'node:fs';
import path from 'node:path';
import { openMbox, readMbox } from '@/server/mail/mbox-reader';
import { parseMessage } from '@/server/mail/parse-message';
import type { ParsedMessage } from '@/server/mail/parsed-message';

/** Reads the labelled messages out of their mbox files (each file read once). */
export async function loadMessages(dataDir: string, refs: { mbox: string; index: number }[]) {
  const wanted = new Map<string, Set<number>>();
  for (const r of refs) wanted.set(r.mbox, (wanted.get(r.mbox) ?? new Set()).add(r.index));
  const out = new Map<string, ParsedMessage>();
  for (const [mbox, indexes] of wanted) {
    for await (const e of readMbox(openMbox(path.join(dataDir, mbox)).stream)) {
      if (e.kind !== 'message' || !indexes.has(e.index)) continue;
      out.set(
        `${mbox}#${e.index}`,
        await parseMessage({ raw: e.raw, source: 'mbox', envelopeDate: e.envelopeDate }),
      );
    }
  }
  return out;
}

export function args() {
  const a = process.argv.slice(2);
  const get = (k: string) => {
    const i = a.indexOf(k);
    return i >= 0 ? a[i + 1] : undefined;
  };
  const labels = get('--labels');
  const data = get('--data');
  if (!labels || !data) {
    console.error('usage: --labels FILE --data DIR [--verbose]');
    process.exit(2);
  }
  return { labels, data, verbose: a.includes('--verbose') };
}

export const norm = (s: string | null | undefined) =>
  (s ?? '')
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '');

export const pct = (n: number, d: number) => (d === 0 ? null : Math.round((1000 * n) / d) / 10);

/** The header-only baseline (the group-address pattern and bulk headers that Twenty uses). */
const TWENTY_GROUP =
  /^(noreply|no-reply|do_not_reply|no\.reply|accounts|info|admin|contact|hello|support|marketing|sales|billing|team|welcome|hr|jobs|careers|press|media|partners|news|newsletter|notifications?|alerts?|mailer-daemon|postmaster)@/i;
export function baselineHuman(email: string, m: ParsedMessage, role: string) {
  if (TWENTY_GROUP.test(email)) return false;
  if (
    role === 'from' &&
    (m.headers['list-unsubscribe'] || m.headers['precedence'] || m.headers['auto-submitted'])
  )
    return false;
  return true;
}

export function readJsonl<T>(file: string): T[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as T);
}

/** Human/robot tallies: accuracy, and precision/recall of the robot verdicts. */
export function robotTally() {
  const t = { ok: 0, n: 0, tp: 0, pred: 0, gold: 0 };
  return {
    add(predictedHuman: boolean, labelledHuman: boolean) {
      t.n++;
      if (predictedHuman === labelledHuman) t.ok++;
      if (!predictedHuman) t.pred++;
      if (!labelledHuman) t.gold++;
      if (!predictedHuman && !labelledHuman) t.tp++;
    },
    figures: () => ({
      human_acc: pct(t.ok, t.n),
      robot_precision: pct(t.tp, t.pred),
      robot_recall: pct(t.tp, t.gold),
    }),
    count: () => t.n,
  };
}
