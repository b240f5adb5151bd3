/**
 * A person's name from a header display name: "Dasovich, Jeff" → "Jeff Dasovich", quotes and
 * stray brackets removed, ALL CAPS or all-lower words capitalised; null when it is really an
 * address or a role.
 */
export function cleanDisplayName(raw: string | null | undefined, email?: string): string | null {
  if (!raw) return null;
  let name = raw
    .replace(/<[^>]*>?/g, ' ')
    .replace(/["`]+/g, ' ')
    .replace(/^\s*'+|'+\s*$/g, ' ')
    .replace(/\([^)]*\)/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[,;:.\s-]+|[,;:\s-]+$/g, '');
  // Addresses, obfuscated ones too ("gbolcer at endeavors.com"), are not names.
  if (
    !name ||
    name.includes('@') ||
    /\s(at|@)\s+\S+\.[a-z]{2,}$/i.test(name) ||
    /^[\d\W_]+$/.test(name)
  ) {
    return null;
  }
  const comma = name.split(',');
  if (
    comma.length === 2 &&
    comma[0]!.trim() &&
    comma[1]!.trim() &&
    !/\b(inc|llc|ltd|co)\b/i.test(name)
  ) {
    name = `${comma[1]!.trim()} ${comma[0]!.trim()}`;
  }
  const words = name.split(' ');
  const shouting = name === name.toUpperCase() && /[A-Z]{3}/.test(name);
  const whisper = name === name.toLowerCase();
  if (shouting || whisper) {
    name = words
      .map((w) =>
        w.length <= 1 ? w.toUpperCase() : w[0]!.toUpperCase() + w.slice(1).toLowerCase(),
      )
      .join(' ');
  }
  if (email && name.toLowerCase() === email.split('@')[0]!.toLowerCase()) return null;
  return name;
}

/** Lower-case, accent-free word tokens of a name (two letters or more), for comparing names. */
export function nameTokens(s: string): string[] {
  return s
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .split(/[^a-z]+/)
    .filter((w) => w.length >= 2);
}
