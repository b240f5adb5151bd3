import { jsonValue } from './json-param';
import { participantsOf } from './mailbox';
import type { ParsedMessage } from './parsed-message';
import { normaliseSubject } from './subject';

/** Enough of a message's start to show it in a list. */
const SNIPPET = 200;
/** A prefix that holds the snippet of nearly every message, read instead of the whole text. */
const SNIPPET_SOURCE = 4000;

/** The text's start, blanks collapsed: whole long texts are not rewritten to show 200 characters. */
export function snippetOf(text: string | null): string | null {
  if (text === null) return null;
  const collapse = (s: string) => s.replace(/\s+/g, ' ').trim();
  if (text.length > SNIPPET_SOURCE) {
    // Longer than the snippet once collapsed: the rest of the text cannot change its start.
    const head = collapse(text.slice(0, SNIPPET_SOURCE));
    if (head.length > SNIPPET) return head.slice(0, SNIPPET);
  }
  return collapse(text).slice(0, SNIPPET);
}

/**
 * The columns of a message's emails row that depend on the message alone, as a JSON object:
 * the store adds the row's id, thread, direction and folders. It is most of what a batch
 * sends to the database, so the parse workers build it beside the parse (ParsedMessage.row)
 * and the storing transaction only joins strings.
 */
export function emailRowFields(m: ParsedMessage): string {
  return jsonValue({
    pmid: m.providerMessageId,
    mid: m.messageId,
    ckey: m.contentKey,
    irt: m.inReplyTo,
    refs: m.references,
    subject: m.subject,
    subjNorm: normaliseSubject(m.subject),
    fromEmail: m.from?.email ?? null,
    fromName: m.from?.name ?? null,
    to: m.to,
    cc: m.cc,
    bcc: m.bcc,
    replyTo: m.replyTo,
    participants: participantsOf(m),
    sentAt: m.sentAt?.toISOString() ?? null,
    snippet: snippetOf(m.text),
    text: m.text,
    html: m.html,
    htmlAsText: m.htmlAsText,
    headers: m.headers,
    attachments: m.attachments,
    size: m.sizeBytes,
  });
}

/** The whole row: the message's fields and what the store decided for it. */
export function emailRow(
  fields: string,
  row: { id: string; thread: string | undefined; direction: string; labels: string[] },
): string {
  const decided = jsonValue({
    id: row.id,
    thread: row.thread ?? null,
    direction: row.direction,
    labels: row.labels,
  });
  return `${decided.slice(0, -1)},${fields.slice(1)}`;
}
