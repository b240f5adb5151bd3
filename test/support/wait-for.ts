/**
 * Polls a condition until it holds (or fails after `timeoutMs`): for outcomes that arrive
 * asynchronously from another connection or process. Not a fixed sleep: it returns as soon
 * as the condition is true.
 */
export async function waitFor<T>(
  probe: () => Promise<T> | T,
  options: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<NonNullable<T>> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await probe();
    if (last) return last as NonNullable<T>;
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 25));
  }
  throw new Error(
    `timed out waiting for ${options.what ?? 'condition'} (last: ${JSON.stringify(last)})`,
  );
}
