import { cleanDisplayName, nameTokens as words, nameWordAgrees } from './display-name';

export type NameChoice = {
  name: string | null;
  confidence: number;
  source: 'signature' | 'header' | 'address' | null;
};

/** "jeff.dasovich" → "Jeff Dasovich": a guess from the address, only when nothing better exists. */
export function nameFromLocalPart(email: string): string | null {
  const local = email.split('@')[0]!.replace(/\d+/g, '');
  const parts = local.split(/[._-]+/).filter((p) => p.length >= 2);
  if (parts.length < 2 || parts.length > 3) return null;
  return parts.map((p) => p[0]!.toUpperCase() + p.slice(1).toLowerCase()).join(' ');
}

/** Lower-case words inside a name ("Guido van Rossum", "Maria de la Cruz"). */
const PARTICLES = new Set('van von der den de da di del della la le du bin ibn al el y'.split(' '));
/** Words of a sentence, never of a name ("For now", "The Time", "That's angle as in geometry"). */
const FUNCTION_WORDS = new Set(
  "the for and of as in to is are was now not this that's it's my your our at on with from by".split(
    ' ',
  ),
);

/** Written as a name: each word capitalised (or a particle), none a sentence's word. */
function nameShaped(name: string) {
  return name.split(/\s+/).every((w) => {
    const lower = w.toLowerCase();
    if (PARTICLES.has(w)) return true;
    // "From:mr. Desmond Stevens", "To: Jordan": a header line, not a name.
    return /^\p{Lu}/u.test(w) && !FUNCTION_WORDS.has(lower) && !w.includes(':');
  });
}

/**
 * The person's name: as they sign it when the signature agrees with the header or the
 * address, else the cleaned header name, else a low-confidence guess from the address. Where
 * the header gives a full name, a signed name must share one of its words ("Tim Peters" is not
 * "Tied 16 Times", though "times" starts like "tim").
 */
export function choosePersonName(input: {
  email: string;
  headerName: string | null;
  signatureName: string | null;
}): NameChoice {
  const header = cleanDisplayName(input.headerName, input.email);
  const sig = input.signatureName ? cleanDisplayName(input.signatureName) : null;
  if (sig && nameShaped(sig)) {
    const sigWords = words(sig);
    const headerWords = header ? words(header) : [];
    const evidence = new Set([...headerWords, ...words(input.email.split('@')[0]!)]);
    const local = input.email.split('@')[0]!.toLowerCase();
    // A header that names the sender (its words agree with the address), not a company or a
    // nickname ("Synteligent Properties", "Rodent of Unusual Size").
    const localWords = new Set(words(local));
    const headerNamesSender =
      headerWords.length >= 2 &&
      headerWords.some(
        (w) => nameWordAgrees(w, localWords, local) || (w.length >= 3 && local.includes(w)),
      );
    const agrees = headerNamesSender
      ? sigWords.some((w) => headerWords.includes(w))
      : sigWords.some(
          (w) => nameWordAgrees(w, evidence, local) || (w.length >= 3 && local.includes(w)),
        );
    // A signed name at least as complete as the header's wins ("Kim Godfrey" over "Godfrey, Kim").
    if (agrees && sigWords.length >= 2 && sigWords.length <= 5) {
      return { name: sig, confidence: 0.9, source: 'signature' };
    }
  }
  if (header && words(header).length >= 1)
    return { name: header, confidence: 0.7, source: 'header' };
  const guess = nameFromLocalPart(input.email);
  return guess
    ? { name: guess, confidence: 0.3, source: 'address' }
    : { name: null, confidence: 0, source: null };
}
