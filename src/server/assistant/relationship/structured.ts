import { generateText } from 'ai';
import type { z } from 'zod';
import type { DbOrTx } from '@/server/db/client';
import { languageModel, modelConfig, type ModelConfig } from '../model/language-model';
import { budgetedModel, modelBudget } from '../model/model-budget';
import type { AskOptions } from '../assistant';
import { fenceUntrusted } from '../untrusted-text';
import { describeModelError, ModelReplyError, modelFailureReason } from '../model/model-failure';

export type Engine = 'model' | 'builtin';
export type WithEngine<T> = T & { engine: Engine; notice?: string };

/** Mail quoted into a prompt: marked as data, fenced (unbreakably), cut to size. */
export const quoteMail = (text: string | null | undefined, max = 1200) =>
  fenceUntrusted('email', text, max);

/** The URLs a text contains, for checking a model did not make links up. */
export const urlsIn = (s: string) => s.match(/https?:\/\/[^\s)>"']+/g) ?? [];

/** Reads the first JSON object out of a model's reply (code fences and chatter tolerated). */
export function extractJson(text: string): unknown {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/.exec(text);
  const body = fenced ? fenced[1]! : text;
  const start = body.indexOf('{');
  const end = body.lastIndexOf('}');
  if (start < 0 || end <= start) throw new ModelReplyError('its reply was not JSON');
  try {
    return JSON.parse(body.slice(start, end + 1)) as unknown;
  } catch {
    throw new ModelReplyError('its reply was not JSON');
  }
}

/**
 * One structured call: the prompt, the zod schema of the reply, and a check of the reply
 * against the source data. Any failure (no model, unreachable, bad JSON, failed check) runs
 * the deterministic version instead and says why.
 */
export async function structuredOrFallback<S extends z.ZodType, T>(options: {
  ai?: AskOptions;
  /** Whose budget of model calls this spends (model-budget.ts). */
  owner: { db: DbOrTx; userId: string };
  system: string;
  prompt: string;
  schema: S;
  check: (value: z.infer<S>) => string | null;
  toResult: (value: z.infer<S>) => T;
  fallback: () => T;
}): Promise<WithEngine<T>> {
  const config: ModelConfig | null =
    options.ai?.engine === 'builtin'
      ? null
      : options.ai?.model === undefined
        ? modelConfig()
        : (options.ai.model?.config ?? null);
  if (!config) return { ...options.fallback(), engine: 'builtin' };
  try {
    const { text } = await generateText({
      model: budgetedModel(options.ai?.model?.instance ?? languageModel(config), {
        ...options.owner,
        budget: options.ai?.budget === undefined ? modelBudget() : options.ai.budget,
      }),
      system: options.system,
      prompt: options.prompt,
      maxRetries: 1,
      maxOutputTokens: 1500,
      abortSignal: AbortSignal.timeout(config.timeoutMs),
    });
    const parsed = options.schema.safeParse(extractJson(text));
    if (!parsed.success)
      throw new ModelReplyError(`its reply did not fit: ${parsed.error.issues[0]?.message}`);
    const problem = options.check(parsed.data);
    if (problem) throw new ModelReplyError(`its reply failed a check: ${problem}`);
    return { ...options.toResult(parsed.data), engine: 'model' };
  } catch (err) {
    if (!(err instanceof ModelReplyError))
      console.warn('[assistant] the model could not be used:', describeModelError(err));
    return {
      ...options.fallback(),
      engine: 'builtin',
      notice: `The model could not be used (${modelFailureReason(err).slice(0, 200)}); this is the built-in version.`,
    };
  }
}
