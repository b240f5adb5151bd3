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

/**
 * The person's name: as they sign it when the signature agrees with the header or the
 * address, else the cleaned header name, else a low-confidence guess from the address.
 */
export function choosePersonName(input: {
  email: string;
  headerName: string | null;
  signatureName: string | null;
}): NameChoice {
  const header = cleanDisplayName(input.headerName, input.email);
  const sig = input.signatureName ? cleanDisplayName(input.signatureName) : null;
  if (sig) {
    const sigWords = words(sig);
    const evidence = new Set([
      ...(header ? words(header) : []),
      ...words(input.email.split('@')[0]!),
    ]);
    const local = input.email.split('@')[0]!.toLowerCase();
    const agrees = sigWords.some(
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
