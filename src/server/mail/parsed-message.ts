import type { MessageEvidence } from '@/server/contacts/contact-candidates';
import type { Address, AttachmentMeta, MailProviderKind } from '@/server/db/schema';

/** One normalised message, whatever its source (Gmail, mbox/Takeout, later IMAP). */
export type ParsedMessage = {
  source: MailProviderKind;
  /** Gmail id; for mbox the Message-ID header, or `sha1:<content key>` when absent. */
  providerMessageId: string;
  /** Message-ID header without angle brackets. */
  messageId: string | null;
  /** Gmail's thread id (API or Takeout's X-GM-THRID), when the source gives one. */
  providerThreadId: string | null;
  inReplyTo: string | null;
  references: string[];
  from: Address | null;
  to: Address[];
  cc: Address[];
  bcc: Address[];
  replyTo: Address[];
  subject: string | null;
  sentAt: Date | null;
  text: string | null;
  /** The HTML to show (displayHtml: flattened, sanitised, bounded), not the message's own. */
  html: string | null;
  /** The message had HTML too big to show safely: it is shown as text. */
  htmlAsText: boolean;
  /** Folders or Gmail labels. */
  labels: string[];
  /** The headers that matter downstream (lists, bulk, auto-replies, Enron's X-From…). */
  headers: Record<string, string>;
  attachments: AttachmentMeta[];
  sizeBytes: number;
  /** sender + date + subject + normalised body: the same mail filed in several folders. */
  contentKey: string;
  /**
   * What the message says about its people, owners aside (verdicts, names, the sender's
   * signature), when the parse worker worked it out; contact extraction does otherwise.
   */
  evidence?: MessageEvidence;
  /**
   * Its emails-row columns as JSON (emailRowFields), when a parse worker prepared the message
   * for storing; the row then holds the bodies, and `text` and `html` are left null.
   */
  row?: string;
};

export class MessageParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MessageParseError';
  }
}
