import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { LanguageModel } from 'ai';
import { getEnv, type Env } from '@/env';

export type ModelConfig = {
  provider: 'openai-compatible' | 'openai' | 'anthropic';
  baseURL: string;
  model: string;
  apiKey?: string;
  timeoutMs: number;
};

const DEFAULTS = {
  'openai-compatible': { baseURL: 'http://127.0.0.1:11434/v1', model: 'llama3.1' },
  openai: { baseURL: 'https://api.openai.com/v1', model: 'gpt-4.1-mini' },
  anthropic: { baseURL: 'https://api.anthropic.com/v1', model: 'claude-sonnet-4-5' },
} as const;

/** The model the environment configures, or null for the built-in engine only. */
export function modelConfig(env: Env = getEnv()): ModelConfig | null {
  if (env.AI_PROVIDER === 'none') return null;
  const d = DEFAULTS[env.AI_PROVIDER];
  return {
    provider: env.AI_PROVIDER,
    baseURL: (env.AI_BASE_URL ?? d.baseURL).replace(/\/+$/, ''),
    model: env.AI_MODEL ?? d.model,
    apiKey: env.AI_API_KEY,
    timeoutMs: env.AI_TIMEOUT_MS,
  };
}

/**
 * The runtime's own fetch. Next.js wraps the global one (caching and tracing for pages), which
 * a model call neither wants nor should pay for: a question makes two or more calls.
 */
const plainFetch: typeof fetch = (input, init) =>
  ((globalThis.fetch as { _nextOriginalFetch?: typeof fetch })._nextOriginalFetch ?? fetch)(
    input,
    init,
  );

/**
 * An AI SDK model for a configuration. OpenAI goes through its chat-completions endpoint
 * (`.chat()`), which every OpenAI-compatible server (Ollama, vLLM, LM Studio) also speaks.
 */
export function languageModel(config: ModelConfig): LanguageModel {
  const key = JSON.stringify([config.provider, config.baseURL, config.model, config.apiKey]);
  let model = MODELS.get(key);
  if (!model) MODELS.set(key, (model = createModel(config)));
  return model;
}

/** Models made so far, by configuration (a process has one or two). */
const MODELS = new Map<string, LanguageModel>();

function createModel(config: ModelConfig): LanguageModel {
  switch (config.provider) {
    case 'openai-compatible':
      return createOpenAICompatible({
        name: 'openai-compatible',
        baseURL: config.baseURL,
        apiKey: config.apiKey,
        fetch: plainFetch,
      }).chatModel(config.model);
    case 'openai':
      return createOpenAI({
        baseURL: config.baseURL,
        apiKey: config.apiKey,
        fetch: plainFetch,
      }).chat(config.model);
    case 'anthropic':
      return createAnthropic({ baseURL: config.baseURL, apiKey: config.apiKey, fetch: plainFetch })(
        config.model,
      );
  }
}

/**
 * Whether the configured model's server answers (its model list), for the settings page, in
 * words for every user: the server's address and raw errors go to the log only.
 */
export async function checkModel(config: ModelConfig): Promise<{ ok: boolean; detail: string }> {
  const headers: Record<string, string> =
    config.provider === 'anthropic'
      ? { 'x-api-key': config.apiKey ?? '', 'anthropic-version': '2023-06-01' }
      : config.apiKey
        ? { authorization: `Bearer ${config.apiKey}` }
        : {};
  try {
    const res = await plainFetch(`${config.baseURL}/models`, {
      headers,
      signal: AbortSignal.timeout(5000),
    });
    if (!res.ok) return { ok: false, detail: `The model server answered ${res.status}` };
    const body = (await res.json().catch(() => ({}))) as { data?: { id: string }[] };
    const ids = body.data?.map((m) => m.id) ?? [];
    if (ids.length && !ids.includes(config.model))
      return { ok: false, detail: `${config.model} is not among the server's models` };
    return { ok: true, detail: `${config.model} answers` };
  } catch (err) {
    console.warn(
      `[assistant] the model server at ${config.baseURL} could not be reached:`,
      (err as Error).message,
    );
    return { ok: false, detail: 'The model server could not be reached' };
  }
}
