// npm run --silent eval:contacts -- --labels FILE --data DIR [--verbose]
// Per-message contact extraction against hand labels; prints one JSON line.
import { classifyParticipant } from '@/server/contacts/classify-sender';
import { companyFromDomain } from '@/server/contacts/company-from-domain';
import { choosePersonName } from '@/server/contacts/person-name';
import { extractSignature } from '@/server/contacts/signature';
import {
  args,
  baselineHuman,
  loadMessages,
  norm,
  pct,
  readJsonl,
  robotTally,
} from './load-labelled';

type Label = {
  mbox: string;
  index: number;
  sender: {
    email: string;
    name: string;
    company: string | null;
    title: string | null;
    phones: { e164: string | null; digits: string }[];
    urls: { linkedin: string[]; twitter: string[]; websites: string[] };
  };
  addresses: { field: string; email: string; human: boolean }[];
};

const { labels, data, verbose } = args();
const rows = readJsonl<Label>(labels);
const messages = await loadMessages(data, rows);
const c = {
  name: 0,
  company: 0,
  companyTp: 0,
  companyPred: 0,
  companyGold: 0,
  title: 0,
  titleTp: 0,
  titlePred: 0,
  titleGold: 0,
  phoneTp: 0,
  phonePred: 0,
  phoneGold: 0,
  urlHit: 0,
  urlGold: 0,
};
const h = robotTally();
const b = robotTally();
const urlKey = (u: string) =>
  u
    .toLowerCase()
    .replace(/^https?:\/\//, '')
    .replace(/^www\./, '')
    .replace(/\/+$/, '');

for (const r of rows) {
  const m = messages.get(`${r.mbox}#${r.index}`);
  if (!m) throw new Error(`message not found: ${r.mbox}#${r.index}`);
  const sender = { email: r.sender.email, name: m.from?.name ?? null };
  const sig = extractSignature(m.text, sender);
  const name = choosePersonName({
    email: r.sender.email,
    headerName: sender.name,
    signatureName: sig.name,
  }).name;
  const company = sig.company ?? companyFromDomain(r.sender.email)?.name ?? null;
  const title = sig.title;
  if (norm(name) === norm(r.sender.name)) c.name++;
  if (norm(company) === norm(r.sender.company)) c.company++;
  if (company) c.companyPred++;
  if (r.sender.company) c.companyGold++;
  if (company && r.sender.company && norm(company) === norm(r.sender.company)) c.companyTp++;
  if (norm(title) === norm(r.sender.title)) c.title++;
  if (title) c.titlePred++;
  if (r.sender.title) c.titleGold++;
  if (title && r.sender.title && norm(title) === norm(r.sender.title)) c.titleTp++;
  const key = (p: { e164: string | null; digits: string }) => p.e164 ?? p.digits;
  const gold = new Set(r.sender.phones.map(key));
  const pred = new Set(sig.phones.map(key));
  c.phoneGold += gold.size;
  c.phonePred += pred.size;
  for (const p of pred) if (gold.has(p)) c.phoneTp++;
  const goldUrls = [
    ...r.sender.urls.linkedin,
    ...r.sender.urls.twitter,
    ...r.sender.urls.websites,
  ].map(urlKey);
  const predUrls = new Set(
    [...sig.links.linkedin, ...sig.links.twitter, ...sig.links.websites].map(urlKey),
  );
  c.urlGold += goldUrls.length;
  c.urlHit += goldUrls.filter((u) => predUrls.has(u)).length;
  for (const a of r.addresses) {
    const role = a.field === 'from' ? 'from' : a.field === 'cc' ? 'cc' : 'to';
    h.add(classifyParticipant(a.email, role, m).isHuman, a.human);
    b.add(baselineHuman(a.email, m, role), a.human);
  }
  if (verbose) {
    console.error(
      JSON.stringify({
        message: `${r.mbox}#${r.index}`,
        expected: {
          name: r.sender.name,
          company: r.sender.company,
          title: r.sender.title,
          phones: [...gold],
        },
        extracted: { name, company, title, phones: [...pred], block: sig.block },
      }),
    );
  }
}

console.log(
  JSON.stringify({
    messages: rows.length,
    name_acc: pct(c.name, rows.length),
    company_acc: pct(c.company, rows.length),
    company_precision: pct(c.companyTp, c.companyPred),
    company_recall: pct(c.companyTp, c.companyGold),
    title_acc: pct(c.title, rows.length),
    title_precision: pct(c.titleTp, c.titlePred),
    title_recall: pct(c.titleTp, c.titleGold),
    phone_precision: pct(c.phoneTp, c.phonePred),
    phone_recall: pct(c.phoneTp, c.phoneGold),
    url_recall: pct(c.urlHit, c.urlGold),
    addresses: h.count(),
    ...h.figures(),
    baseline: b.figures(),
  }),
);
