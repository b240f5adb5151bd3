import { z } from 'zod';
import {
  bulkTag,
  CONTACT_SCOPES,
  CONTACT_SORTS,
  getContact,
  setHidden,
  listContacts,
  updateContact,
} from '@/server/contacts/contact-queries';
import { emit } from '@/server/events/emit';
import { dismissDuplicates, duplicateQueue } from '@/server/contacts/duplicate-queue';
import { contactAddresses, mergeContacts, mergeHistory } from '@/server/contacts/merge-contacts';
import { undoMerge } from '@/server/contacts/undo-merge';
import { getContactStats, getTopContacts, TOP_METRICS } from '@/server/analytics/top-contacts';
import { contactTimeline, emailDetail, monthlyActivity } from '@/server/contacts/timeline';
import { contactEnrichments } from '@/server/enrichment/enrichment-queries';
import { getPipeline } from '@/server/enrichment/pipeline';
import { createTRPCRouter, expensiveProcedure, protectedProcedure } from '../trpc';

export const contactsRouter = createTRPCRouter({
  list: protectedProcedure
    .input(
      z.object({
        search: z.string().trim().max(200).optional(),
        /** Default: the owner's network (see CONTACT_SCOPES). */
        scope: z.enum(CONTACT_SCOPES).optional(),
        /** The older switch: true is `humans`, false is `all`. */
        humansOnly: z.boolean().optional(),
        sort: z.enum(CONTACT_SORTS).default('strength'),
        direction: z.enum(['asc', 'desc']).optional(),
        limit: z.number().int().min(1).max(500).default(50),
        offset: z.number().int().min(0).default(0),
        company: z.string().trim().max(200).optional(),
        tag: z.string().trim().max(50).optional(),
        minStrength: z.number().min(0).max(100).optional(),
        maxStrength: z.number().min(0).max(100).optional(),
        lastAfter: z.coerce.date().optional(),
        lastBefore: z.coerce.date().optional(),
      }),
    )
    .query(({ ctx, input }) =>
      listContacts(ctx.db, {
        ...input,
        scope:
          input.scope ??
          (input.humansOnly === undefined ? 'people' : input.humansOnly ? 'humans' : 'all'),
        userId: ctx.user.id,
      }),
    ),

  bulkTag: protectedProcedure
    .input(
      z.object({
        ids: z.array(z.uuid()).min(1).max(500),
        tag: z.string().trim().min(1).max(50),
        action: z.enum(['add', 'remove']).default('add'),
      }),
    )
    .mutation(({ ctx, input }) => bulkTag(ctx.db, ctx.user.id, input.ids, input.tag, input.action)),

  setHidden: protectedProcedure
    .input(z.object({ ids: z.array(z.uuid()).min(1).max(500), hidden: z.boolean() }))
    .mutation(({ ctx, input }) => setHidden(ctx.db, ctx.user.id, input.ids, input.hidden)),

  byId: protectedProcedure.input(z.object({ id: z.uuid() })).query(async ({ ctx, input }) => {
    const contact = await getContact(ctx.db, ctx.user.id, input.id);
    await emit(
      ctx.db,
      { type: 'contact.viewed', payload: { contactId: contact.id } },
      { userId: ctx.user.id, source: 'web' },
    );
    return contact;
  }),

  update: protectedProcedure
    .input(
      z.object({
        id: z.uuid(),
        patch: z
          .object({
            name: z.string().trim().max(200).nullable(),
            company: z.string().trim().max(200).nullable(),
            title: z.string().trim().max(200).nullable(),
            location: z.string().trim().max(200).nullable(),
            notes: z.string().max(20_000).nullable(),
            tags: z.array(z.string().trim().min(1).max(50)).max(50),
            customFields: z.record(z.string().max(100), z.string().max(2000)),
            isHuman: z.boolean(),
          })
          .partial()
          .refine((p) => Object.keys(p).length > 0, 'Nothing to update'),
      }),
    )
    .mutation(({ ctx, input }) => updateContact(ctx.db, ctx.user.id, input.id, input.patch)),

  /** The seed's getTopContacts: emails, recent, strength or going-cold, with filters. */
  top: protectedProcedure
    .input(
      z.object({
        metric: z.enum(TOP_METRICS).default('strength'),
        limit: z.number().int().min(1).max(200).default(20),
        filters: z
          .object({
            company: z.string().trim().max(200).optional(),
            tag: z.string().trim().max(50).optional(),
            since: z.coerce.date().optional(),
            includeRobots: z.boolean().optional(),
          })
          .default({}),
      }),
    )
    .query(({ ctx, input }) => getTopContacts(ctx.db, ctx.user.id, input)),

  stats: protectedProcedure
    .input(z.object({ id: z.uuid() }))
    .query(({ ctx, input }) => getContactStats(ctx.db, ctx.user.id, input.id)),

  /** One person under several addresses: keep one contact, fold the others into it. */
  merge: protectedProcedure
    .input(z.object({ keepId: z.uuid(), mergeIds: z.array(z.uuid()).min(1).max(50) }))
    .mutation(({ ctx, input }) => mergeContacts(ctx.db, ctx.user.id, input.keepId, input.mergeIds)),

  /** The messages with a contact, newest first, a page at a time. */
  timeline: protectedProcedure
    .input(
      z.object({
        id: z.uuid(),
        /** The last item's date: the page before it. */
        cursor: z.coerce.date().nullish(),
        limit: z.number().int().min(1).max(100).default(25),
      }),
    )
    .query(({ ctx, input }) =>
      contactTimeline(ctx.db, ctx.user.id, input.id, {
        before: input.cursor ?? undefined,
        limit: input.limit,
      }),
    ),

  /** Mail each way per month with a contact. */
  activity: protectedProcedure
    .input(z.object({ id: z.uuid() }))
    .query(({ ctx, input }) => monthlyActivity(ctx.db, ctx.user.id, input.id)),

  /** One message in full: text, and HTML sanitised (when it was stored) for a sandboxed frame. */
  email: protectedProcedure.input(z.object({ emailId: z.uuid() })).query(async ({ ctx, input }) => {
    const detail = await emailDetail(ctx.db, ctx.user.id, input.emailId);
    // Raw HTML stored before sanitising at ingest: the job makes it safe (on a worker).
    if (detail.htmlPending)
      void ctx
        .jobs()
        .then((q) => q.enqueue('mail.sanitize-html', {}))
        .catch(() => {});
    return detail;
  }),

  /** Runs the enrichment providers for one contact now (cached results are reused unless forced). */
  enrich: expensiveProcedure
    .input(z.object({ id: z.uuid(), force: z.boolean().default(false) }))
    .mutation(({ ctx, input }) =>
      getPipeline().enrichContact(ctx.db, ctx.user.id, input.id, { force: input.force }),
    ),

  /** What each enrichment source said about the contact, X posts included. */
  enrichments: protectedProcedure
    .input(z.object({ id: z.uuid() }))
    .query(({ ctx, input }) => contactEnrichments(ctx.db, ctx.user.id, input.id)),

  /** The duplicate review queue: likely one person, with the reasons, surest first. */
  mergeSuggestions: protectedProcedure
    .input(z.object({ limit: z.number().int().min(1).max(100).default(20) }))
    .query(({ ctx, input }) => duplicateQueue(ctx.db, ctx.user.id, input.limit)),

  /** "Not the same person": these contacts are never suggested together again. */
  dismissDuplicate: protectedProcedure
    .input(z.object({ contactIds: z.array(z.uuid()).min(2).max(50) }))
    .mutation(({ ctx, input }) => dismissDuplicates(ctx.db, ctx.user.id, input.contactIds)),

  /** Merges not undone, newest first (into one contact when given). */
  merges: protectedProcedure
    .input(
      z.object({
        contactId: z.uuid().optional(),
        limit: z.number().int().min(1).max(100).default(20),
      }),
    )
    .query(({ ctx, input }) => mergeHistory(ctx.db, ctx.user.id, input)),

  undoMerge: protectedProcedure
    .input(z.object({ mergeId: z.uuid() }))
    .mutation(({ ctx, input }) => undoMerge(ctx.db, ctx.user.id, input.mergeId)),

  /** Every address of a contact, the primary one first. */
  addresses: protectedProcedure
    .input(z.object({ id: z.uuid() }))
    .query(({ ctx, input }) => contactAddresses(ctx.db, ctx.user.id, input.id)),
});
