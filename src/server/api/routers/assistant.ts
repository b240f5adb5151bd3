import { z } from 'zod';
import { boundedString } from '@/lib/bounded-string';
import { askStream } from '@/server/assistant/assistant';
import { suggestions } from '@/server/assistant/builtin-engine';
import { modelConfig } from '@/server/assistant/model/language-model';
import { cachedModelCheck } from '@/server/assistant/model/model-check';
import {
  draftInputSchema,
  generateEmailDraft,
} from '@/server/assistant/relationship/generate-email-draft';
import {
  cachedNextActions,
  cachedSummary,
} from '@/server/assistant/relationship/cached-relationship';
import { createTRPCRouter, expensiveProcedure, protectedProcedure } from '../trpc';

const zone = boundedString(64)
  .refine((z) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: z });
      return true;
    } catch {
      return false;
    }
  }, 'not a time zone')
  .optional();

export const assistantRouter = createTRPCRouter({
  /** Streams status lines and text as the model works; the last item is the whole answer. */
  ask: expensiveProcedure
    .input(
      z.object({
        question: z.string().trim().min(1, 'Ask a question').max(1000),
        contactId: z.uuid().optional(),
        timeZone: zone,
      }),
    )
    .mutation(async function* ({ ctx, input }) {
      yield* askStream(ctx.db, ctx.user.id, input.question, {
        contactId: input.contactId,
        timeZone: input.timeZone,
      });
    }),

  suggestions: protectedProcedure.query(({ ctx }) =>
    suggestions({ db: ctx.db, userId: ctx.user.id, zone: 'UTC', context: {} }),
  ),

  /**
   * Which engine answers, and whether the configured model's server is reachable (never where):
   * checked at most every few minutes for everyone (cachedModelCheck).
   */
  status: protectedProcedure
    .input(z.object({ recheck: z.boolean().optional() }).optional())
    .query(async ({ ctx, input }) => {
      const config = modelConfig(ctx.env);
      if (!config)
        return {
          engine: 'builtin' as const,
          provider: null,
          model: null,
          ok: true,
          detail: 'Built-in engine (no model configured)',
        };
      const check = await cachedModelCheck(config, { recheck: input?.recheck });
      return { engine: 'model' as const, provider: config.provider, model: config.model, ...check };
    }),

  /** Kept per contact and latest email: a page view with nothing new calls no model. */
  summary: expensiveProcedure
    .input(z.object({ contactId: z.uuid(), timeZone: zone }))
    .mutation(({ ctx, input }) =>
      cachedSummary(ctx.db, ctx.user.id, input.contactId, { timeZone: input.timeZone }),
    ),

  nextActions: expensiveProcedure
    .input(z.object({ contactId: z.uuid() }))
    .mutation(({ ctx, input }) => cachedNextActions(ctx.db, ctx.user.id, input.contactId)),

  draft: expensiveProcedure
    .input(draftInputSchema)
    .mutation(({ ctx, input }) => generateEmailDraft(ctx.db, ctx.user.id, input)),
});
