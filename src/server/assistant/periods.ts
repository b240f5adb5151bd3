import * as chrono from 'chrono-node';

/** A half-open time range [from, to) named as the question named it. */
export type Period = { from: Date | null; to: Date | null; label: string };

/** Where in the question a time expression was found, so the rest can be read without it. */
export type FoundPeriod = { period: Period; start: number; end: number };

type Unit = 'day' | 'week' | 'month' | 'quarter' | 'year';

const NUMBER_WORDS: Record<string, number> = {
  a: 1,
  an: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  fifteen: 15,
  twenty: 20,
  thirty: 30,
  couple: 2,
  few: 3,
};

export function numberFrom(word: string): number | null {
  const n = Number(word);
  if (Number.isFinite(n)) return n;
  return NUMBER_WORDS[word.toLowerCase()] ?? null;
}

/** The UTC offset of `zone` at `at`, in minutes (Intl knows every IANA zone). */
function offsetMinutes(zone: string, at: Date): number {
  if (zone === 'UTC') return 0;
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(at);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const local = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return Math.round((local - at.getTime()) / 60000);
}

/** Midnight of a calendar day in `zone`. */
function zonedMidnight(zone: string, y: number, m: number, d: number): Date {
  const guess = new Date(Date.UTC(y, m, d));
  const offset = offsetMinutes(zone, guess);
  const first = new Date(guess.getTime() - offset * 60000);
  // Across a DST change the offset at the result may differ from the guess's: correct once.
  const again = offsetMinutes(zone, first);
  return again === offset ? first : new Date(guess.getTime() - again * 60000);
}

/** The calendar parts of `at` as seen in `zone`. */
function zonedParts(zone: string, at: Date) {
  const shifted = new Date(at.getTime() + offsetMinutes(zone, at) * 60000);
  return {
    y: shifted.getUTCFullYear(),
    m: shifted.getUTCMonth(),
    d: shifted.getUTCDate(),
    dow: shifted.getUTCDay(),
  };
}

function unitStart(zone: string, at: Date, unit: Unit): Date {
  const p = zonedParts(zone, at);
  switch (unit) {
    case 'day':
      return zonedMidnight(zone, p.y, p.m, p.d);
    case 'week':
      // Weeks start on Monday.
      return zonedMidnight(zone, p.y, p.m, p.d - ((p.dow + 6) % 7));
    case 'month':
      return zonedMidnight(zone, p.y, p.m, 1);
    case 'quarter':
      return zonedMidnight(zone, p.y, p.m - (p.m % 3), 1);
    case 'year':
      return zonedMidnight(zone, p.y, 0, 1);
  }
}

function addUnits(zone: string, at: Date, unit: Unit, n: number): Date {
  const p = zonedParts(zone, at);
  switch (unit) {
    case 'day':
      return zonedMidnight(zone, p.y, p.m, p.d + n);
    case 'week':
      return zonedMidnight(zone, p.y, p.m, p.d + 7 * n);
    case 'month':
      return zonedMidnight(zone, p.y, p.m + n, p.d);
    case 'quarter':
      return zonedMidnight(zone, p.y, p.m + 3 * n, p.d);
    case 'year':
      return zonedMidnight(zone, p.y + n, p.m, p.d);
  }
}

const UNIT = '(day|week|month|quarter|year)s?';
const COUNT =
  '(\\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|couple of|few)';

type Rule = { re: RegExp; make(m: RegExpExecArray, now: Date, zone: string): Period };

const unitOf = (s: string) => s.toLowerCase().replace(/s$/, '') as Unit;

/** Relative expressions, read before chrono (which turns "last week" into one day). */
const RELATIVE: Rule[] = [
  {
    re: new RegExp(
      `\\b(?:in |during |over |within )?(?:the )?(?:last|past|previous) ${COUNT} ${UNIT}\\b`,
      'i',
    ),
    make(m, now, zone) {
      const n = numberFrom(m[1]!.replace(/ of$/, '')) ?? 1;
      const unit = unitOf(m[2]!);
      return { from: addUnits(zone, now, unit, -n), to: null, label: `the last ${n} ${unit}s` };
    },
  },
  {
    re: new RegExp(`\\b(?:in |during )?(?:the )?(last|past|previous|this|current) ${UNIT}\\b`, 'i'),
    make(m, now, zone) {
      const unit = unitOf(m[2]!);
      const current = unitStart(zone, now, unit);
      if (/this|current/i.test(m[1]!)) return { from: current, to: null, label: `this ${unit}` };
      return { from: addUnits(zone, current, unit, -1), to: current, label: `last ${unit}` };
    },
  },
  {
    re: /\b(today|yesterday)\b/i,
    make(m, now, zone) {
      const today = unitStart(zone, now, 'day');
      return m[1]!.toLowerCase() === 'today'
        ? { from: today, to: null, label: 'today' }
        : { from: addUnits(zone, today, 'day', -1), to: today, label: 'yesterday' };
    },
  },
];

const YEAR = /\b(?:in |during |of )?((?:19|20)\d{2})\b/i;
const QUARTER =
  /\b(?:in |during )?(?:the )?(q[1-4]|first quarter|second quarter|third quarter|fourth quarter)(?: of)? ((?:19|20)\d{2})\b/i;
const QUARTERS: Record<string, number> = {
  q1: 0,
  q2: 1,
  q3: 2,
  q4: 3,
  'first quarter': 0,
  'second quarter': 1,
  'third quarter': 2,
  'fourth quarter': 3,
};

/** The range a chrono date covers: the finest component it is certain of. */
function chronoRange(
  c: chrono.ParsedComponents,
  zone: string,
  year: number | null,
): { from: Date; to: Date } {
  const y = (c.isCertain('year') ? c.get('year') : (year ?? c.get('year')))!;
  const m = (c.get('month') ?? 1) - 1;
  const d = c.get('day') ?? 1;
  if (c.isCertain('day'))
    return { from: zonedMidnight(zone, y, m, d), to: zonedMidnight(zone, y, m, d + 1) };
  if (c.isCertain('month'))
    return { from: zonedMidnight(zone, y, m, 1), to: zonedMidnight(zone, y, m + 1, 1) };
  return { from: zonedMidnight(zone, y, 0, 1), to: zonedMidnight(zone, y + 1, 0, 1) };
}

/** Reads one time range out of a question: "in December 2000", "last week", "since May 2001". */
export function findPeriod(text: string, now: Date, zone = 'UTC'): FoundPeriod | null {
  for (const rule of RELATIVE) {
    const m = rule.re.exec(text);
    if (m) return { period: rule.make(m, now, zone), start: m.index, end: m.index + m[0].length };
  }
  const q = QUARTER.exec(text);
  if (q) {
    const year = Number(q[2]);
    const index = QUARTERS[q[1]!.toLowerCase()]!;
    return {
      period: {
        from: zonedMidnight(zone, year, index * 3, 1),
        to: zonedMidnight(zone, year, index * 3 + 3, 1),
        label: `Q${index + 1} ${year}`,
      },
      start: q.index,
      end: q.index + q[0].length,
    };
  }

  const results = chrono.parse(text, { instant: now, timezone: 0 }, { forwardDate: false });
  // A bare month ("between March and May 2001") takes its year from its neighbour.
  const years = results.map((r) => (r.start.isCertain('year') ? r.start.get('year') : null));
  const anyYear = years.find((y) => y !== null) ?? null;
  const usable = results.filter((r) => r.start.isCertain('month') || r.start.isCertain('year'));

  if (usable.length > 0) {
    const first = usable[0]!;
    const last = usable.at(-1)!;
    const a = chronoRange(first.start, zone, anyYear);
    const b = chronoRange(last.end ?? last.start, zone, anyYear);
    let start = first.index;
    const end = last.index + last.text.length;
    const before = text.slice(0, start);
    const lead =
      /\b(since|after|from|before|until|till|up to|by|between|in|during|on|of)\s+(the\s+)?$/i.exec(
        before,
      );
    const word = lead?.[1]?.toLowerCase();
    if (lead) start = lead.index;
    const label = text.slice(start, end).trim();
    if (usable.length >= 2 || first.end)
      return { period: { from: a.from, to: b.to, label }, start, end };
    if (word === 'since' || word === 'after' || word === 'from')
      return { period: { from: word === 'after' ? a.to : a.from, to: null, label }, start, end };
    if (
      word === 'before' ||
      word === 'until' ||
      word === 'till' ||
      word === 'up to' ||
      word === 'by'
    )
      return { period: { from: null, to: word === 'before' ? a.from : a.to, label }, start, end };
    return { period: { from: a.from, to: a.to, label }, start, end };
  }

  const y = YEAR.exec(text);
  if (y) {
    const year = Number(y[1]);
    const lead = /\b(since|after|before|until)\s+$/i.exec(text.slice(0, y.index));
    const from = zonedMidnight(zone, year, 0, 1);
    const to = zonedMidnight(zone, year + 1, 0, 1);
    const start = lead ? lead.index : y.index;
    const end = y.index + y[0].length;
    const label = text.slice(start, end).trim();
    switch (lead?.[1]?.toLowerCase()) {
      case 'since':
        return { period: { from, to: null, label }, start, end };
      case 'after':
        return { period: { from: to, to: null, label }, start, end };
      case 'before':
        return { period: { from: null, to: from, label }, start, end };
      case 'until':
        return { period: { from: null, to, label }, start, end };
      default:
        return { period: { from, to, label }, start, end };
    }
  }
  return null;
}

// chrono compiles its parsers over its first two calls (~150 ms): pay that at start-up, not in
// someone's first question.
for (let i = 0; i < 3; i++)
  chrono.parse(`on ${i + 1} March 2001`, { instant: new Date(), timezone: 0 });
