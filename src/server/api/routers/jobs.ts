import { z } from 'zod';
import { notFound } from '@/server/errors/app-error';
import { createTRPCRouter, protectedProcedure } from '../trpc';

const states = ['created', 'retry', 'active', 'completed', 'cancelled', 'failed'] as const;

export const jobsRouter = createTRPCRouter({
  /** The user's recent background jobs, newest first. */
  list: protectedProcedure
    .input(
      z.object({
        limit: z.number().int().min(1).max(200).default(50),
        state: z.enum(states).optional(),
      }),
    )
    .query(async ({ ctx, input }) =>
      (await ctx.jobs()).listRecent({ userId: ctx.user.id, ...input }),
    ),

  byId: protectedProcedure.input(z.object({ id: z.uuid() })).query(async ({ ctx, input }) => {
    const status = await (await ctx.jobs()).getJobStatus(input.id);
    if (!status || status.userId !== ctx.user.id) throw notFound('Job');
    return status;
  }),

  /** Re-queues the user's failed jobs: the given ones, or all of them. */
  retryFailed: protectedProcedure
    .input(z.object({ ids: z.array(z.uuid()).max(500).optional() }))
    .mutation(async ({ ctx, input }) => ({
      retried: await (await ctx.jobs()).retryFailed({ userId: ctx.user.id, ids: input.ids }),
    })),
});
