/**
 * A request's body, kept up to `max` bytes: null once it passes them. What follows is read and
 * dropped, up to `drainUpTo` bytes in all, so the connection is left ready for the client's
 * next request (a body left half-read stalls a kept-alive connection); past that, the body is
 * abandoned. Every route's body is limited to MAX_REQUEST_BODY_BYTES before it gets here.
 */
export async function readBodyLimited(
  req: Request,
  max: number,
  options: { drainUpTo?: number } = {},
): Promise<Uint8Array | null> {
  if (!req.body) return new Uint8Array(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return size > max ? null : Buffer.concat(chunks);
    size += value.byteLength;
    if (size <= max) chunks.push(value);
    else if (size > (options.drainUpTo ?? max)) {
      await reader.cancel();
      return null;
    } else chunks.length = 0;
  }
}
