// Which IP addresses Vigie may send requests to, checked on the address actually connected to (after DNS).
// Checks and notification sends resolve host names through `lookup` below, so the address checked is the address
// connected to: a name cannot resolve to an allowed address for the check and to another one for the connection.
import dns from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Every address a host name resolves to; rejects like dns.lookup (code ENOTFOUND, ...) when there is none. */
export type Resolve = (hostname: string) => Promise<ResolvedAddress[]>;

export interface AddressPolicyOptions {
  /**
   * Refuse link-local, cloud metadata and unspecified addresses, whatever the lists say: for one-off checks and
   * notification sends, whose URLs anyone with an account can type.
   */
  blockLinkLocal?: boolean;
  /**
   * Refuse link-local and cloud metadata addresses unless allowedNetworks names a range covering them: for
   * monitors, whose answers an editor can read back (one keyword at a time). Ignored when blockLinkLocal is set.
   */
  blockLinkLocalUnlessAllowed?: boolean;
  /** CIDRs (or single addresses) never connected to (RESEAUX_INTERDITS). */
  deniedNetworks?: readonly string[];
  /** When not empty, the only CIDRs connected to (RESEAUX_AUTORISES); a denied network stays denied. */
  allowedNetworks?: readonly string[];
  /** Default: the system resolver (dns.lookup with all: true), like Node's own connections. */
  resolve?: Resolve;
}

export interface AddressPolicy {
  /** Why Vigie must not connect to this IP address (e.g. "is a link-local/cloud metadata address"), or null. */
  refusal(address: string): string | null;
  /**
   * The addresses of a host name (or the IP address itself) that the policy permits, in the resolver's order.
   * Rejects with a BlockedAddressError when it permits none, with the resolver's error when resolution fails.
   */
  resolve(host: string): Promise<ResolvedAddress[]>;
  /** The same, as the `lookup` option of net.connect and http(s).request (which skip it for an IP address). */
  lookup: LookupFunction;
  /** A BlockedAddressError when host is an IP address the policy refuses; null for a permitted address or a name. */
  literalRefusal(host: string): BlockedAddressError | null;
}

/** Node-style code of the error a refused address gives, so socket error handlers can tell it apart. */
export const BLOCKED_ADDRESS_CODE = 'ERR_VIGIE_BLOCKED_ADDRESS';

export class BlockedAddressError extends Error {
  readonly code = BLOCKED_ADDRESS_CODE;

  constructor(
    readonly host: string,
    readonly address: string,
    reason: string,
  ) {
    const subject = host === address ? `${address} is` : `${host} resolves to ${address}, which is`;
    super(`${subject} ${reason}; Vigie does not send requests there`);
    this.name = 'BlockedAddressError';
  }
}

export function isBlockedAddressError(error: unknown): error is BlockedAddressError {
  return error instanceof BlockedAddressError || (error as { code?: unknown } | null)?.code === BLOCKED_ADDRESS_CODE;
}

// Link-local (where the AWS, GCP, Azure, Oracle, OpenStack... metadata services answer) and the metadata
// addresses outside it. Azure's WireServer (168.63.129.16) hands VM agents their configuration.
const LINK_LOCAL_AND_METADATA = networkList([
  '169.254.0.0/16',
  'fe80::/10',
  'fd00:ec2::254/128',
  '100.100.100.200/32',
  '168.63.129.16/32',
]);
const LINK_LOCAL = 'a link-local/cloud metadata address';
const LINK_LOCAL_NOT_ALLOWED = `${LINK_LOCAL} not named in RESEAUX_AUTORISES`;

function isLinkLocalOrMetadata(address: string, family: 'ipv4' | 'ipv6'): boolean {
  if (LINK_LOCAL_AND_METADATA.check(address, family)) return true;
  const embedded = family === 'ipv6' && NAT64.check(address, 'ipv6') ? embeddedIPv4(address) : null;
  return embedded !== null && LINK_LOCAL_AND_METADATA.check(embedded, 'ipv4');
}

// 0.0.0.0 and :: reach this machine itself.
const UNSPECIFIED = networkList(['0.0.0.0/8', '::/128']);
// The NAT64 well-known prefix carries an IPv4 address in its last 32 bits.
const NAT64 = networkList(['64:ff9b::/96']);

/** Parses "10.0.0.0/8", "fd00::/8", "[fd00::]/8" or a single address; returns its normalised CIDR or throws. */
export function parseNetwork(entry: string): string {
  const text = entry.trim();
  const match = /^(?:\[([^\]]+)\]|([^[\]/]+))(?:\/(\d{1,3}))?$/.exec(text);
  const address = match?.[1] ?? match?.[2] ?? '';
  const family = isIP(address);
  const maxPrefix = family === 6 ? 128 : 32;
  const prefix = match?.[3] === undefined ? maxPrefix : Number(match[3]);
  if (family === 0 || address.includes('%') || prefix > maxPrefix) {
    throw new Error(`"${text}" is not an IP address or a CIDR network (e.g. 10.0.0.0/8, 192.168.1.10, fd00::/8)`);
  }
  const mapped = family === 6 ? mappedIPv4(address) : null;
  // ::ffff:10.0.0.0/104 means 10.0.0.0/8: addresses are compared in their IPv4 form.
  if (mapped !== null && prefix >= 96) return `${mapped}/${prefix - 96}`;
  return `${family === 6 ? canonicalIPv6(address) : address}/${prefix}`;
}

export function createAddressPolicy(options: AddressPolicyOptions = {}): AddressPolicy {
  const denied = options.deniedNetworks?.length ? networkList(options.deniedNetworks) : null;
  const allowed = options.allowedNetworks?.length ? networkList(options.allowedNetworks) : null;
  const blockLinkLocal = options.blockLinkLocal ?? false;
  const blockUnlessAllowed = !blockLinkLocal && (options.blockLinkLocalUnlessAllowed ?? false);
  const resolveName = options.resolve ?? systemResolve;

  const refusal = (given: string): string | null => {
    const address = normalise(given);
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (blockLinkLocal && UNSPECIFIED.check(address, family)) return 'an unspecified address (it reaches this machine)';
    if ((blockLinkLocal || blockUnlessAllowed) && isLinkLocalOrMetadata(address, family)) {
      // Only an allow list naming the range lets a monitor through; an empty list (allow all) does not.
      if (blockLinkLocal || !allowed?.check(address, family))
        return blockUnlessAllowed ? LINK_LOCAL_NOT_ALLOWED : LINK_LOCAL;
    }
    if (denied?.check(address, family)) return 'in a denied network (RESEAUX_INTERDITS)';
    if (allowed && !allowed.check(address, family)) return 'outside the allowed networks (RESEAUX_AUTORISES)';
    return null;
  };

  const literalRefusal = (host: string): BlockedAddressError | null => {
    const address = unbracket(host);
    if (isIP(address) === 0) return null;
    const reason = refusal(address);
    return reason === null ? null : new BlockedAddressError(normalise(address), normalise(address), reason);
  };

  const resolve = async (host: string): Promise<ResolvedAddress[]> => {
    const literal = unbracket(host);
    const family = isIP(literal);
    const addresses: ResolvedAddress[] =
      family !== 0 ? [{ address: literal, family: family as 4 | 6 }] : await resolveName(host);
    if (addresses.length === 0) throw notFound(host);
    const permitted = addresses.filter((entry) => refusal(entry.address) === null);
    if (permitted.length > 0) return permitted;
    const first = addresses[0]!;
    const shown = normalise(first.address);
    throw new BlockedAddressError(family !== 0 ? shown : host, shown, refusal(first.address)!);
  };

  const lookup: LookupFunction = (hostname, lookupOptions, callback) => {
    const wanted = familyNumber(lookupOptions.family);
    resolve(hostname).then(
      (addresses) => {
        const usable = wanted === 0 ? addresses : addresses.filter((entry) => entry.family === wanted);
        const first = usable[0];
        if (first === undefined) return callback(notFound(hostname), '', 0);
        if (lookupOptions.all) return callback(null, usable);
        return callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 0),
    );
  };

  return { refusal, resolve, lookup, literalRefusal };
}

/** Monitors: everything but link-local and metadata addresses reachable, unless the operator's lists say otherwise. */
export const MONITOR_ADDRESS_POLICY: AddressPolicy = createAddressPolicy({ blockLinkLocalUnlessAllowed: true });
/** One-off checks and notification sends: no link-local or metadata address, whatever the lists say. */
export const STRICT_ADDRESS_POLICY: AddressPolicy = createAddressPolicy({ blockLinkLocal: true });

/** The two policies a running Vigie uses, both with the operator's deny and allow lists. */
export interface AddressPolicies {
  /** Scheduled (and "check now") monitor checks: link-local/metadata only where RESEAUX_AUTORISES names it. */
  monitors: AddressPolicy;
  /** One-off checks of any URL and notification sends. */
  strict: AddressPolicy;
}

export function createAddressPolicies(
  networks: { deniedNetworks: readonly string[]; allowedNetworks: readonly string[] },
  resolve?: Resolve,
): AddressPolicies {
  return {
    monitors: createAddressPolicy({ ...networks, resolve, blockLinkLocalUnlessAllowed: true }),
    strict: createAddressPolicy({ ...networks, resolve, blockLinkLocal: true }),
  };
}

/** A Resolve that asks given DNS servers (a dns.promises.Resolver) for A and AAAA records. */
export function resolveWith(resolver: dns.promises.Resolver): Resolve {
  return async (hostname) => {
    const [v4, v6] = await Promise.allSettled([resolver.resolve4(hostname), resolver.resolve6(hostname)]);
    const addresses: ResolvedAddress[] = [
      ...(v4.status === 'fulfilled' ? v4.value.map((address) => ({ address, family: 4 as const })) : []),
      ...(v6.status === 'fulfilled' ? v6.value.map((address) => ({ address, family: 6 as const })) : []),
    ];
    if (addresses.length > 0) return addresses;
    if (v4.status === 'rejected') throw v4.reason;
    throw notFound(hostname);
  };
}

async function systemResolve(hostname: string): Promise<ResolvedAddress[]> {
  const entries = await dns.promises.lookup(hostname, { all: true });
  return entries.map((entry) => ({ address: entry.address, family: entry.family === 6 ? 6 : 4 }));
}

/** A BlockList holding CIDRs (or single addresses), IPv4 and IPv6. */
export function networkList(cidrs: readonly string[]): BlockList {
  const list = new BlockList();
  for (const cidr of cidrs) {
    const [address = '', prefix = ''] = parseNetwork(cidr).split('/');
    list.addSubnet(address, Number(prefix), isIP(address) === 6 ? 'ipv6' : 'ipv4');
  }
  return list;
}

/** The address without brackets or zone, IPv4-mapped IPv6 (::ffff:a.b.c.d) as IPv4, IPv6 in canonical form. */
function normalise(address: string): string {
  const bare = unbracket(address).replace(/%.*$/, '');
  if (isIP(bare) !== 6) return bare;
  return mappedIPv4(bare) ?? canonicalIPv6(bare);
}

function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** The WHATWG URL parser prints IPv6 addresses in the RFC 5952 form, hex groups only. */
function canonicalIPv6(address: string): string {
  return new URL(`http://[${address.replace(/%.*$/, '')}]/`).hostname.slice(1, -1);
}

function mappedIPv4(address: string): string | null {
  const groups = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(canonicalIPv6(address));
  return groups ? groupsToIPv4(groups[1]!, groups[2]!) : null;
}

function embeddedIPv4(address: string): string | null {
  const groups = /:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(canonicalIPv6(address));
  return groups ? groupsToIPv4(groups[1]!, groups[2]!) : null;
}

function groupsToIPv4(high: string, low: string): string {
  const h = parseInt(high, 16);
  const l = parseInt(low, 16);
  return [h >> 8, h & 0xff, l >> 8, l & 0xff].join('.');
}

function familyNumber(family: number | string | undefined): 0 | 4 | 6 {
  if (family === 4 || family === 'IPv4') return 4;
  if (family === 6 || family === 'IPv6') return 6;
  return 0;
}

function notFound(hostname: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname });
}
