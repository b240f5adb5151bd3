/** A model's reply that came back but could not be used (its shape, or a check against the mail). */
export class ModelReplyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelReplyError';
  }
}

/** A model call refused before it was made, for a reason every user may read (a spent budget). */
export class ModelRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelRefusedError';
  }
}

type Failure = {
  name?: string;
  /** The AI SDK's RetryError: the last attempt's error. */
  lastError?: unknown;
  message?: string;
  statusCode?: number;
  cause?: { code?: string; name?: string };
};

/**
 * Why the model could not be used, in words fit for every user: no server address, no raw
 * error text (those go to the log, with describeModelError). A reply we refused says why.
 */
export function modelFailureReason(err: unknown): string {
  if (err instanceof ModelReplyError) return err.message;
  if (err instanceof ModelRefusedError)
    return err.message.charAt(0).toLowerCase() + err.message.slice(1);
  const e = (err ?? {}) as Failure;
  if (e.lastError) return modelFailureReason(e.lastError);
  // The AI SDK wraps what a model's call threw.
  if (e.cause instanceof ModelRefusedError) return modelFailureReason(e.cause);
  if (e.name === 'TimeoutError' || e.name === 'AbortError' || e.cause?.name === 'TimeoutError')
    return 'it took too long';
  if (/took too long/i.test(e.message ?? '')) return 'it took too long';
  if (typeof e.statusCode === 'number') return `its server answered ${e.statusCode}`;
  if (e.cause?.code || /fetch failed|connect/i.test(e.message ?? ''))
    return 'its server could not be reached';
  if (/no answer/i.test(e.message ?? '')) return 'it gave no answer';
  return 'it failed';
}

/** The whole story of a model failure, for the server's log only. */
export function describeModelError(err: unknown) {
  const e = (err ?? {}) as Failure;
  const base = e.message ?? String(err);
  const cause = e.cause?.code ?? (e.cause as { message?: string } | undefined)?.message;
  return (cause && !base.includes(cause) ? `${base} (${cause})` : base).slice(0, 300);
}
