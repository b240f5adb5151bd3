/**
 * Thread ids for a batch of messages. In order of preference: the provider's thread (Gmail,
 * Takeout's X-GM-THRID); the References / In-Reply-To chain (joining a stored message's
 * thread when one is referenced, else named after the chain's root); and, for the many real
 * archives with no threading headers (Enron), the normalised subject plus at least one shared
 * participant other than the owner within a time window.
 */
export type ThreadInput = {
  key: string;
  messageId: string | null;
  providerThreadId: string | null;
  inReplyTo: string | null;
  references: string[];
  subjectNorm: string;
  participants: string[];
  sentAt: Date | null;
};

export type SubjectCandidate = { threadId: string; participants: string[]; sentAt: Date | null };

export type KnownThreads = {
  /** Message-ID → thread of stored messages. */
  byMessageId: Map<string, string>;
  /** Normalised subject → stored messages with it (near the batch's dates). */
  bySubject: Map<string, SubjectCandidate[]>;
};

export const SUBJECT_WINDOW_MS = 30 * 24 * 3600 * 1000;

function sharesSomeone(a: string[], b: string[], owners: Set<string>) {
  const set = new Set(b);
  return a.some((p) => !owners.has(p) && set.has(p));
}

export function resolveThreads(
  batch: ThreadInput[],
  known: KnownThreads,
  owners: Set<string>,
): Map<string, string> {
  const result = new Map<string, string>();
  const ordered = [...batch].sort(
    (x, y) => (x.sentAt?.getTime() ?? Infinity) - (y.sentAt?.getTime() ?? Infinity),
  );
  for (const m of ordered) {
    let thread: string | null = m.providerThreadId ? `gm:${m.providerThreadId}` : null;
    const chain = [...m.references, ...(m.inReplyTo ? [m.inReplyTo] : [])];
    if (!thread && chain.length > 0) {
      for (let i = chain.length - 1; i >= 0 && !thread; i--) {
        thread = known.byMessageId.get(chain[i]!) ?? null;
      }
      thread ??= `mid:${chain[0]}`;
    }
    if (!thread && m.subjectNorm.length >= 2) {
      let best: SubjectCandidate | null = null;
      let bestGap = Infinity;
      for (const c of known.bySubject.get(m.subjectNorm) ?? []) {
        const gap =
          m.sentAt && c.sentAt ? Math.abs(m.sentAt.getTime() - c.sentAt.getTime()) : Infinity;
        if (
          gap <= SUBJECT_WINDOW_MS &&
          gap < bestGap &&
          sharesSomeone(m.participants, c.participants, owners)
        ) {
          best = c;
          bestGap = gap;
        }
      }
      thread = best?.threadId ?? null;
    }
    thread ??= m.messageId ? `mid:${m.messageId}` : `key:${m.key}`;
    result.set(m.key, thread);
    if (m.messageId && !known.byMessageId.has(m.messageId))
      known.byMessageId.set(m.messageId, thread);
    if (m.subjectNorm) {
      const list = known.bySubject.get(m.subjectNorm) ?? [];
      list.push({ threadId: thread, participants: m.participants, sentAt: m.sentAt });
      known.bySubject.set(m.subjectNorm, list);
    }
  }
  return result;
}
