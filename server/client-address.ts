// The address of the client behind a request: the socket's peer, or, when that peer is a trusted reverse
// proxy, the address it reports in X-Forwarded-For (the last hop no trusted proxy added).
import type { IncomingMessage } from 'node:http';
import { isIP, type BlockList } from 'node:net';
import { networkList } from './checks/index.ts';

export type TrustedProxies = BlockList;

/** From CIDRs as the configuration normalises them ("10.0.0.0/8", "::1/128"). */
export function trustedProxies(networks: readonly string[]): TrustedProxies {
  return networkList(networks);
}

function normalise(address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

function isTrusted(proxies: TrustedProxies, address: string): boolean {
  const family = isIP(address);
  return family !== 0 && proxies.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

export function clientAddress(req: IncomingMessage, proxies: TrustedProxies | null): string {
  let address = normalise(req.socket.remoteAddress ?? 'unknown');
  if (!proxies || !isTrusted(proxies, address)) return address;
  const forwarded = String(req.headers['x-forwarded-for'] ?? '')
    .split(',')
    .map((hop) => normalise(hop.trim()))
    .filter(Boolean);
  // Walk back from the nearest hop while the hops are our own proxies.
  while (forwarded.length) {
    address = forwarded.pop()!;
    if (!isTrusted(proxies, address)) break;
  }
  return address;
}
