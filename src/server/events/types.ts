import { z } from 'zod';

/**
 * Every event Rapport records: one discriminated union, so producers and consumers (SSE, the
 * JSON Lines export, later model training) agree on each payload. Names are in the past tense.
 */
const event = <T extends string, P extends z.ZodRawShape>(type: T, payload: P) =>
  z.object({ type: z.literal(type), payload: z.object(payload) });

export const appEventSchema = z.discriminatedUnion('type', [
  event('user.signed_in', { method: z.string() }),
  event('account.linked', { providerId: z.string(), accountId: z.string() }),
  event('email.received', {
    emailId: z.string(),
    from: z.string().nullable(),
    subject: z.string().nullable(),
  }),
  event('email.sent', {
    emailId: z.string(),
    to: z.array(z.string()),
    subject: z.string().nullable(),
  }),
  event('emails.synced', {
    accountId: z.string(),
    source: z.string(),
    stored: z.number().int(),
    duplicates: z.number().int(),
    failed: z.number().int(),
    contactsCreated: z.number().int().optional(),
    /** Progress of a long import: bytes read of `total`, and whether this was the last batch. */
    read: z.number().optional(),
    total: z.number().optional(),
    done: z.boolean().optional(),
    /** Messages read per second so far (syncs). */
    rate: z.number().optional(),
  }),
  /** A mail source's state changed: syncing, idle, or needing the user (reconnect, permission). */
  event('mail.account_status', {
    accountId: z.string(),
    status: z.string(),
    reason: z.string().optional(),
  }),
  /** The stored cursor was too old (Gmail keeps about a week of history): a full resync began. */
  event('mail.full_resync', { accountId: z.string(), reason: z.string() }),
  event('contact.created', { contactId: z.string(), email: z.string() }),
  event('contact.updated', { contactId: z.string(), email: z.string() }),
  event('contact.enriched', { contactId: z.string(), sources: z.array(z.string()) }),
  event('contact.viewed', { contactId: z.string() }),
  event('ai.query_executed', {
    intent: z.string(),
    engine: z.string(),
    latencyMs: z.number(),
    success: z.boolean(),
    /** The model could not be reached and the built-in engine answered instead. */
    fallback: z.boolean().optional(),
    error: z.string().optional(),
  }),
  event('job.failed', {
    jobId: z.string(),
    job: z.string(),
    error: z.string(),
    attempts: z.number().int(),
  }),
]);

export type AppEvent = z.infer<typeof appEventSchema>;
export type AppEventType = AppEvent['type'];
export type PayloadOf<T extends AppEventType> = Extract<AppEvent, { type: T }>['payload'];

/** An event as stored and delivered. */
export type StoredEvent = {
  id: number;
  userId: string | null;
  type: AppEventType;
  payload: Record<string, unknown>;
  metadata: { source: string; version: number };
  createdAt: Date;
};

export const EVENTS_CHANNEL = 'rapport_events';
export const EVENT_SCHEMA_VERSION = 1;
