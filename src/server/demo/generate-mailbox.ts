import {
  COMPANIES,
  FIRST_NAMES,
  FREEMAIL,
  LAST_NAMES,
  NEWSLETTERS,
  NOTIFIERS,
  TITLES,
  TOPICS,
} from './demo-data';
import { Random } from './random';

type Company = (typeof COMPANIES)[number];
type Profile = 'close' | 'regular' | 'occasional' | 'cold' | 'one-way';

export type DemoPerson = {
  name: string;
  email: string;
  company: Company | null;
  title: string | null;
  phone: string | null;
  mobile: string | null;
  linkedin: string | null;
  x: string | null;
  profile: Profile;
  /** Typical hours before they answer. */
  replyHours: number;
};

export type GeneratedMessage = { raw: string; date: Date; sender: string };

export type GenerateOptions = {
  seed?: number;
  messages: number;
  /** Default: about one person per 13 messages, at least 20. */
  people?: number;
  owner: { email: string; name: string };
  now?: Date;
};

const DAY = 24 * 3600 * 1000;
const HOUR = 3600 * 1000;
const SPAN_DAYS = 540;

function slug(s: string) {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]+/g, '');
}

function phoneFor(r: Random, c: Company | null) {
  const area = c?.area ?? String(r.int(201, 989));
  const line = `${r.int(200, 899)} ${String(r.int(0, 9999)).padStart(4, '0')}`;
  return area.startsWith('+') ? `${area} ${line}` : `(${area}) ${line.replace(' ', '-')}`;
}

export function makePeople(r: Random, count: number): DemoPerson[] {
  const people: DemoPerson[] = [];
  const used = new Set<string>();
  for (let i = 0; people.length < count; i++) {
    const first = r.pick(FIRST_NAMES);
    const last = r.pick(LAST_NAMES);
    const company = r.chance(0.85) ? r.pick(COMPANIES) : null;
    const domain = company?.domain ?? r.pick(FREEMAIL);
    let local = r.chance(0.6) ? `${slug(first)}.${slug(last)}` : `${slug(first)[0]}${slug(last)}`;
    if (used.has(`${local}@${domain}`)) local = `${local}${i}`;
    used.add(`${local}@${domain}`);
    const roll = r.next();
    const profile: Profile =
      roll < 0.1
        ? 'close'
        : roll < 0.4
          ? 'regular'
          : roll < 0.75
            ? 'occasional'
            : roll < 0.9
              ? 'cold'
              : 'one-way';
    people.push({
      name: `${first} ${last}`,
      email: `${local}@${domain}`,
      company,
      title: company ? r.pick(TITLES) : null,
      phone: company ? phoneFor(r, company) : null,
      mobile: r.chance(0.5) ? phoneFor(r, null) : null,
      linkedin: r.chance(0.6) ? `https://www.linkedin.com/in/${slug(first)}-${slug(last)}` : null,
      x: r.chance(0.25) ? `@${slug(first)}${slug(last).slice(0, 4)}` : null,
      profile,
      replyHours:
        profile === 'close' ? r.int(1, 4) : profile === 'regular' ? r.int(3, 24) : r.int(12, 96),
    });
  }
  return people;
}

function signature(p: DemoPerson, style: number) {
  const lines = ['', '', '-- ', p.name];
  if (style === 0) {
    if (p.title && p.company) lines.push(`${p.title} | ${p.company.name}`);
    if (p.phone) lines.push(`Office: ${p.phone}${p.mobile ? ` | Mobile: ${p.mobile}` : ''}`);
    else if (p.mobile) lines.push(`Mobile: ${p.mobile}`);
    if (p.linkedin) lines.push(p.linkedin.replace('https://www.', ''));
  } else if (style === 1) {
    if (p.title) lines.push(p.title);
    if (p.company) lines.push(p.company.name, p.company.city);
    if (p.phone) lines.push(`T ${p.phone}`);
    if (p.mobile) lines.push(`M ${p.mobile}`);
    if (p.x) lines.push(`Twitter: ${p.x}`);
    if (p.company) lines.push(`www.${p.company.domain}`);
  } else {
    lines.splice(2, 1, 'Best,'); // no dash line: a "Best, Name" sign-off
    if (p.title && p.company) lines.push(`${p.title}, ${p.company.name}`);
    if (p.mobile) lines.push(`cell ${p.mobile}`);
  }
  return lines.join('\n');
}

function rfcDate(d: Date, offsetMinutes: number) {
  const local = new Date(d.getTime() + offsetMinutes * 60_000);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = [
    'Jan',
    'Feb',
    'Mar',
    'Apr',
    'May',
    'Jun',
    'Jul',
    'Aug',
    'Sep',
    'Oct',
    'Nov',
    'Dec',
  ];
  const pad = (n: number) => String(n).padStart(2, '0');
  const sign = offsetMinutes >= 0 ? '+' : '-';
  const off = Math.abs(offsetMinutes);
  return `${days[local.getUTCDay()]}, ${local.getUTCDate()} ${months[local.getUTCMonth()]} ${local.getUTCFullYear()} ${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())} ${sign}${pad(Math.floor(off / 60))}${pad(off % 60)}`;
}

function addr(name: string, email: string) {
  return /[,."']/.test(name) ? `"${name.replace(/"/g, '')}" <${email}>` : `${name} <${email}>`;
}

/** When a person's threads happen, by how the relationship goes. */
function threadStart(r: Random, p: DemoPerson, now: number) {
  const ago =
    p.profile === 'close'
      ? r.next() ** 1.5 * 300
      : p.profile === 'cold'
        ? 150 + r.next() * (SPAN_DAYS - 150)
        : r.next() * SPAN_DAYS;
  return now - ago * DAY - r.int(0, 12) * HOUR;
}

/**
 * A realistic mailbox, deterministic for a seed: people at companies with signatures
 * (titles, phones, links), threads with replies and response delays (some without threading
 * headers), relationships that are close, occasional, one-way or going cold, and newsletters
 * and notifications. Yields RFC 822 messages, thread by thread.
 */
export function* generateMailbox(options: GenerateOptions): Generator<GeneratedMessage> {
  const r = new Random(options.seed ?? 42);
  const now = (options.now ?? new Date()).getTime();
  const people = makePeople(r, options.people ?? Math.max(20, Math.round(options.messages / 13)));
  const owner = options.owner;
  const ownerDomain = owner.email.split('@')[1]!;
  const weights = people.map(
    (p) => ({ close: 8, regular: 4, occasional: 1.5, cold: 3, 'one-way': 1 })[p.profile],
  );
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  let produced = 0;
  let n = 0;
  const bulkShare = 0.15;

  while (produced < options.messages) {
    const remaining = options.messages - produced;
    if (r.chance(bulkShare)) {
      const isNews = r.chance(0.6);
      const bulk = isNews ? r.pick(NEWSLETTERS) : r.pick(NOTIFIERS);
      const date = new Date(now - r.next() * SPAN_DAYS * DAY);
      const headers = [
        `From: ${addr(bulk.name, bulk.from)}`,
        `To: ${owner.email}`,
        `Subject: ${bulk.subject}`,
        `Date: ${rfcDate(date, 0)}`,
        `Message-ID: <bulk-${n++}.${options.seed ?? 42}@${bulk.from.split('@')[1]}>`,
        'MIME-Version: 1.0',
        ...(isNews
          ? [
              `List-Unsubscribe: <https://${bulk.from.split('@')[1]}/unsubscribe>`,
              'Precedence: bulk',
            ]
          : ['Auto-Submitted: auto-generated']),
        'Content-Type: text/html; charset=utf-8',
      ];
      const body = `<html><body><h1>${bulk.subject}</h1><p>Hello ${owner.name.split(' ')[0]},</p><p>Here is your update.</p><p><a href="https://${bulk.from.split('@')[1]}/unsubscribe">Unsubscribe</a></p></body></html>`;
      yield { raw: `${headers.join('\n')}\n\n${body}\n`, date, sender: bulk.from };
      produced++;
      continue;
    }

    // Pick a person by relationship weight.
    let pick = r.next() * totalWeight;
    let idx = 0;
    while (pick > weights[idx]!) pick -= weights[idx++]!;
    const p = people[idx]!;
    const colleague =
      p.company && r.chance(0.2)
        ? people.find((q) => q !== p && q.company === p.company)
        : undefined;
    const topic = r.pick(TOPICS);
    const subject = topic.subject
      .replace('{other}', p.name.split(' ')[0]!)
      .replace('{me}', owner.name.split(' ')[0]!)
      .replace('{n}', String(r.int(1000, 9999)));
    const oneWay = p.profile === 'one-way';
    const ownerStarts = oneWay ? r.chance(0.3) : r.chance(0.5);
    const length = Math.min(remaining, oneWay ? r.int(1, 2) : r.int(1, 5));
    const threaded = r.chance(0.85);
    const offset = r.pick([-480, -300, -240, 0, 60, 330]);
    const style = r.int(0, 2);
    let t = Math.min(threadStart(r, p, now), now - HOUR);
    const ids: string[] = [];
    let previous: { from: string; name: string; date: Date; text: string } | null = null;

    for (let i = 0; i < length; i++) {
      const fromOwner = oneWay ? ownerStarts : (i % 2 === 0) === ownerStarts;
      // A thread that would run past now ends just before it, each reply still after the last.
      const date = new Date(Math.min(t, now - (length - i) * 10 * 60_000));
      const id = `gen-${options.seed ?? 42}-${n++}@${fromOwner ? ownerDomain : p.email.split('@')[1]}`;
      const text =
        i === 0
          ? `Hi ${fromOwner ? p.name.split(' ')[0] : owner.name.split(' ')[0]},\n\n${topic.ask}`
          : fromOwner
            ? `Thanks ${p.name.split(' ')[0]} — ${r.pick(['sounds good.', 'that works.', 'great, noted.', 'appreciate it.'])}`
            : `${topic.reply}`;
      const sig = fromOwner ? `\n\n${owner.name}` : signature(p, style);
      const quote = previous
        ? `\n\nOn ${rfcDate(previous.date, offset)}, ${previous.name} <${previous.from}> wrote:\n${previous.text
            .split('\n')
            .map((l) => `> ${l}`)
            .join('\n')}`
        : '';
      const headers = [
        `From: ${fromOwner ? addr(owner.name, owner.email) : addr(p.name, p.email)}`,
        `To: ${fromOwner ? addr(p.name, p.email) : addr(owner.name, owner.email)}`,
        ...(colleague ? [`Cc: ${addr(colleague.name, colleague.email)}`] : []),
        `Subject: ${i === 0 ? subject : `Re: ${subject}`}`,
        `Date: ${rfcDate(date, offset)}`,
        `Message-ID: <${id}>`,
        ...(threaded && ids.length
          ? [`In-Reply-To: <${ids.at(-1)}>`, `References: ${ids.map((x) => `<${x}>`).join(' ')}`]
          : []),
        'MIME-Version: 1.0',
      ];
      const plain = `${text}${sig}${quote}`;
      const html = !fromOwner && r.chance(0.1);
      const body = html
        ? `<html><body><p>${plain.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/\n/g, '<br>\n')}</p></body></html>`
        : plain;
      headers.push(
        `Content-Type: text/${html ? 'html' : 'plain'}; charset=utf-8`,
        'Content-Transfer-Encoding: 8bit',
      );
      yield {
        raw: `${headers.join('\n')}\n\n${body}\n`,
        date,
        sender: fromOwner ? owner.email : p.email,
      };
      produced++;
      ids.push(id);
      previous = {
        from: fromOwner ? owner.email : p.email,
        name: fromOwner ? owner.name : p.name,
        date,
        text: `${text}${sig}`,
      };
      const delayHours = fromOwner ? r.int(1, 12) : Math.max(0.2, p.replyHours * (0.5 + r.next()));
      t += delayHours * HOUR;
    }
  }
}

/** The date as an mbox envelope line writes it (asctime: "Sat Jun  1 00:00:00 2026"). */
export function asctime(d: Date) {
  return d
    .toUTCString()
    .replace(
      /^(\w+), (\d+) (\w+) (\d+) ([\d:]+) GMT$/,
      (_m, wd, day, mon, yr, time) => `${wd} ${mon} ${String(day).padStart(2, ' ')} ${time} ${yr}`,
    );
}

/** One message in mboxrd form: envelope line, `From ` lines in the body quoted, blank line after. */
export function toMboxEntry(m: GeneratedMessage) {
  return `From ${m.sender} ${asctime(m.date)}\n${m.raw.replace(/^(>*From )/gm, '>$1')}\n`;
}
