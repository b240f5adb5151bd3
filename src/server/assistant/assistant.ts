import type { LanguageModel } from 'ai';
import type { DbOrTx } from '@/server/db/client';
import { emit } from '@/server/events/emit';
import type { Answer } from './answer';
import { answerBuiltin } from './builtin-engine';
import type { QueryContext } from './intents';
import { languageModel, modelConfig, type ModelConfig } from './model/language-model';
import { budgetedModel, modelBudget, type ModelBudget } from './model/model-budget';
import { streamModelAnswer, type AskChunk } from './model/model-engine';
import { describeModelError, modelFailureReason } from './model/model-failure';

export type { AskChunk } from './model/model-engine';

export type AskOptions = {
  /** `auto` uses the model when one is configured; `builtin` never does. */
  engine?: 'auto' | 'builtin';
  /** Overrides the environment's model (tests, evaluations). */
  model?: { config: ModelConfig; instance?: LanguageModel } | null;
  /** Daily budgets of model calls: default the environment's (model-budget.ts); null, none. */
  budget?: ModelBudget | null;
};

/**
 * The seed's AIService.query: answers a question about the user's network, streamed. With a
 * model configured the tool-calling agent answers; when it cannot (unreachable, erroring,
 * silent), the built-in engine answers instead and says so. Every question is an
 * `ai.query_executed` event.
 */
export async function* askStream(
  db: DbOrTx,
  userId: string,
  question: string,
  context: QueryContext = {},
  options: AskOptions = {},
): AsyncGenerator<AskChunk> {
  const started = performance.now();
  const configured = options.model === undefined ? modelConfig() : (options.model?.config ?? null);
  const useModel = options.engine !== 'builtin' && configured !== null;
  let answer: Answer | null = null;
  /** Why the model could not answer, in words for the user (the details go to the log). */
  let fallbackError: string | undefined;

  if (useModel) {
    const model = budgetedModel(options.model?.instance ?? languageModel(configured), {
      db,
      userId,
      budget: options.budget === undefined ? modelBudget() : options.budget,
    });
    let streamed = false;
    try {
      for await (const chunk of streamModelAnswer(db, userId, question, context, model, {
        timeoutMs: configured.timeoutMs,
      })) {
        if (chunk.type === 'done') answer = chunk.answer;
        else {
          if (chunk.type === 'text') streamed = true;
          yield chunk;
        }
      }
    } catch (err) {
      fallbackError = modelFailureReason(err);
      console.warn(
        `[assistant] the model (${configured.model} at ${configured.baseURL}) could not answer:`,
        describeModelError(err),
      );
      if (streamed) yield { type: 'status', text: 'The model stopped; answering without it' };
    }
  }

  if (!answer) {
    answer = await answerBuiltin(db, userId, question, context);
    if (useModel) {
      answer.notice = `The model could not answer (${fallbackError}). This answer comes from the built-in engine.`;
    }
  }

  await emit(
    db,
    {
      type: 'ai.query_executed',
      payload: {
        intent: answer.intent,
        engine: answer.engine,
        latencyMs: Math.round(performance.now() - started),
        success: answer.understood,
        ...(fallbackError ? { fallback: true, error: fallbackError } : {}),
      },
    },
    { userId, source: 'assistant' },
  );
  yield { type: 'done', answer };
}

/** The whole answer at once (CLI, evaluations, non-streaming callers). */
export async function ask(
  db: DbOrTx,
  userId: string,
  question: string,
  context: QueryContext = {},
  options: AskOptions = {},
): Promise<Answer> {
  for await (const chunk of askStream(db, userId, question, context, options)) {
    if (chunk.type === 'done') return chunk.answer;
  }
  throw new Error('The assistant gave no answer');
}
