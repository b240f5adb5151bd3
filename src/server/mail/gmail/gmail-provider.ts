import type { MailProvider, MailboxChanges, ProviderMessage } from '../mail-provider';
import type { GmailClient } from './gmail-client';

/** Gmail's categories a user may leave out of their CRM (`-category:promotions` …). */
export const GMAIL_CATEGORIES = ['promotions', 'social', 'forums', 'updates'] as const;
export type GmailCategory = (typeof GMAIL_CATEGORIES)[number];

/** Runs `fn` over `items` with at most `limit` at a time, keeping order. */
async function mapLimit<T, R>(
  items: T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * Gmail as a MailProvider: messages.list pages (newest first, categories excluded on
 * request), messages fetched as raw RFC 822 with concurrent requests (paced by the quota
 * governor inside the client), and history.list for changes.
 */
export class GmailProvider implements MailProvider {
  readonly kind = 'gmail' as const;

  constructor(
    private readonly client: GmailClient,
    private readonly options: { exclude?: GmailCategory[]; concurrency?: number } = {},
  ) {}

  async getProfile() {
    const p = await this.client.getProfile();
    return {
      address: p.emailAddress.toLowerCase(),
      messagesTotal: p.messagesTotal,
      cursor: p.historyId,
    };
  }

  listLabels() {
    return this.client.listLabels();
  }

  listOwnerAddresses() {
    return this.client.listSendAs();
  }

  private query() {
    const q = (this.options.exclude ?? []).map((c) => `-category:${c}`).join(' ');
    return q || undefined;
  }

  async listMessages(pageToken: string | null, pageSize: number) {
    const r = await this.client.listMessages({
      pageToken: pageToken ?? undefined,
      maxResults: pageSize,
      q: this.query(),
    });
    return {
      ids: (r.messages ?? []).map((m) => m.id),
      nextPageToken: r.nextPageToken ?? null,
      totalEstimate: r.resultSizeEstimate ?? 0,
    };
  }

  async fetchMessages(ids: string[]): Promise<ProviderMessage[]> {
    const got = await mapLimit(ids, this.options.concurrency ?? 20, (id) =>
      this.client.getRawMessage(id),
    );
    return got
      .filter((m) => m !== null)
      .map((m) => ({
        raw: Buffer.from(m.raw, 'base64url'),
        source: 'gmail' as const,
        envelopeDate: m.internalDate ? new Date(Number(m.internalDate)) : null,
        providerMessageId: m.id,
        providerThreadId: m.threadId,
        labels: m.labelIds ?? [],
      }));
  }

  getThread(threadId: string) {
    return this.client.getThread(threadId, 'full');
  }

  getAttachment(messageId: string, attachmentId: string) {
    return this.client.getAttachment(messageId, attachmentId);
  }

  async changesSince(cursor: string): Promise<MailboxChanges> {
    const added = new Set<string>();
    const deleted = new Set<string>();
    const relabelled = new Map<string, string[]>();
    let pageToken: string | undefined;
    let latest = cursor;
    do {
      const page = await this.client.listHistory({
        startHistoryId: cursor,
        pageToken,
        historyTypes: ['messageAdded', 'messageDeleted', 'labelAdded', 'labelRemoved'],
      });
      for (const h of page.history ?? []) {
        for (const a of h.messagesAdded ?? []) {
          added.add(a.message.id);
          deleted.delete(a.message.id);
        }
        for (const d of h.messagesDeleted ?? []) {
          deleted.add(d.message.id);
          added.delete(d.message.id);
          relabelled.delete(d.message.id);
        }
        for (const l of [...(h.labelsAdded ?? []), ...(h.labelsRemoved ?? [])])
          if (l.message.labelIds && !deleted.has(l.message.id))
            relabelled.set(l.message.id, l.message.labelIds);
      }
      latest = page.historyId ?? latest;
      pageToken = page.nextPageToken;
    } while (pageToken);
    return { added: [...added], deleted: [...deleted], relabelled, cursor: latest };
  }
}
