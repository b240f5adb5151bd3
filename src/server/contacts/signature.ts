import { findNumbers, type CountryCode } from 'libphonenumber-js';
import { cleanDisplayName, nameTokens as tokens, nameWordAgrees as agrees } from './display-name';
import { ownText } from './reply-zones';
import { getDomainWithoutSuffix } from 'tldts';
import {
  CITY_STATE_ZIP,
  DEPARTMENT,
  EMAIL_RE,
  OBFUSCATED_EMAIL,
  STRONG_ORG,
  WEAK_ORG,
  PHONE_LABELS,
  PHONE_SUFFIX_LABELS,
  SENIORITY,
  SIGN_OFF,
  GREETING,
  NEVER_IN_A_NAME,
  STREET,
  TITLE_WORDS,
  URL_RE,
} from './signature-patterns';

export type PhoneKind = 'office' | 'mobile' | 'fax' | 'home' | 'pager' | 'voicemail' | 'unknown';
export type SignaturePhone = {
  raw: string;
  e164: string | null;
  digits: string;
  extension: string | null;
  type: PhoneKind;
};
export type SignatureFields = {
  name: string | null;
  title: string | null;
  company: string | null;
  phones: SignaturePhone[];
  links: { linkedin: string[]; twitter: string[]; websites: string[] };
  postalAddress: string | null;
  /** The lines read as the signature (for display and debugging). */
  block: string[];
};

const MAX_LINE = 2000;
/** A signature is read from the last this many cells (lines, or cells of two-column lines). */
const SIGNATURE_LINES = 16;

const EMPTY: SignatureFields = {
  name: null,
  title: null,
  company: null,
  phones: [],
  links: { linkedin: [], twitter: [], websites: [] },
  postalAddress: null,
  block: [],
};

const CC_TLD: Record<string, CountryCode> = {
  uk: 'GB',
  ie: 'IE',
  de: 'DE',
  fr: 'FR',
  es: 'ES',
  it: 'IT',
  nl: 'NL',
  be: 'BE',
  ch: 'CH',
  at: 'AT',
  se: 'SE',
  no: 'NO',
  dk: 'DK',
  fi: 'FI',
  au: 'AU',
  nz: 'NZ',
  ca: 'CA',
  in: 'IN',
  br: 'BR',
  mx: 'MX',
  jp: 'JP',
  il: 'IL',
  za: 'ZA',
  pl: 'PL',
  pt: 'PT',
};

/** Name tokens the sender is known by: the header name, else the address's local part. */
function senderTokens(sender: { email: string; name: string | null }) {
  const fromName = sender.name ? tokens(cleanDisplayName(sender.name) ?? sender.name) : [];
  const local = tokens(sender.email.split('@')[0]!.replace(/\d+/g, ' '));
  return new Set([...fromName, ...local.filter((t) => t.length >= 3)]);
}

/** The distinctive label of the sender's domain ("er.oge.com" → "oge"), for company lines. */
function companyLabel(email: string) {
  const label = getDomainWithoutSuffix(email.split('@')[1] ?? '');
  return label ? (tokens(label)[0] ?? null) : null;
}

function isPhoneLine(line: string) {
  return /\d{3}\D{0,3}\d{3,4}\D{0,2}\d{0,4}/.test(line) && (line.match(/\d/g)?.length ?? 0) >= 7;
}

/** A short line that names the sender (it agrees with the header or the address). */
function nameLineScore(line: string, known: Set<string>, local: string): number {
  const stripped = line
    .replace(SIGN_OFF, '')
    .replace(/^[-–—~*\s]+/, '')
    .trim();
  // A quoted line (">…") is someone else's text; "To: Jordan" a header's.
  if (
    !stripped ||
    stripped.length > 100 ||
    stripped.startsWith('>') ||
    /^(from|to|cc|bcc|sent|date|subject|re)\s*:/i.test(stripped)
  )
    return 0;
  // The name is the line's first cell; the rest may hold a title or even a phone.
  const head = stripped.split(/[,|–—]|\s+-\s+/)[0]!;
  if (head.split(/\s+/).length > 5 || STRONG_ORG.test(head) || isPhoneLine(head)) return 0;
  // "Hi Don," opens the message; "I'll talk w/you later" is a sentence.
  if (GREETING.test(stripped) || NEVER_IN_A_NAME.test(head)) return 0;
  // Addresses, obfuscated ones too ("gbolcer at endeavors.com"), and links are not names.
  if (EMAIL_RE.test(head) || OBFUSCATED_EMAIL.test(head) || /https?:|www\./i.test(head)) {
    return 0;
  }
  const t = tokens(head);
  if (t.length === 0 || t.length > 5) return 0;
  const hits = t.filter((x) => agrees(x, known, local)).length;
  if (hits === 0) return 0;
  // Mostly capitalised words, like a name; a full name beats a first name alone.
  const caps = head.split(/\s+/).filter((w) => /^[A-Z]/.test(w)).length;
  return hits * 2 + (caps >= Math.min(2, t.length) ? 1 : 0) + (t.length >= 2 ? 1 : 0);
}

/**
 * Words of a sentence, never of a job title: pronouns, auxiliaries, "if"/"not". A line of a
 * signature's quip or of the message's prose ("The fellow from Alliant keeps calling me") can
 * hold a title word, not these.
 */
const SENTENCE_WORDS =
  /(^|[^\w'])(i|i'm|i'll|i've|i'd|you|you're|you'll|your|me|my|we're|our|us|he|she|his|her|they|their|them|it|it's|is|are|was|were|will|would|can|could|should|shall|have|has|had|do|does|did|don't|if|not|please|thanks|keeps?|see|try)(?![\w'])/i;

/** A job title, not a sentence that holds a title word: short, and none of a sentence's words. */
function titleLike(p: string) {
  // A numbered or bracketed line is a list item or an aside; a line that ends in a colon
  // introduces what follows ("Thus spake the master programmer:").
  return (
    p.split(/\s+/).length <= 9 && !SENTENCE_WORDS.test(p) && !/^[(\d]/.test(p) && !/:$/.test(p)
  );
}

/** A legal form on its own ("LLC", "Inc., the"): part of a name, never a name. */
const LEGAL_FORM_ALONE =
  /^(llc|l\.l\.c\.?|inc\.?|ltd\.?|corp\.?|llp|co\.?|plc|gmbh|s\.a\.?)\b[\s.,]*(the)?$/i;
/** Boilerplate of footers and ads, never an organisation's name. */
const NOT_AN_ORGANISATION =
  /copyright|©|all rights reserved|^subject:|^dear\b|-{3,}|[?:@]|\s!|\s\S*!$/i;

/**
 * Could name an organisation: a few words, not a sentence (its words, or a lowercase run of
 * them: "infinetivity, inc." is a name, "position and proposed solutions for …" the middle of
 * a sentence), not cut off after "and" or "of", not a legal form alone, not boilerplate.
 */
function nameOfOrganisation(p: string) {
  const words = p.split(/\s+/).length;
  return (
    words <= 8 &&
    !(/^[a-z]/.test(p) && words > 3) &&
    !SENTENCE_WORDS.test(p) &&
    !/\b(and|or|of|for|the|to|in|by|with|at|from)[\s,]*$/i.test(p) &&
    !LEGAL_FORM_ALONE.test(p.trim()) &&
    !NOT_AN_ORGANISATION.test(p) &&
    !OBFUSCATED_EMAIL.test(p)
  );
}

function cleanName(line: string) {
  let s = line
    .replace(SIGN_OFF, '')
    .replace(/^[-–—~*\s]+/, '')
    .trim();
  s = s.split(/\s*[,|–—]\s*|\s+-\s+/)[0]!;
  s = s.replace(/^(dr|mr|mrs|ms|miss|prof|professor|sir)\.?\s+/i, '');
  // Credentials after the name ("Ravi Thuraisingham, CFA").
  s = s.replace(/,?\s+\b(CFA|CPA|PhD|Ph\.D\.?|MBA|Esq\.?|P\.E\.|PE|MD|JD)\b\.?/g, '');
  return s.replace(/[,;:.]+$/, '').trim() || null;
}

function linkKind(url: string): 'linkedin' | 'twitter' | 'websites' {
  if (/linkedin\.com/i.test(url)) return 'linkedin';
  if (/(^|\/\/|\.)(twitter|x)\.com\//i.test(url)) return 'twitter';
  return 'websites';
}

const NOT_A_PHONE_LABEL = /\b(icq|uin|qq|pgp|key ?id|fingerprint)\b\s*(#|no\.?|id)?\s*:?\s*$/i;

function phonesIn(line: string, country: CountryCode): SignaturePhone[] {
  const out: SignaturePhone[] = [];
  for (const found of findNumbers(line, { defaultCountry: country, v2: true })) {
    const before = line.slice(0, found.startsAt);
    // Messenger ids ("ICQ# 11466242", "UIN: …") are numbers, not phones.
    if (NOT_A_PHONE_LABEL.test(before)) continue;
    const after = line.slice(found.endsAt);
    let type: PhoneKind = 'unknown';
    // The label nearest before the number (on its line), else one right after it.
    const lastLabel = before.split(/[,;|/]|\s{3,}|\d/).at(-1) ?? '';
    for (const [re, t] of PHONE_LABELS)
      if (re.test(lastLabel.trim() ? lastLabel : before)) {
        type = t;
        break;
      }
    if (type === 'unknown')
      for (const [re, t] of PHONE_SUFFIX_LABELS)
        if (re.test(after)) {
          type = t;
          break;
        }
    const ext = /^\s*[,-]?\s*(?:ext\.?|extension|x)\s*\.?\s*(\d{1,6})/i.exec(after);
    const e164 = found.number.number;
    out.push({
      raw: line.slice(found.startsAt, found.endsAt).trim(),
      e164,
      digits: e164.replace(/^\+/, ''),
      extension: found.number.ext ?? ext?.[1] ?? null,
      type,
    });
  }
  return out;
}

/**
 * Reads the sender's own signature: the quoted and forwarded parts are cut first, then the
 * sign-off block at the end — from a `--` line or the line where the sender names themself
 * (agreeing with the header or address) — gives name, title, company, phones (E.164, type,
 * extension), links and a postal address.
 */
export function extractSignature(
  text: string | null | undefined,
  sender: { email: string; name: string | null },
): SignatureFields {
  const own = ownText(text);
  if (!own) return EMPTY;
  // Only the last SIGNATURE_LINES cells are read, and each line gives at least one: the lines
  // above the last SIGNATURE_LINES are never looked at, so they are not split at all.
  let tailAt = own.length; // the line break above the lines read; -1: from the start
  for (let n = 0; n < SIGNATURE_LINES && tailAt >= 0; n++)
    tailAt = tailAt === 0 ? -1 : own.lastIndexOf('\n', tailAt - 1);
  // Two-column signatures ("Name            Company") read as one cell per line.
  const lines = own
    .slice(tailAt + 1)
    .split('\n')
    .flatMap((l) => (l.trim() ? l.trim().split(/\s{3,}|\t+/) : ['']))
    .map((l) => l.trim());
  const local = sender.email.split('@')[0]!.toLowerCase();
  const known = senderTokens(sender);
  const tailFrom = Math.max(0, lines.length - SIGNATURE_LINES);

  let start = -1;
  let nameIdx = -1;
  // The signature dash line first; a long rule only when there is none (rules also fence off
  // quips and footers below a signature).
  // A rule with nothing below it closes a framed signature: the one that opens it counts.
  let byRule = false;
  for (const delimiter of [/^--\s*$/, /^[_=*~-]{4,}\s*$/]) {
    let below = false;
    for (let i = lines.length - 1; i >= tailFrom && start < 0; i--) {
      if (delimiter.test(lines[i]!) && below) start = i + 1;
      else if (lines[i]!.trim() !== '' && !delimiter.test(lines[i]!)) below = true;
    }
    if (start >= 0) break;
    byRule = true;
  }
  const nameLineFrom = (from: number) => {
    let best = 0;
    let at = -1;
    for (let i = from; i < lines.length; i++) {
      const score = nameLineScore(lines[i]!, known, local);
      if (score > best) {
        best = score;
        at = i;
      }
    }
    return at;
  };
  nameIdx = nameLineFrom(Math.max(tailFrom, start));
  // Below the delimiter no name, above it one: the signature starts there (a framed block
  // below the signature holds a slogan or an ad, framed by the rule that closes the signature).
  let end = lines.length;
  if (start >= 0 && nameIdx < 0) {
    const above = nameLineFrom(tailFrom);
    if (above >= 0 && above < start) {
      // A rule closes the signature; under a "--" line is the signature's own part.
      if (byRule) end = start - 1;
      start = nameIdx = above;
    }
  }
  if (start < 0 && nameIdx >= 0) start = nameIdx;
  if (start < 0) {
    // No name and no delimiter: the last paragraph, if it looks like contact details.
    let i = lines.length - 1;
    while (i > tailFrom && lines[i - 1]!.trim() !== '') i--;
    const para = lines.slice(i);
    if (para.length <= 8 && para.some(isPhoneLine)) start = i;
  }
  if (start < 0) return EMPTY;
  const block = lines.slice(start, Math.min(end, start + 14)).filter((l) => l.trim() !== '');
  if (block.length === 0) return EMPTY;

  const tld = sender.email.split('.').at(-1)!.toLowerCase();
  const country = CC_TLD[tld] ?? 'US';
  const fields: SignatureFields = {
    ...EMPTY,
    phones: [],
    links: { linkedin: [], twitter: [], websites: [] },
    block,
  };

  const nameLine = nameIdx >= start ? lines[nameIdx]! : null;
  // What follows the name on its line ("Dana Scully | Head of Partnerships, Acme LLC") is read
  // like the lines below it.
  let nameRest = '';
  if (nameLine) {
    fields.name = cleanName(nameLine);
    const withoutSignOff = nameLine.replace(SIGN_OFF, '');
    const cut = withoutSignOff.search(/\s*[|–—]\s*|\s+-\s+|,\s+/);
    nameRest =
      cut >= 0
        ? withoutSignOff
            .slice(cut)
            .replace(/^\s*[|–—,-]\s*/, '')
            .trim()
        : '';
    if (/^(CFA|CPA|PhD|Ph\.D\.?|MBA|Esq\.?|P\.E\.|PE|MD|JD)\b/.test(nameRest)) nameRest = '';
  }

  const readLinks = (line: string) => {
    for (const url of line.match(URL_RE) ?? []) {
      const clean = url.replace(/[.,;>]+$/, '');
      fields.links[linkKind(clean)].push(clean);
    }
    URL_RE.lastIndex = 0;
  };
  // The sender's slogan or ad framed below a closed signature: its links are the sender's.
  for (const line of lines.slice(end)) if (line.length <= MAX_LINE) readLinks(line);

  const addressParts: string[] = [];
  const domainLabel = companyLabel(sender.email);
  const orgScore = (p: string) => {
    let score = 0;
    if (domainLabel) {
      // The address's domain names the organisation: "Enron …", "Marigold Foods" for
      // marigoldfoods.com, "Kestrel Security" for kestrelsec.com.
      const t = tokens(p);
      if (t.includes(domainLabel) || t.join('') === domainLabel) score += 3;
      else if (t[0] && t[0].length >= 4 && domainLabel.startsWith(t[0])) score += 2;
    }
    if (STRONG_ORG.test(p)) score += 2;
    if (WEAK_ORG.test(p)) score += 1;
    if (/^[A-Z&]{2,6}\.?$/.test(p)) score += 2; // an acronym: "ENA", "FHS"
    if (DEPARTMENT.test(p)) score -= 3;
    if (/\d/.test(p) || TITLE_WORDS.test(p)) score -= 2;
    return score;
  };
  /** "John" signed under a note: the sender's own name (or address), unless it is the domain's. */
  const sendersOwnName = (p: string) => {
    const t = tokens(p);
    return (
      t.length > 0 && t.every((x) => known.has(x)) && !(domainLabel && t.includes(domainLabel))
    );
  };
  const companies: { text: string; score: number; order: number }[] = [];
  let order = 0;
  let lastKind: 'name' | 'title' | 'other' = 'other';
  for (const raw of block) {
    const line = raw === nameLine ? nameRest : raw;
    // "-- WOP, \"War Games\"" or "…the line\" - FLC, \"Bear Hug\"": the source of a quote; or a
    // dashed sign-off ("-- sidney").
    const attribution = /^(--|[—–])\s*\S|["”]\s+(--?|[—–])\s*\S/.test(raw);
    if (raw === nameLine) lastKind = 'name';
    // Signature lines are short; a long one is prose or garbage, and its phone and link search
    // would cost seconds.
    if (!line || line.length > MAX_LINE) continue;
    readLinks(line);
    // Cells of one line ("Gregory Bolcer, CTO | work: +1.949…", "Robin Frank---Director of
    // Operations---Paradigm-Omega") are read one by one.
    for (const cell of line.split(/\s*\|\s*|\s+[-–—]\s+|\s*-{3,}\s*/)) {
      const p = cell
        .trim()
        .replace(/^[-–—•*\s]+/, '')
        .replace(/[,;]$/, '')
        .trim();
      if (!p) continue;
      if (isPhoneLine(p)) {
        fields.phones.push(...phonesIn(p, country));
        lastKind = 'other';
        continue;
      }
      const hasUrl = URL_RE.test(p);
      URL_RE.lastIndex = 0;
      if (EMAIL_RE.test(p) || hasUrl || p.length > 80) continue;
      if (STREET.test(p) || CITY_STATE_ZIP.test(p)) {
        addressParts.push(p.replace(/\s{2,}/g, ' '));
        lastKind = 'other';
        continue;
      }
      if (attribution) {
        lastKind = 'other';
        continue;
      }
      const [head, ...rest] = p.split(/,\s+/);
      const tail = rest.join(', ');
      const titled = TITLE_WORDS.test(head!) || SENIORITY.test(head!);
      if (!fields.title && titled && orgScore(head!) <= 0 && titleLike(p)) {
        // "Senior Counsel, ENA" / "Head of Partnerships, Northwind Traders": a company after
        // the comma; "Director, Enterprise Services": a department, part of the title.
        if (tail && orgScore(tail) >= 2) {
          fields.title = head!;
          companies.push({ text: tail, score: orgScore(tail), order: order++ });
        } else fields.title = p;
        lastKind = 'title';
        continue;
      }
      // "Laboratory of Molecular Biophysics, Oxford University": each piece may be the company,
      // but a legal form is never one on its own ("Mercator Partners, LLC").
      const pieces = rest.length && !LEGAL_FORM_ALONE.test(tail.trim()) ? [head!, tail] : [];
      for (const [k, piece] of [p, ...pieces].entries()) {
        // Right under the name or title, a capitalised line is likely the organisation.
        const underName =
          k === 0 &&
          lastKind !== 'other' &&
          /^[A-Z][\w&'.-]*(\s+[A-Z&][\w&'.,-]*){0,5}$/.test(piece);
        const score = orgScore(piece) + (underName ? 1 : 0) - (k > 0 ? 0.5 : 0);
        if (score >= 1 && nameOfOrganisation(piece) && !sendersOwnName(piece)) {
          companies.push({ text: piece, score, order: order++ });
        }
      }
      lastKind = 'other';
    }
  }
  const company = companies.sort((a, b) => b.score - a.score || b.order - a.order)[0];
  // "Merit Solutions Ltd. (Dublin)": the office in brackets is not part of the name.
  if (company) fields.company = company.text.replace(/\s*\([^)]*\)\s*$/, '').trim();
  if (addressParts.length) fields.postalAddress = addressParts.join(', ');
  return fields;
}
