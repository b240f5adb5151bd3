import { sql } from 'drizzle-orm';
import { ownerAddresses } from '@/server/analytics/owner-addresses';
import { rowsOf, type DbOrTx } from '@/server/db/client';
import { localPartSpells, personName, type PersonName } from './name-key';
import { sameFirstName } from './nicknames';

type Candidate = { id: string; email: string; name: string | null };
type Evidence = {
  email: string;
  /** Mail in the owner's mailbox addressed to it that names none of the owner's known addresses. */
  reached: number;
  /** The owner's mail with it as the only other address, and how many are forwards or unsubjected. */
  alone: number;
  forwards: number;
  /** Its own mail, and how much of it went to the owner's addresses only. */
  sent: number;
  sentToOwner: number;
};

/** At most this many rounds: an alias found can be the evidence for the next (mail between them). */
const ROUNDS = 3;

/**
 * The owner's other addresses, found in their mail: an address whose local part spells the
 * owner's name (as the owner signs their own mail: "pallen70" for Phillip K Allen, see
 * localPartSpells), with evidence that it is theirs and not a namesake's —
 * - its display name is the owner's (the same surname, and the same first name or a short form);
 * - or mail reached the owner through it: mail in their mailbox addressed to it that names none
 *   of their known addresses;
 * - or the owner moves mail to it: at least twice the owner's only recipient, at least half of
 *   those forwards or without a subject;
 * - or all it ever sent went to the owner's addresses.
 * Returns the addresses (lower case) not yet known as the owner's.
 */
export async function recogniseOwnerAliases(db: DbOrTx, userId: string): Promise<string[]> {
  const names = await ownerNames(db, userId);
  if (names.length === 0) return [];
  const found: string[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const candidates = (await candidatesFor(db, userId, names)).filter(
      (c) => !found.includes(c.email) && names.some((n) => localPartSpells(c.email, n)),
    );
    if (candidates.length === 0) break;
    const evidence = new Map(
      (await evidenceFor(db, userId, candidates, found)).map((e) => [e.email, e]),
    );
    const more = candidates.filter((c) => {
      const e = evidence.get(c.email);
      const named = personName(c.name);
      const namedAsOwner =
        !!named && names.some((n) => n.last === named.last && sameFirstName(n.first, named.first));
      return (
        namedAsOwner ||
        (!!e &&
          (e.reached > 0 ||
            (e.alone >= 2 && 2 * e.forwards >= e.alone) ||
            (e.sent > 0 && e.sentToOwner === e.sent)))
      );
    });
    if (more.length === 0) break;
    found.push(...more.map((c) => c.email));
  }
  return found;
}

/** The names the owner writes under: their own mail's From names, and their account's name. */
async function ownerNames(db: DbOrTx, userId: string): Promise<PersonName[]> {
  const rows = rowsOf<{ name: string }>(
    await db.execute(sql`
      (SELECT DISTINCT from_name AS name FROM emails
        WHERE user_id = ${userId} AND direction = 'outbound' AND from_name IS NOT NULL LIMIT 20)
      UNION SELECT name FROM users WHERE id = ${userId}`),
  );
  const names = rows.map((r) => personName(r.name)).filter((n) => n !== null);
  const seen = new Set<string>();
  return names.filter((n) => {
    const k = `${n.first} ${n.last} ${n.middle.join(' ')}`;
    return !seen.has(k) && seen.add(k);
  });
}

/**
 * Contacts whose address's letters could spell one of the owner's names (localPartSpells has
 * the last word), or whose name holds one of their surnames. Read once per import.
 */
async function candidatesFor(db: DbOrTx, userId: string, names: PersonName[]) {
  const shapes = [
    ...new Set(
      names.flatMap((n) => [
        `${n.first}%${n.last}`,
        `${n.first[0]}%${n.last}`,
        `${n.first}${n.last[0]}`,
        `${n.last}${n.first}`,
        `${n.last}${n.first[0]}`,
      ]),
    ),
  ];
  const surnames = [...new Set(names.map((n) => `%${n.last}%`))];
  return rowsOf<Candidate>(
    await db.execute(sql`
      SELECT c.id, lower(c.email) AS email, c.name FROM contacts c
       WHERE c.user_id = ${userId}
         AND (regexp_replace(lower(split_part(c.email, '@', 1)), '[^a-z]+', '', 'g')
                LIKE ANY(${sql.param(shapes)}::text[])
              OR c.name ILIKE ANY(${sql.param(surnames)}::text[]))
         AND lower(c.email) <> ALL(${ownerAddresses(userId)}::text[])
       LIMIT 500`),
  );
}

/** What their mail says of each candidate, through its interactions (indexed by contact). */
async function evidenceFor(db: DbOrTx, userId: string, candidates: Candidate[], found: string[]) {
  const ids = sql.param(candidates.map((c) => c.id));
  return rowsOf<Evidence>(
    await db.execute(sql`
      WITH owners AS (SELECT ${ownerAddresses(userId)} || ${sql.param(found)}::text[] AS list)
      SELECT lower(c.email) AS email,
        count(*) FILTER (WHERE e.direction = 'inbound' AND i.role <> 'from'
                           AND NOT (e.participants && o.list))::int AS reached,
        count(*) FILTER (WHERE e.direction = 'outbound'
                           AND e.participants <@ (o.list || lower(c.email)))::int AS alone,
        count(*) FILTER (WHERE e.direction = 'outbound'
                           AND e.participants <@ (o.list || lower(c.email))
                           AND (coalesce(e.subject, '') ~* '^\\s*(fwd?|fw)\\s*:' OR btrim(coalesce(e.subject, '')) = ''))::int AS forwards,
        count(*) FILTER (WHERE i.role = 'from')::int AS sent,
        count(*) FILTER (WHERE i.role = 'from' AND e.participants <@ (o.list || lower(c.email)))::int AS "sentToOwner"
        FROM contacts c
        JOIN interactions i ON i.contact_id = c.id
        JOIN emails e ON e.id = i.email_id, owners o
       WHERE c.user_id = ${userId} AND c.id = ANY(${ids}::uuid[])
       GROUP BY c.email`),
  );
}
