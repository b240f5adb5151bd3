import { sql } from 'drizzle-orm';

/**
 * Words only a mass mailing's text holds: its unsubscribe or preferences footer, its "sent to"
 * line, its "view in your browser" link, or a row of images (how a newsletter's markup reads as
 * text). Written once for JavaScript and PostgreSQL alike (no \b, bounded repeats). Archives
 * such as Enron's kept no List-Unsubscribe headers: the text is what is left to tell by.
 */
export const MAILING_PATTERN =
  '(unsubscribe|opt[- ]out|to be removed from|no longer wish to receive|receive future e-?mails|e-?mails of this sort|communication preferences|e-?mail preferences|this e-?mail was sent to|view (this|it) in your browser|(\\[image\\][^[]{0,200}){3})';

const MAILING = new RegExp(MAILING_PATTERN, 'i');

/** The parts of a message where a mailing says so: its head (images) and its foot (footers). */
const ends = (body: string) =>
  body.length <= 5000 ? body : `${body.slice(0, 2000)}\n${body.slice(-3000)}`;

/** Whether a message's text is a mass mailing's (MAILING_PATTERN). */
export function isMailing(body: string | null | undefined): boolean {
  return !!body && MAILING.test(ends(body));
}

/** The same test in SQL, on a body column. */
export const isMailingSql = (body: ReturnType<typeof sql>) =>
  sql`(CASE WHEN length(${body}) <= 5000 THEN ${body}
            ELSE left(${body}, 2000) || right(${body}, 3000) END ~* ${MAILING_PATTERN})`;
