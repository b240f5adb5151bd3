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

/** A thread with this subject: people other than the owner in it, and its time span. */
export type SubjectCandidate = {
  threadId: string;
  participants: string[];
  firstAt: Date | null;
  lastAt: Date | null;
};

export type KnownThreads = {
  /** Message-ID → thread of stored messages. */
  byMessageId: Map<string, string>;
  /** Normalised subject → stored threads with it that share one of the batch's people. */
  bySubject: Map<string, SubjectCandidate[]>;
};

export const SUBJECT_WINDOW_MS = 30 * 24 * 3600 * 1000;

function sharesSomeone(a: string[], b: string[], owners: Set<string>) {
  const set = new Set(b);
  return a.some((p) => !owners.has(p) && set.has(p));
}

/** How far a moment is from a thread's span (0 inside it). */
function gapTo(at: Date | null, c: SubjectCandidate) {
  if (!at || !c.firstAt || !c.lastAt) return Infinity;
  const t = at.getTime();
  if (t < c.firstAt.getTime()) return c.firstAt.getTime() - t;
  if (t > c.lastAt.getTime()) return t - c.lastAt.getTime();
  return 0;
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
        const gap = gapTo(m.sentAt, c);
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
      list.push({
        threadId: thread,
        participants: m.participants,
        firstAt: m.sentAt,
        lastAt: m.sentAt,
      });
      known.bySubject.set(m.subjectNorm, list);
    }
  }
  return result;
}
