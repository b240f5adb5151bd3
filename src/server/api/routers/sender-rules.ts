import { and, asc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { senderRulePattern } from '@/server/contacts/sender-rule-pattern';
import { recomputeStats } from '@/server/analytics/recompute-stats';
import { rowsOf } from '@/server/db/client';
import { senderRules } from '@/server/db/schema';
import { notFound } from '@/server/errors/app-error';
import { createTRPCRouter, protectedProcedure } from '../trpc';

export const senderRulesRouter = createTRPCRouter({
  /** The user's block list (never a person) and allow list (always a person). */
  list: protectedProcedure.query(({ ctx }) =>
    ctx.db
      .select()
      .from(senderRules)
      .where(eq(senderRules.userId, ctx.user.id))
      .orderBy(asc(senderRules.action), asc(senderRules.pattern)),
  ),

  /** Adds or changes a rule and applies it to the contacts already there (user edits win). */
  set: protectedProcedure
    .input(z.object({ pattern: senderRulePattern, action: z.enum(['block', 'allow']) }))
    .mutation(async ({ ctx, input }) => {
      await ctx.db.execute(sql`
        INSERT INTO sender_rules (user_id, pattern, action) VALUES (${ctx.user.id}, ${input.pattern}, ${input.action})
        ON CONFLICT (user_id, lower(pattern)) DO UPDATE SET action = EXCLUDED.action`);
      const match = input.pattern.startsWith('@')
        ? sql`lower(split_part(email, '@', 2)) = ${input.pattern.slice(1)}`
        : sql`lower(email) = ${input.pattern}`;
      const changed = rowsOf<{ id: string }>(
        await ctx.db.execute(sql`
          UPDATE contacts SET is_human = ${input.action === 'allow'},
                 classification_reason = ${`${input.action === 'allow' ? 'allowed' : 'blocked'} by you (${input.pattern})`},
                 updated_at = now()
           WHERE user_id = ${ctx.user.id} AND ${match} AND NOT ('isHuman' = ANY(user_edited_fields))
          RETURNING id`),
      );
      // People made robots, or robots people: who counts among the user's people changes.
      if (changed.length)
        await recomputeStats(ctx.db, { userId: ctx.user.id, contactIds: changed.map((c) => c.id) });
      return { contactsChanged: changed.length };
    }),

  /** Removes a rule; contacts are classified again from their mail. */
  remove: protectedProcedure.input(z.object({ id: z.uuid() })).mutation(async ({ ctx, input }) => {
    const [gone] = await ctx.db
      .delete(senderRules)
      .where(and(eq(senderRules.id, input.id), eq(senderRules.userId, ctx.user.id)))
      .returning();
    if (!gone) throw notFound('Rule');
    await (await ctx.jobs()).enqueue('contact.reextract', { userId: ctx.user.id });
    return { removed: gone.pattern };
  }),
});
