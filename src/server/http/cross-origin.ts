import type http from 'node:http';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Refuses (403) a request that could change something when a browser sent it from another
 * origin: cookies are sent with same-site requests, and another port of the same host is the
 * same site, so a page there could upload a mailbox (a plain POST needs no CORS preflight) or
 * call a mutation that takes a form. Browsers always name the origin of such a request;
 * clients that are not browsers (the CLI, Pub/Sub) send none and are not affected. Returns
 * whether it answered.
 */
export function refuseCrossOrigin(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  appOrigin: string,
  options: { drainUpTo: number },
): boolean {
  const origin = req.headers.origin;
  if (SAFE_METHODS.has(req.method ?? 'GET') || origin === undefined || origin === appOrigin)
    return false;
  const answer = (close: boolean) => {
    res.writeHead(403, {
      'content-type': 'application/json',
      ...(close ? { connection: 'close' } : {}),
    });
    res.end(JSON.stringify({ error: 'Requests from another origin are refused' }));
  };
  // A small body is read (and dropped) first: a client still sending when the connection
  // closes gets a reset instead of the answer. A big one is not worth reading.
  const length = req.headers['content-length'];
  const small =
    length === undefined
      ? req.headers['transfer-encoding'] === undefined
      : Number(length) <= options.drainUpTo;
  if (small) req.resume().once('end', () => answer(false));
  else answer(true);
  return true;
}
