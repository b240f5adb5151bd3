import { sql } from 'drizzle-orm';
import { rowsOf, type Tx } from '@/server/db/client';
import { jsonRows } from './json-param';
import type { ParsedMessage } from './parsed-message';
import { participantsOf, type Mailbox } from './mailbox';
import { normaliseSubject } from './subject';
import { SUBJECT_WINDOW_MS, type KnownThreads } from './thread-resolver';

/** What stored mail says about a batch's threads: referenced parents, and conversations by subject. */
export async function knownThreads(
  tx: Tx,
  mailbox: Mailbox,
  batch: ParsedMessage[],
): Promise<KnownThreads> {
  const userId = mailbox.userId;
  // Parents inside the batch are resolved there: only look up the others.
  const inBatch = new Set(batch.flatMap((m) => (m.messageId ? [m.messageId] : [])));
  const refs = [
    ...new Set(batch.flatMap((m) => [...m.references, ...(m.inReplyTo ? [m.inReplyTo] : [])])),
  ].filter((id) => !inBatch.has(id));
  // Subject threading is only for mail without threading headers: look up exactly the
  // (person, subject) pairs those messages have in the conversation index.
  const headerless = batch.filter(
    (m) => !m.providerThreadId && !m.inReplyTo && m.references.length === 0,
  );
  const pairs = new Map<string, { p: string; s: string }>();
  for (const m of headerless) {
    const subject = normaliseSubject(m.subject);
    if (subject.length < 2) continue;
    for (const p of participantsOf(m)) {
      if (!mailbox.owners.has(p)) pairs.set(`${p}\u0000${subject}`, { p, s: subject });
    }
  }
  const times = headerless.flatMap((m) => (m.sentAt ? [m.sentAt.getTime()] : []));
  const from = new Date((times.length ? Math.min(...times) : 0) - SUBJECT_WINDOW_MS);
  const to = new Date((times.length ? Math.max(...times) : Date.now()) + SUBJECT_WINDOW_MS);
  const [byId, bySubject] = await Promise.all([
    refs.length
      ? tx.execute(sql`SELECT message_id_header AS mid, thread_id FROM emails
          WHERE user_id = ${userId} AND message_id_header = ANY(${sql.param(refs)}::text[]) AND thread_id IS NOT NULL`)
      : null,
    pairs.size
      ? tx.execute(sql`SELECT subject_norm, thread_id, participant, first_at, last_at
          FROM thread_participants
         WHERE user_id = ${userId}
           AND (participant, subject_norm) IN (SELECT * FROM unnest(
             ${sql.param([...pairs.values()].map((x) => x.p))}::text[],
             ${sql.param([...pairs.values()].map((x) => x.s))}::text[]))
           AND last_at >= ${from.toISOString()}::timestamptz AND first_at <= ${to.toISOString()}::timestamptz`)
      : null,
  ]);
  const known: KnownThreads = { byMessageId: new Map(), bySubject: new Map() };
  for (const r of byId ? rowsOf<{ mid: string; thread_id: string }>(byId) : []) {
    known.byMessageId.set(r.mid, r.thread_id);
  }
  type SubjectRow = {
    subject_norm: string;
    thread_id: string;
    participant: string;
    first_at: string | Date | null;
    last_at: string | Date | null;
  };
  for (const r of bySubject ? rowsOf<SubjectRow>(bySubject) : []) {
    const list = known.bySubject.get(r.subject_norm) ?? [];
    list.push({
      threadId: r.thread_id,
      participants: [r.participant],
      firstAt: r.first_at ? new Date(r.first_at) : null,
      lastAt: r.last_at ? new Date(r.last_at) : null,
    });
    known.bySubject.set(r.subject_norm, list);
  }
  return known;
}

/**
 * The conversation index that header-less mail threads by: per stored message, its subject and
 * each participant other than the owner, with the thread's time span.
 */
export async function recordConversations(
  tx: Tx,
  mailbox: Mailbox,
  storedRows: {
    subjNorm: string;
    sentAt: string | null;
    participants: string[];
    thread: string | undefined;
  }[],
) {
  const conversation = storedRows.flatMap((r) =>
    r.subjNorm.length >= 2 && r.sentAt
      ? r.participants
          .filter((p) => !mailbox.owners.has(p))
          .map((p) => ({ p, s: r.subjNorm, t: r.thread, at: r.sentAt }))
      : [],
  );
  if (conversation.length) {
    await tx.execute(sql`
      INSERT INTO thread_participants AS tp (user_id, participant, subject_norm, thread_id, first_at, last_at)
      SELECT ${mailbox.userId}, p, s, t, min(at), max(at)
        FROM json_to_recordset(${jsonRows(conversation)}::json) AS v(p text, s text, t text, at timestamptz)
       GROUP BY p, s, t
      ON CONFLICT (user_id, participant, subject_norm, thread_id) DO UPDATE SET
        first_at = least(tp.first_at, EXCLUDED.first_at),
        last_at = greatest(tp.last_at, EXCLUDED.last_at)`);
  }
}
