import { wrapLanguageModel, type LanguageModel } from 'ai';
import { getEnv, type Env } from '@/env';
import type { Db, DbOrTx } from '@/server/db/client';
import { hitRateLimit } from '@/server/rate-limit/api-rate-limiter';
import { ModelRefusedError } from './model-failure';

/**
 * Daily budgets of paid model calls: each user's, and everyone's together (0: no limit). A
 * provider bills the deployment, not the user: one user's questions, or a script of theirs,
 * must not spend what everyone shares. Counted in the database, like the API's rate limits.
 */
export type ModelBudget = { perUserPerDay: number; perDay: number };

export function modelBudget(env: Env = getEnv()): ModelBudget {
  return { perUserPerDay: env.AI_CALLS_PER_USER_PER_DAY, perDay: env.AI_CALLS_PER_DAY };
}

export class BudgetSpentError extends ModelRefusedError {
  constructor(what: string) {
    super(`The daily model budget is spent (${what}): the built-in engine answers until it renews`);
    this.name = 'BudgetSpentError';
  }
}

const DAY = 86_400;

/** Counts one model call against the budgets, or throws when either is spent. */
export async function spendModelCall(db: DbOrTx, userId: string, budget: ModelBudget) {
  // The limiter's counters live outside any transaction the caller is in.
  const counter = db as Db;
  if (budget.perUserPerDay > 0) {
    const mine = await hitRateLimit(counter, `ai-user:${userId}`, {
      limit: budget.perUserPerDay,
      windowSeconds: DAY,
    });
    if (!mine.allowed) throw new BudgetSpentError(`${budget.perUserPerDay} calls a day each`);
  }
  if (budget.perDay > 0) {
    const all = await hitRateLimit(counter, 'ai-all', { limit: budget.perDay, windowSeconds: DAY });
    if (!all.allowed) throw new BudgetSpentError(`${budget.perDay} calls a day for everyone`);
  }
}

/** The model, each of whose calls (every step of an agent, every retry) spends the budget first. */
export function budgetedModel(
  model: LanguageModel,
  o: { db: DbOrTx; userId: string; budget: ModelBudget | null },
): LanguageModel {
  const budget = o.budget;
  if (!budget || (budget.perUserPerDay <= 0 && budget.perDay <= 0)) return model;
  return wrapLanguageModel({
    model: model as Parameters<typeof wrapLanguageModel>[0]['model'],
    middleware: {
      specificationVersion: 'v3',
      transformParams: async ({ params }) => {
        await spendModelCall(o.db, o.userId, budget);
        return params;
      },
    },
  });
}
