import type { ParsedMessage } from '@/server/mail/parsed-message';

export type Classification = { isHuman: boolean; reason: string };

const ROLE_LOCAL_PART =
  /^(no-?reply|do-?not-?reply|donotreply|noreply-.*|mailer-daemon|postmaster|bounces?|bounce-.*|notifications?|notify|alerts?|newsletters?|news|mailer|digest|announce(ments)?|updates?|listserv|majordomo|webmaster|root|daemon|automated|auto-?confirm|receipts?|billing|invoices?|.*-(request|bounces|owner|admin|announce|digest|notifications?)|owner-.*)$/i;

function listPostAddress(m: ParsedMessage): string | null {
  const post = m.headers['list-post'];
  const match = post ? /mailto:([^>\s?]+)/i.exec(post) : null;
  return match ? match[1]!.toLowerCase() : null;
}

/** Whether the message as a whole was sent by a machine (bulk, automated, marketing). */
export function bulkSignal(m: ParsedMessage): string | null {
  const h = m.headers;
  const precedence = h['precedence']?.toLowerCase().trim();
  const auto = h['auto-submitted']?.toLowerCase().trim();
  if (auto && auto !== 'no' && !auto.startsWith('auto-replied')) return `Auto-Submitted: ${auto}`;
  if (h['list-unsubscribe'] && !h['list-post'])
    return 'List-Unsubscribe without List-Post (bulk mail)';
  if (precedence === 'bulk' || precedence === 'junk') return `Precedence: ${precedence}`;
  if (
    h['feedback-id'] ||
    h['x-campaign'] ||
    h['x-sg-eid'] ||
    h['x-ses-outgoing'] ||
    h['x-mailgun-tag']
  ) {
    return 'bulk-sender headers';
  }
  return null;
}

/**
 * A first human/robot decision for one address in one message, with its reason. Discussion
 * lists (List-Post) keep their posters human; the list address itself is not.
 */
export function classifyParticipant(
  email: string,
  role: 'from' | 'to' | 'cc' | 'bcc' | 'reply_to',
  m: ParsedMessage,
): Classification {
  const local = email.split('@')[0]!;
  if (ROLE_LOCAL_PART.test(local)) return { isHuman: false, reason: `role address (${local}@)` };
  if (email === listPostAddress(m))
    return { isHuman: false, reason: 'mailing list address (List-Post)' };
  if (role === 'from') {
    const bulk = bulkSignal(m);
    if (bulk) return { isHuman: false, reason: bulk };
  }
  return { isHuman: true, reason: 'personal address' };
}
