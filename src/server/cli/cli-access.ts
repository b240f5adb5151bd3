import type { IncomingHttpHeaders } from 'node:http';
import { isLoopbackAddress, isLoopbackHost } from '@/server/http/loopback';

/**
 * `/api/cli` runs commands for any user with the local token: it answers a CLI on this machine
 * only. The web server vouches for such a request with this header (set on a loopback
 * connection no proxy relayed, stripped from every other request); the handler refuses the
 * rest, whatever their path spelling.
 */
export const LOCAL_CLIENT_HEADER = 'x-rapport-local-client';

/** A connection from this machine's loopback that no proxy forwarded for someone else. */
export function isLocalCliClient(req: {
  socket: { remoteAddress?: string };
  headers: IncomingHttpHeaders;
}) {
  return (
    isLoopbackAddress(req.socket.remoteAddress) &&
    req.headers['x-forwarded-for'] === undefined &&
    req.headers.forwarded === undefined
  );
}

/** Where a CLI on this machine reaches a server bound to `host`; null when it listens on no loopback. */
export function loopbackUrl(host: string, port: number): string | null {
  if (host === '::' || host === '::1') return `http://[::1]:${port}`;
  if (host === '0.0.0.0' || isLoopbackHost(host)) return `http://127.0.0.1:${port}`;
  return null;
}
