/** Name-ending words that are no part of matching ("Jr.", "III"). */
const SUFFIXES = new Set(['jr', 'sr', 'ii', 'iii', 'iv', 'v', 'phd', 'md', 'esq', 'cpa', 'mba']);
/** Words that make a name a group's or a role's, not a person's ("Outlook Migration Team"). */
const GROUP_WORDS = new Set(
  'team group desk department dept committee office staff services service support announcements announcement list council board center centre administration administrator admin helpdesk operations management employees all info news newsletter notification notifications update updates'.split(
    ' ',
  ),
);

export type PersonName = {
  /** Lower-case, letters only: "phillip". */
  first: string;
  /** The surname, hyphens and apostrophes closed up: "florescuellar", "orourke". */
  last: string;
  /** Middle names and initials. */
  middle: string[];
};

/**
 * A person's name as identity matching compares it: "Gossett, Jeffrey C." and "Jeffrey C
 * Gossett" are { first: jeffrey, last: gossett, middle: [c] }. Brackets, quotes, accents, case
 * and suffixes do not count; a name of one word, an address, or a group's name is null.
 */
export function personName(raw: string | null | undefined): PersonName | null {
  if (!raw) return null;
  let s = raw.replace(/<[^>]*>?|\[[^\]]*\]|\([^)]*\)|["`]/g, ' ');
  if (s.includes('@')) return null;
  const comma = s.indexOf(',');
  if (comma > 0) {
    const [before, after] = [s.slice(0, comma), s.slice(comma + 1)];
    // "Smith, Jr." keeps its order; "Gossett, Jeffrey C." turns round.
    if (!SUFFIXES.has(after.trim().toLowerCase().replace(/\W/g, ''))) s = `${after} ${before}`;
  }
  const words = s
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/['’-]/g, '')
    .split(/[^a-z]+/)
    .filter((w) => w && !SUFFIXES.has(w));
  // A group's name, or two people's ("Roy and Loreli Ibasco").
  if (words.some((w) => GROUP_WORDS.has(w) || w === 'and') || s.includes('&')) return null;
  // Initials in front ("J. Robert Smith") go with the middle names.
  const lead = words.findIndex((w) => w.length > 1);
  if (lead < 0 || words.length - lead < 2) return null;
  const first = words[lead]!;
  const last = words.at(-1)!;
  if (last.length < 2) return null;
  return { first, last, middle: [...words.slice(0, lead), ...words.slice(lead + 1, -1)] };
}

/** "jeffrey gossett": the part of a name two records of one person share. */
export const nameKey = (n: PersonName) => `${n.first} ${n.last}`;

/**
 * Whether an address's local part spells this person's name the way addresses are made:
 * first.last, flast, firstl, lastf, last.first, with a middle initial or digits
 * ("phillip.k.allen", "pallen70", "harrysarora", "jane_m_tholt").
 */
export function localPartSpells(email: string, n: PersonName): boolean {
  const local = (email.split('@')[0] ?? '').toLowerCase().replace(/[^a-z]/g, '');
  const { first, last } = n;
  const f = first[0]!;
  const shapes = [
    first + last,
    f + last,
    first + last[0],
    last + first,
    last + f,
    ...n.middle.map((m) => m[0]).flatMap((m) => [first + m + last, f + m + last]),
  ];
  if (shapes.includes(local)) return true;
  // Any one-letter middle initial ("harrysarora" for Harry S. Arora).
  return local.length === first.length + last.length + 1
    ? local.startsWith(first) && local.endsWith(last)
    : local.length === last.length + 2 && local.startsWith(f) && local.endsWith(last);
}
