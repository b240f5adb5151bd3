import type { IncomingHttpHeaders } from 'node:http';
import net from 'node:net';

/**
 * `/api/cli` runs commands for any user with the local token: it answers a CLI on this machine
 * only. The web server vouches for such a request with this header (set on a loopback
 * connection no proxy relayed, stripped from every other request); the handler refuses the
 * rest, whatever their path spelling.
 */
export const LOCAL_CLIENT_HEADER = 'x-rapport-local-client';

const loopbacks = new net.BlockList();
loopbacks.addSubnet('127.0.0.0', 8, 'ipv4');
loopbacks.addAddress('::1', 'ipv6');

export function isLoopback(address: string | undefined) {
  if (!address) return false;
  const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (v4 || net.isIPv4(address)) return loopbacks.check(v4 ?? address, 'ipv4');
  return net.isIPv6(address) && loopbacks.check(address, 'ipv6');
}

/** A connection from this machine's loopback that no proxy forwarded for someone else. */
export function isLocalCliClient(req: {
  socket: { remoteAddress?: string };
  headers: IncomingHttpHeaders;
}) {
  return (
    isLoopback(req.socket.remoteAddress) &&
    req.headers['x-forwarded-for'] === undefined &&
    req.headers.forwarded === undefined
  );
}

/** Where a CLI on this machine reaches a server bound to `host`; null when it listens on no loopback. */
export function loopbackUrl(host: string, port: number): string | null {
  if (host === '::' || host === '::1') return `http://[::1]:${port}`;
  if (host === '0.0.0.0' || host === 'localhost' || isLoopback(host))
    return `http://127.0.0.1:${port}`;
  return null;
}
