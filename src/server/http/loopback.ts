import net from 'node:net';

const loopbacks = new net.BlockList();
loopbacks.addSubnet('127.0.0.0', 8, 'ipv4');
loopbacks.addAddress('::1', 'ipv6');

/** 127.0.0.0/8, ::1, or an IPv4-mapped 127.x address. */
export function isLoopbackAddress(address: string | undefined) {
  if (!address) return false;
  const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (v4 || net.isIPv4(address)) return loopbacks.check(v4 ?? address, 'ipv4');
  return net.isIPv6(address) && loopbacks.check(address, 'ipv6');
}

/** A host to bind or name that only this machine reaches (`0.0.0.0` and `::` are every interface). */
export function isLoopbackHost(host: string) {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h.endsWith('.localhost') || isLoopbackAddress(h);
}

/** A URL only this machine can open. */
export function isLocalUrl(url: string) {
  try {
    return isLoopbackHost(new URL(url).hostname);
  } catch {
    return false;
  }
}
