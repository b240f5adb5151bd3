// npm run --silent eval:signatures -- --data DIR [--verbose]
// The sender's signature against Quagga's annotated Enron messages (DIR/signatures/quagga/enron/
// annotated_all/{train,test,eval}: raw messages with their zones annotated): is there one, and
// its name, position, organisation and phone numbers (scored on the messages whose own
// signature's fields were annotated; the annotators marked some signatures as a zone alone, and
// sign-offs like "Thanks, Kim" as an outro, which the extractor reads as the block's start, so
// signature_found's precision is low by construction). Prints one JSON line.
import fs from 'node:fs';
import path from 'node:path';
import { extractSignature } from '@/server/contacts/signature';
import { parseMessage } from '@/server/mail/parse-message';
import { norm, pct } from './load-labelled';

type Zone = { start: number; end: number; type: string; text?: string };
type Annotation = { text: string; denotations: Zone[] };

const a = process.argv.slice(2);
const dataAt = a.indexOf('--data');
const data = dataAt >= 0 ? a[dataAt + 1] : undefined;
if (!data) {
  console.error('usage: --data DIR [--verbose]');
  process.exit(2);
}
const verbose = a.includes('--verbose');
const root = path.join(data, 'signatures/quagga/enron/annotated_all');

/** The words of a value, for comparing what was read with what was annotated. */
const words = (s: string) =>
  new Set(
    s
      .toLowerCase()
      .split(/[^a-z0-9&]+/)
      .filter((w) => w.length > 1),
  );
/** Read and annotated agree: one holds at least half of the other's words, and they share one. */
function agrees(read: string, gold: string[]) {
  const r = words(read);
  return gold.some((g) => {
    const w = words(g);
    const shared = [...r].filter((x) => w.has(x)).length;
    return shared > 0 && shared >= Math.min(r.size, w.size) / 2;
  });
}
const lastDigits = (s: string) => s.replace(/\D/g, '').slice(-10);

const c = {
  messages: 0,
  gold: 0,
  found: 0,
  foundRight: 0,
  annotated: 0,
  name: { tp: 0, pred: 0, gold: 0 },
  title: { tp: 0, pred: 0, gold: 0 },
  company: { tp: 0, pred: 0, gold: 0 },
  phone: { tp: 0, pred: 0, gold: 0 },
};

for (const split of ['train', 'test', 'eval']) {
  const dir = path.join(root, split);
  if (!fs.existsSync(dir)) continue;
  for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.txt'))) {
    const annFile = path.join(dir, `${f}.ann`);
    if (!fs.existsSync(annFile)) continue;
    const ann = JSON.parse(fs.readFileSync(annFile, 'utf8')) as Annotation;
    let m;
    try {
      m = await parseMessage({ raw: fs.readFileSync(path.join(dir, f)), source: 'mbox' });
    } catch {
      continue;
    }
    if (!m.from) continue;
    c.messages++;
    // The sender's own part ends where a quoted message's header starts.
    const ownEnd = Math.min(
      ann.text.length,
      ...ann.denotations.filter((z) => z.type.startsWith('Header')).map((z) => z.start),
    );
    // The annotators marked a signature zone, or its fields, or both: fields are scored where
    // they marked fields (in the sender's own part), the zone where they marked either.
    const own = ann.denotations.filter((z) => z.start < ownEnd);
    const fields = own.filter((z) => z.type.startsWith('Body/Signature/'));
    const zone = own.some((z) => z.type === 'Body/Signature') || fields.length > 0;
    const inZone = (type: string) =>
      fields.filter((z) => z.type === type).map((z) => z.text ?? ann.text.slice(z.start, z.end));
    const gold = {
      name: inZone('Body/Signature/Name'),
      title: inZone('Body/Signature/Position'),
      company: inZone('Body/Signature/Organisation'),
      phones: [...inZone('Body/Signature/Phone'), ...inZone('Body/Signature/Fax')]
        .flatMap((p) => p.split(/[,;/]|\s{2,}/))
        .map(lastDigits)
        .filter((d) => d.length >= 7),
    };
    const sig = extractSignature(m.text, { email: m.from.email, name: m.from.name ?? null });
    if (zone) c.gold++;
    if (sig.block.length) {
      c.found++;
      if (zone) c.foundRight++;
    }
    if (fields.length === 0) continue;
    c.annotated++;
    const score = (
      t: { tp: number; pred: number; gold: number },
      read: string | null,
      golds: string[],
    ) => {
      if (golds.length) t.gold++;
      if (read) t.pred++;
      if (read && agrees(read, golds)) t.tp++;
    };
    score(c.name, sig.name, gold.name);
    score(c.title, sig.title, gold.title);
    score(c.company, sig.company, gold.company);
    const readPhones = new Set(sig.phones.map((p) => lastDigits(p.e164 ?? p.digits)));
    const goldPhones = new Set(gold.phones);
    c.phone.gold += goldPhones.size;
    c.phone.pred += readPhones.size;
    for (const p of readPhones) if (goldPhones.has(p)) c.phone.tp++;
    if (verbose) {
      const wrong =
        (sig.title && !agrees(sig.title, gold.title)) ||
        (sig.company && !agrees(sig.company, gold.company)) ||
        (gold.title.length > 0 && !sig.title) ||
        (gold.company.length > 0 && !sig.company);
      if (wrong)
        console.error(
          JSON.stringify({
            file: `${split}/${f}`,
            gold: { title: gold.title, company: gold.company.map(norm) },
            read: { title: sig.title, company: sig.company, block: sig.block },
          }),
        );
    }
  }
}

const pr = (t: { tp: number; pred: number; gold: number }) => ({
  precision: pct(t.tp, t.pred),
  recall: pct(t.tp, t.gold),
});
console.log(
  JSON.stringify({
    messages: c.messages,
    own_signatures: c.gold,
    with_fields: c.annotated,
    signature_found: { precision: pct(c.foundRight, c.found), recall: pct(c.foundRight, c.gold) },
    name: pr(c.name),
    title: pr(c.title),
    company: pr(c.company),
    phone: pr(c.phone),
  }),
);
