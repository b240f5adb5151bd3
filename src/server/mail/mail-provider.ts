import type { RawMessage } from './parse-message';

/**
 * A mail source Rapport syncs from (Gmail now, IMAP later): the sync engine sees only this.
 * Every message comes as raw RFC 822 plus the provider's ids and labels, so one parser
 * (`parseMessage`) serves every source.
 */
export type ProviderMessage = RawMessage & {
  providerMessageId: string;
  providerThreadId: string | null;
  labels: string[];
};

export type MessagePage = { ids: string[]; nextPageToken: string | null; totalEstimate: number };

export type MailboxChanges = {
  added: string[];
  deleted: string[];
  /** Current labels of messages whose labels changed. */
  relabelled: Map<string, string[]>;
  /** The cursor to continue from next time. */
  cursor: string;
};

export type MailProfile = { address: string; messagesTotal: number; cursor: string };

export interface MailProvider {
  readonly kind: 'gmail' | 'imap';
  getProfile(): Promise<MailProfile>;
  listLabels(): Promise<{ id: string; name: string; type: string }[]>;
  /** Every address the owner sends as (aliases), the primary one included. */
  listOwnerAddresses(): Promise<string[]>;
  /** One page of ids, newest first. */
  listMessages(pageToken: string | null, pageSize: number): Promise<MessagePage>;
  /** The messages that still exist, in any order (gone ones are skipped). */
  fetchMessages(ids: string[]): Promise<ProviderMessage[]>;
  getThread(threadId: string): Promise<unknown>;
  /** Attachment bytes on demand; never stored in the database. */
  getAttachment(messageId: string, attachmentId: string): Promise<Buffer | null>;
  /** Changes since a cursor; throws a `cursor` failure when the cursor is too old. */
  changesSince(cursor: string): Promise<MailboxChanges>;
}
