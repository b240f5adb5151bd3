import type { MailProviderKind } from '@/server/db/schema';
import type { ParsedMessage } from './parsed-message';

/** The mailbox a batch is stored into: whose it is, which source, and the owner's addresses. */
export type Mailbox = {
  userId: string;
  accountId: string;
  source: MailProviderKind;
  /** The owner's addresses (account address and aliases), lower case. */
  owners: Set<string>;
};

/** Every address on a message (From, To, Cc, Bcc, Reply-To), once. */
export function participantsOf(m: ParsedMessage) {
  const all = [m.from, ...m.to, ...m.cc, ...m.bcc, ...m.replyTo].filter((a) => a !== null);
  return [...new Set(all.map((a) => a.email))];
}
