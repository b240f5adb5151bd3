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
/**
 * Does a name word agree with what is known of its sender: a word of the header name (or of
 * the address), a prefix of one, or the start of the address's local part? Local parts are
 * often cut names ("kislince" for Cynthia E. Kisling, "brinconsult" for Marcy Brinegar): a
 * five-letter prefix anywhere in it, or a four-letter one that starts it, agrees.
 */
export function nameWordAgrees(word: string, known: Set<string>, local: string): boolean {
  if (known.has(word)) return true;
  if (word.length < 3) return false;
  for (const k of known)
    if (k.length >= 3 && (word.startsWith(k) || k.startsWith(word))) return true;
  if (word.length >= 4 && local.includes(word.slice(0, 5))) return true;
  return word.length >= 5 && local.startsWith(word.slice(0, 4));
}

export function nameTokens(s: string): string[] {
  return s
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .split(/[^a-z]+/)
    .filter((w) => w.length >= 2);
}
