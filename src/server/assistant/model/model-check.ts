import { checkModel, type ModelConfig } from './language-model';

/** How long a check of the model server stands; a "check again" within this asks anew. */
const FRESH_MS = 5 * 60_000;
/** The soonest a "check again" reaches the model server again. */
const RECHECK_MS = 10_000;

type Check = { at: number; result: Promise<Awaited<ReturnType<typeof checkModel>>> };
const checks = new Map<string, Check>();

/**
 * Whether the configured model answers, for Settings: checked at most every 5 minutes (or 10 s
 * on an explicit "check again"), shared by every reader in the process. Without it, each read
 * of the page, by any user, was a request to the model server.
 */
export function cachedModelCheck(config: ModelConfig, o: { recheck?: boolean } = {}) {
  const key = JSON.stringify([config.provider, config.baseURL, config.model, config.apiKey]);
  const last = checks.get(key);
  const age = last ? Date.now() - last.at : Infinity;
  if (last && age < (o.recheck ? RECHECK_MS : FRESH_MS)) return last.result;
  const result = checkModel(config);
  checks.set(key, { at: Date.now(), result });
  return result;
}
