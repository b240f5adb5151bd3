const PREFIX = /^\s*((re|fwd?|aw|sv|tr|antw|wg|rif|réf|ref)\s*(\[\d+\]|\(\d+\))?\s*[:：]\s*)+/i;

/** The subject a thread shares: reply/forward prefixes (any number, several languages) removed. */
export function normaliseSubject(subject: string | null | undefined): string {
  if (!subject) return '';
  let s = subject.replace(/\s+/g, ' ').trim();
  for (let i = 0; i < 10 && PREFIX.test(s); i++) s = s.replace(PREFIX, '').trim();
  return s.toLowerCase();
}
