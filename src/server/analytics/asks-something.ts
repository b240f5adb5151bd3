import { othersTextStart, ownText } from '@/server/contacts/reply-zones';
import { isMailing } from './mailing-text';

/** Said to keep someone informed, not to get an answer. */
const FYI_OPENING = /^\s*(fyi\b|for your (information|info|records|reference|review)\b)/i;
const NO_REPLY_NEEDED =
  /\b(no (need|reason) to (reply|respond|answer)|no (reply|response|action) (is )?(needed|necessary|required))\b/i;
/** Words that ask the reader to do or answer something. */
const REQUEST =
  /\b(please|pls|could you|can you|would you|will you|would it be possible|let me know|let us know|need you to|are you able|do you (have|know|want|think|agree|mind)|any (thoughts|comments|ideas|questions)|what do you think|your (thoughts|input|feedback|comments|approval|opinion)|get back to me|kindly)\b/i;
/** "Please find attached", "please see below": courtesy, not a request to answer. */
const COURTESY = /\bplease (find|see|note|be advised|review the attached|read)\b/gi;
const URL = /\b(https?:\/\/|www\.)\S+/gi;
const WEBMAIL_AD_RULE = /^[^\S\n]*_{20,}[^\S\n]*$/m;

/**
 * Whether a message asks its reader something (the owner, of mail to them; a contact, of the
 * owner's mail): in the sender's own words (quoted replies,
 * forwarded mail and list footers cut away, see ownText), a question or a request, and not an
 * FYI ("FYI" or "for your information" at the start of the subject or the text, "no need to
 * reply"). A forward with nothing of the sender's own asks nothing, nor does a mass mailing.
 */
export function asksSomething(subject: string | null, body: string | null): boolean {
  const bareSubject = (subject ?? '').replace(/^\s*((re|fw|fwd|aw|wg)\s*:\s*)+/i, '');
  if (FYI_OPENING.test(bareSubject)) return false;
  // Someone else's text from the first line on: a bare forward or quote, nothing of their own;
  // or a mass mailing, however it is addressed.
  if (!body || othersTextStart(body) === 0 || isMailing(body)) return false;
  // A webmail's advertisement below a rule of underscores ("Do You Yahoo!?") is not theirs.
  const own = ownText(body).split(WEBMAIL_AD_RULE)[0]!.replace(URL, ' ');
  if (!own.trim() || FYI_OPENING.test(own) || NO_REPLY_NEEDED.test(own)) return false;
  return own.includes('?') || REQUEST.test(own.replace(COURTESY, ' '));
}
