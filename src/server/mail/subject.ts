const PREFIX = /^\s*((re|fwd?|aw|sv|tr|antw|wg|rif|réf|ref)\s*(\[\d+\]|\(\d+\))?\s*[:：]\s*)+/i;

/** Threads are told apart well before this; the database indexes the normalised subject. */
const MAX_NORMALISED = 200;

/** The subject a thread shares: reply/forward prefixes (any number, several languages) removed. */
export function normaliseSubject(subject: string | null | undefined): string {
  if (!subject) return '';
  let s = subject.replace(/\s+/g, ' ').trim();
  for (let i = 0; i < 10 && PREFIX.test(s); i++) s = s.replace(PREFIX, '').trim();
  return s.toLowerCase().slice(0, MAX_NORMALISED).trimEnd();
}
