import { sql } from 'drizzle-orm';
import { rowsOf, type DbOrTx } from '@/server/db/client';

type ExportRow = {
  name: string | null;
  email: string;
  addresses: string[] | null;
  company: string | null;
  title: string | null;
  phones: { number: string; type?: string; extension?: string | null }[];
  links: { linkedin?: string | null; x?: string | null; websites?: string[] };
  location: string | null;
  tags: string[];
  notes: string | null;
  is_human: boolean;
  sent: number | null;
  received: number | null;
  last: string | Date | null;
  strength: number | null;
};

async function rows(db: DbOrTx, userId: string): Promise<ExportRow[]> {
  return rowsOf<ExportRow>(
    await db.execute(sql`
      SELECT c.name, c.email,
             (SELECT array_agg(e.email ORDER BY e.email) FROM contact_emails e WHERE e.contact_id = c.id AND e.user_id = ${userId}) AS addresses,
             c.company, c.title, c.phones, c.links, c.location, c.tags, c.notes, c.is_human,
             s.emails_sent AS sent, s.emails_received AS received, s.last_interaction_at AS last, s.strength_score AS strength
        FROM contacts c LEFT JOIN contact_stats s ON s.contact_id = c.id
       WHERE c.user_id = ${userId} AND NOT c.hidden
       ORDER BY coalesce(s.strength_score, 0) DESC, c.email`),
  );
}

/** One CSV cell (RFC 4180), with spreadsheet formulas defused. */
export function csvCell(v: unknown) {
  let s = v === null || v === undefined ? '' : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const COLUMNS = [
  'name',
  'email',
  'other_emails',
  'company',
  'title',
  'phones',
  'linkedin',
  'x',
  'websites',
  'location',
  'tags',
  'notes',
  'person',
  'emails_sent',
  'emails_received',
  'last_email',
  'strength',
];

export async function contactsCsv(db: DbOrTx, userId: string) {
  const lines = [COLUMNS.join(',')];
  for (const r of await rows(db, userId)) {
    lines.push(
      [
        r.name,
        r.email,
        (r.addresses ?? []).filter((a) => a !== r.email).join(' '),
        r.company,
        r.title,
        r.phones
          .map(
            (p) =>
              `${p.number}${p.extension ? ` x${p.extension}` : ''}${p.type ? ` (${p.type})` : ''}`,
          )
          .join('; '),
        r.links.linkedin,
        r.links.x,
        (r.links.websites ?? []).join(' '),
        r.location,
        r.tags.join('; '),
        r.notes,
        r.is_human ? 'yes' : 'no',
        r.sent ?? 0,
        r.received ?? 0,
        r.last ? new Date(r.last).toISOString() : '',
        r.strength === null ? '' : Math.round(r.strength),
      ]
        .map(csvCell)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

/**
 * vCard 3.0 text value escaping. Every line break (CR, LF, CRLF, NEL, Unicode separators) becomes
 * the escaped `\n`, and other control characters a space: a bare CR in a note would otherwise
 * end the property, and what followed (`END:VCARD`, `BEGIN:VCARD`, …) would be read as cards.
 */
export const vcardText = (s: string) =>
  s
    .replace(/\\/g, '\\\\')
    .replace(/\r\n|[\r\n\u0085\u2028\u2029]/g, '\n')
    .replace(/\p{Cc}/gu, (c) => (c === '\n' ? c : ' '))
    .replace(/\n/g, '\\n')
    .replace(/([,;])/g, '\\$1');

/** Folds a content line at 75 octets, as vCard requires. */
function fold(line: string) {
  const out: string[] = [];
  let cur = '';
  for (const ch of line) {
    if (Buffer.byteLength(cur + ch) > 75) {
      out.push(cur);
      cur = ` ${ch}`;
    } else cur += ch;
  }
  out.push(cur);
  return out.join('\r\n');
}

const TEL_TYPE: Record<string, string> = {
  office: 'WORK',
  mobile: 'CELL',
  fax: 'FAX',
  home: 'HOME',
};

export async function contactsVcf(db: DbOrTx, userId: string) {
  const cards: string[] = [];
  for (const r of await rows(db, userId)) {
    if (!r.is_human) continue;
    const name = r.name ?? r.email;
    const parts = name.split(/\s+/);
    const lines = [
      'BEGIN:VCARD',
      'VERSION:3.0',
      `FN:${vcardText(name)}`,
      `N:${vcardText(parts.length > 1 ? parts.at(-1)! : '')};${vcardText(parts.length > 1 ? parts.slice(0, -1).join(' ') : name)};;;`,
      ...[r.email, ...(r.addresses ?? []).filter((a) => a !== r.email)].map(
        (e, i) => `EMAIL;TYPE=INTERNET${i === 0 ? ',PREF' : ''}:${vcardText(e)}`,
      ),
      ...(r.company ? [`ORG:${vcardText(r.company)}`] : []),
      ...(r.title ? [`TITLE:${vcardText(r.title)}`] : []),
      ...r.phones.map(
        (p) =>
          `TEL;TYPE=${TEL_TYPE[p.type ?? ''] ?? 'VOICE'}:${vcardText(`${p.number}${p.extension ? `;ext=${p.extension}` : ''}`)}`,
      ),
      ...[r.links.linkedin, r.links.x, ...(r.links.websites ?? [])]
        .filter((u): u is string => Boolean(u))
        .map((u) => `URL:${vcardText(u)}`),
      ...(r.location ? [`ADR;TYPE=WORK:;;${vcardText(r.location)};;;;`] : []),
      ...(r.tags.length ? [`CATEGORIES:${r.tags.map(vcardText).join(',')}`] : []),
      ...(r.notes ? [`NOTE:${vcardText(r.notes)}`] : []),
      'END:VCARD',
    ];
    cards.push(lines.map(fold).join('\r\n'));
  }
  return cards.length ? `${cards.join('\r\n')}\r\n` : '';
}
