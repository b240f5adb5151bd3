/**
 * The sender's own text: quoted replies, forwarded blocks, list footers and legal disclaimers
 * cut away, so what is left ends with the sender's own sign-off and signature.
 *
 * `^\s*` crosses newlines: tried at every line of a long run of blank lines, it scanned the rest
 * of the run each time (minutes for one message). `LEAD` tries it only at the first line of a
 * run, where the leftmost match starts anyway; the Lotus Notes lines cross one line break.
 */
const LEAD = String.raw`^(?<!\n[^\S\n]*\n)\s*`;
const marker = (rest: string) => new RegExp(LEAD + rest, 'im');
/** Blanks across at most one blank line (where `\s+` crossed any number). */
const GAP = String.raw`(?:[^\S\n]+|[^\S\n]*(?:\n[^\S\n]*){1,2})`;

const CUT_MARKERS: RegExp[] = [
  marker(String.raw`-{2,}\s*Original Message\s*-{2,}`),
  marker(String.raw`-{3,}\s*Forwarded by\b`),
  marker(String.raw`-{3,}\s*(Forwarded|Begin forwarded) message`),
  marker('Begin forwarded message:'),
  // cc:Mail and early Lotus clients: "_____Reply Separator_____" above the quoted message
  marker(String.raw`_{3,}\s*Reply Separator\s*_{3,}`),
  // "On Mon, May 14, 2001 at 10:00 AM, Dana <d@x.com> wrote:" (possibly wrapped onto 2 lines)
  marker(
    String.raw`On\b[^\n]{0,200}(\n[^\n]{0,200})?\b(wrote|writes|schrieb|a écrit|escribió|scrisse):?\s*$`,
  ),
  // Outlook: "From: … / Sent: …" header block of the quoted message
  marker(String.raw`From:\s.+\n\s*(Sent|Date):\s.+`),
  // Lotus Notes (Enron): "Jeff Dasovich@ENRON on 05/14/2001 10:00 AM" or "… 05/14/2001 10:00 AM"
  new RegExp(
    String.raw`^[^\n]{2,80}${GAP}on${GAP}\d{1,2}\/\d{1,2}\/\d{2,4}\s+\d{1,2}:\d{2}(:\d{2})?\s*(AM|PM)?\s*$`,
    'im',
  ),
  /^[^\n]{2,80}\n(?:[^\S\n]*\n)?[^\S\n]*\d{1,2}\/\d{1,2}\/\d{2,4}\s+\d{1,2}:\d{2}\s*(AM|PM)\s*$/im,
  // Mailing-list footers and list sponsors' ads
  /^_{20,}\s*\n[^\n]*(mailing list|@|https?:\/\/)/im,
  /^-{20,}\s*\n[^\n]*\b(sponsored by|advertisement)/im,
  /^--\s*\n[^\n]*(mailing list|users'? group|listinfo|mailman|unsubscribe)/im,
  marker(String.raw`To unsubscribe\b`),
];

const DISCLAIMER =
  /^[^\n]*\b(confidential|privileged|intended (solely )?(only )?for|intended recipient|this (e-?mail|message) (and any|may contain|is))/im;

export function ownText(text: string | null | undefined): string {
  if (!text) return '';
  let body = text.replace(/\r\n?/g, '\n');
  let cut = body.length;
  for (const re of CUT_MARKERS) {
    const m = re.exec(body);
    if (m && m.index < cut && m.index > 0) cut = m.index;
  }
  body = body.slice(0, cut);
  // A trailing block of quoted ("> ") lines is someone else's text.
  const lines = body.split('\n');
  let end = lines.length;
  while (end > 0 && (/^\s*>/.test(lines[end - 1]!) || lines[end - 1]!.trim() === '')) end--;
  body = lines.slice(0, end).join('\n');
  // A disclaimer in the last part of the message.
  const tailStart = Math.max(0, body.length - 1500);
  const d = DISCLAIMER.exec(body.slice(tailStart));
  if (d && tailStart + d.index > 0) body = body.slice(0, tailStart + d.index);
  return body.trimEnd();
}
