/**
 * The sender's own text: quoted replies, forwarded blocks, list footers and legal disclaimers
 * cut away, so what is left ends with the sender's own sign-off and signature.
 *
 * `^\s*` crosses newlines: tried at every line of a long run of blank lines, it scanned the rest
 * of the run each time (minutes for one message). `LEAD` tries it only at the first line of a
 * run, where the leftmost match starts anyway; the Lotus Notes lines cross one line break.
 */
const LEAD = String.raw`^(?<!\n[^\S\n]*\n)\s*`;
/** Blanks across at most one blank line (where `\s+` crossed any number). */
const GAP = String.raw`(?:[^\S\n]+|[^\S\n]*(?:\n[^\S\n]*){1,2})`;

/** Quoted-reply and forward openers, each tried where a run of lines starts (LEAD). */
const REPLY_MARKERS = [
  String.raw`-{2,}\s*Original Message\s*-{2,}`,
  String.raw`-{3,}\s*Forwarded by\b`,
  String.raw`-{3,}\s*(Forwarded|Begin forwarded) message`,
  'Begin forwarded message:',
  // cc:Mail and early Lotus clients: "_____Reply Separator_____" above the quoted message
  String.raw`_{3,}\s*Reply Separator\s*_{3,}`,
  // "On Mon, May 14, 2001 at 10:00 AM, Dana <d@x.com> wrote:" (possibly wrapped onto 2 lines)
  String.raw`On\b[^\n]{0,200}(\n[^\n]{0,200})?\b(wrote|writes|schrieb|a écrit|escribió|scrisse):?\s*$`,
  // Outlook: "From: … / Sent: …" header block of the quoted message
  String.raw`From:\s.+\n\s*(Sent|Date):\s.+`,
];
/** The openers, and a list footer's start. */
const LEAD_MARKERS = [...REPLY_MARKERS, String.raw`To unsubscribe\b`];

/** Lotus Notes (Enron) attributions, which hold a date and time: "… 05/14/2001 10:00 AM". */
const DATE_TIME = String.raw`\d{1,2}\/\d{1,2}\/\d{2,4}\s+\d{1,2}:\d{2}`;
const LOTUS_MARKERS: { re: RegExp; linesBefore: number }[] = [
  // "Jeff Dasovich@ENRON on 05/14/2001 10:00 AM": the date at most 4 line breaks below the start
  {
    re: new RegExp(
      String.raw`^[^\n]{2,80}${GAP}on${GAP}${DATE_TIME}(:\d{2})?\s*(AM|PM)?\s*$`,
      'gim',
    ),
    linesBefore: 4,
  },
  // "Jeff Dasovich" / "05/14/2001 10:00 AM": the date at most 2 line breaks below the start
  {
    re: /^[^\n]{2,80}\n(?:[^\S\n]*\n)?[^\S\n]*\d{1,2}\/\d{1,2}\/\d{2,4}\s+\d{1,2}:\d{2}\s*(AM|PM)\s*$/gim,
    linesBefore: 2,
  },
];
const ANY_DATE_TIME = new RegExp(DATE_TIME);

/** Mailing-list footers and list sponsors' ads, each with a literal its rule needs. */
const FOOTER_MARKERS: { re: RegExp; needs: string }[] = [
  { re: /^_{20,}\s*\n[^\n]*(mailing list|@|https?:\/\/)/im, needs: '_'.repeat(20) },
  { re: /^-{20,}\s*\n[^\n]*\b(sponsored by|advertisement)/im, needs: '-'.repeat(20) },
  { re: /^--\s*\n[^\n]*(mailing list|users'? group|listinfo|mailman|unsubscribe)/im, needs: '--' },
];

/** Each opener alone, and all of them in one pass (where the first match of any starts). */
const LEAD_EACH = LEAD_MARKERS.map((m) => new RegExp(LEAD + m, 'im'));
const LEAD_ANY = new RegExp(`${LEAD}(?:${LEAD_MARKERS.map((m) => `(?:${m})`).join('|')})`, 'im');
/** A reply or forward opener, or a quoted ("> ") line. */
const REPLY_ANY = new RegExp(
  `${LEAD}(?:${REPLY_MARKERS.map((m) => `(?:${m})`).join('|')})|^[^\\S\\n]*>`,
  'im',
);

/** Where someone else's text (a quoted, replied-to or forwarded message) starts; -1: nowhere. */
export function othersTextStart(body: string): number {
  return REPLY_ANY.exec(body)?.index ?? -1;
}

/** Every marker on its own, as quoteStart's definition reads (its tests compare the two). */
export const EACH_QUOTE_MARKER: RegExp[] = [
  ...LEAD_EACH,
  ...LOTUS_MARKERS.map(({ re }) => new RegExp(re.source, 'im')),
  ...FOOTER_MARKERS.map(({ re }) => re),
];

/**
 * Where the quoted, forwarded or footer part starts: the earliest first match of any marker,
 * a marker whose first match opens the text being ignored (the text is all quote: keep it).
 * The same as trying every marker over the whole text, done with fewer passes: the openers in
 * one (a pass finds the leftmost match of any of them, which is the earliest first match unless
 * one matches at 0, when each is tried alone), the Lotus lines only from a few lines above the
 * first date and time (they hold one), the footers only when their rule is in the text.
 */
export function quoteStart(body: string): number {
  let cut = body.length;
  const consider = (index: number | undefined) => {
    if (index !== undefined && index > 0 && index < cut) cut = index;
  };
  const any = LEAD_ANY.exec(body);
  if (any?.index === 0) for (const re of LEAD_EACH) consider(re.exec(body)?.index);
  else consider(any?.index);
  const date = ANY_DATE_TIME.exec(body);
  if (date) {
    for (const { re, linesBefore } of LOTUS_MARKERS) {
      let from = date.index;
      for (let n = 0; n <= linesBefore && from > 0; n++) from = body.lastIndexOf('\n', from - 1);
      re.lastIndex = Math.max(0, from);
      consider(re.exec(body)?.index);
    }
  }
  for (const { re, needs } of FOOTER_MARKERS)
    if (body.includes(needs)) consider(re.exec(body)?.index);
  return cut;
}

/** Words of a legal disclaimer; the disclaimer starts with the line that holds the first. */
const DISCLAIMER =
  /\b(confidential|privileged|intended (solely )?(only )?for|intended recipient|this (e-?mail|message) (and any|may contain|is))/i;

/** The armour header: its line, its "Hash: …" lines and the blank line below them. */
const PGP_SIGNED =
  /^-----BEGIN PGP SIGNED MESSAGE-----[^\S\n]*\n(?:[A-Za-z]+:[^\n]*\n)*(?:[^\S\n]*\n)?/m;
const PGP_SIGNATURE =
  /^-----BEGIN PGP SIGNATURE-----[^]*?(?:^-----END PGP SIGNATURE-----[^\S\n]*$|(?![^]))/m;

/**
 * OpenPGP clear-signed text (RFC 4880 section 7) as its sender wrote it: the armour header and
 * the signature block taken out, and the dash-escaping undone ("- -- " is the sender's "-- "
 * signature line). Text quoted from a signed message ("> -----BEGIN…") is left alone.
 */
export function withoutPgpArmour(body: string): string {
  if (!body.includes('-----BEGIN PGP SIGN')) return body;
  const head = PGP_SIGNED.exec(body);
  const sig = PGP_SIGNATURE.exec(body);
  if (!head && !sig) return body;
  const from = head ? head.index + head[0].length : 0;
  const to = sig && sig.index >= from ? sig.index : body.length;
  // Only text under the armour header was dash-escaped.
  const signed = head ? body.slice(from, to).replace(/^- /gm, '') : body.slice(from, to);
  const after = sig && sig.index >= from ? body.slice(sig.index + sig[0].length) : '';
  return body.slice(0, head?.index ?? 0) + signed + after;
}

/**
 * Attachment placeholders a client leaves at the end of the text: Outlook's "<<report.pdf>>"
 * and the " - report.pdf" lines of Enron's archive.
 */
const ATTACHMENT_LINE =
  /^\s*(?:<<[^<>\n]{1,200}>>|-\s+[^\n]{1,200}\.(?:pdf|docx?|xlsx?|xls|pptx?|txt|rtf|csv|zip|jpe?g|gif|png|tiff?|bmp|html?|msg|eml|wpd|vcf|mpp|ps))\s*$/i;

export function ownText(text: string | null | undefined): string {
  if (!text) return '';
  let body = text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
  body = withoutPgpArmour(body);
  body = body.slice(0, quoteStart(body));
  // A trailing block of quoted ("> ") lines is someone else's text, and attachment
  // placeholders below the signature are no part of it.
  const lines = body.split('\n');
  let end = lines.length;
  while (
    end > 0 &&
    (/^\s*>/.test(lines[end - 1]!) ||
      lines[end - 1]!.trim() === '' ||
      ATTACHMENT_LINE.test(lines[end - 1]!))
  )
    end--;
  body = lines.slice(0, end).join('\n');
  // A disclaimer in the last part of the message.
  const tailStart = Math.max(0, body.length - 1500);
  const d = DISCLAIMER.exec(body.slice(tailStart));
  if (d) {
    // The start of its line, or of the tail when the line began before it.
    const at = tailStart + body.slice(tailStart, tailStart + d.index).lastIndexOf('\n') + 1;
    if (at > 0) body = body.slice(0, at);
  }
  return body.trimEnd();
}
