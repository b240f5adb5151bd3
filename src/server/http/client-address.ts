import type http from 'node:http';

/**
 * The client's address, for rate limits and session records: the socket's, or behind a
 * trusted proxy (TRUST_PROXY=1) the address that proxy appended to X-Forwarded-For, the
 * right-most. Everything to its left was written by the client itself and proves nothing
 * (`X-Forwarded-For: <anyone>` would otherwise pick its own rate-limit bucket).
 */
export function clientAddress(req: http.IncomingMessage, trustProxy: boolean): string {
  const socket = req.socket.remoteAddress ?? 'unknown';
  if (!trustProxy) return socket;
  const header = req.headers['x-forwarded-for'];
  const hops = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((hop) => hop.trim())
    .filter(Boolean);
  return hops.at(-1) ?? socket;
}
