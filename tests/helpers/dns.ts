// A tiny DNS server on 127.0.0.1 (UDP) answering A and AAAA queries from a fixed table (and any record type set
// with `records`), and a resolver that asks it: tests resolve made-up names through real DNS packets, without the
// internet or /etc/hosts. Names can also be made to fail (SERVFAIL) or go unanswered (a timeout).
import dgram from 'node:dgram';
import { once } from 'node:events';
import { isIP } from 'node:net';
import { promises as dnsPromises } from 'node:dns';
import dnsPacket from 'dns-packet';
import { resolveWith, type Resolve } from '../../server/checks/index.ts';

export interface DnsServer {
  /** "127.0.0.1:port", for Resolver.setServers. */
  address: string;
  /** Names asked for (lower-cased), in order. */
  readonly queries: readonly string[];
  /** Sets (or replaces) the addresses a name resolves to; IPv4 ones answer A queries, IPv6 ones AAAA. */
  set(name: string, addresses: string[]): void;
  /** Sets the answers of one record type of a name (dns-packet's `data` for that type), e.g. MX { preference, exchange }. */
  records(name: string, type: dnsPacket.RecordType, data: unknown[]): void;
  /** Answers SERVFAIL for the name. */
  servfail(name: string): void;
  /** Never answers for the name (the client times out). */
  silent(name: string): void;
  /** A Resolve (for an address policy) that asks this server only. */
  resolve: Resolve;
  close(): Promise<void>;
}

/** Names not in the table get NXDOMAIN; a known name without an address of the asked family gets no answer. */
export async function startDnsServer(table: Record<string, string[]> = {}): Promise<DnsServer> {
  const records = new Map(Object.entries(table).map(([name, addresses]) => [name.toLowerCase(), addresses]));
  const queries: string[] = [];
  const typed = new Map<string, unknown[]>();
  const failing = new Set<string>();
  const unanswered = new Set<string>();
  const socket = dgram.createSocket('udp4');
  socket.on('message', (message, remote) => {
    let query: dnsPacket.Packet;
    try {
      query = dnsPacket.decode(message);
    } catch {
      return;
    }
    const question = query.questions?.[0];
    if (!question) return;
    const name = question.name.toLowerCase();
    queries.push(name);
    if (unanswered.has(name)) return;
    const addresses = records.get(name);
    const family = question.type === 'A' ? 4 : question.type === 'AAAA' ? 6 : 0;
    const set = typed.get(`${name} ${question.type}`);
    const known = addresses !== undefined || [...typed.keys()].some((key) => key.startsWith(`${name} `));
    const answers = (set ?? (addresses ?? []).filter((address) => isIP(address) === family)).map(
      (data) => ({ type: question.type, name: question.name, ttl: 1, class: 'IN', data }) as dnsPacket.Answer,
    );
    const response = dnsPacket.encode({
      type: 'response',
      id: query.id,
      // Authoritative answer, recursion desired and available; RCODE 3 (NXDOMAIN) for an unknown name.
      flags:
        dnsPacket.AUTHORITATIVE_ANSWER |
        dnsPacket.RECURSION_DESIRED |
        dnsPacket.RECURSION_AVAILABLE |
        (failing.has(name) ? 2 : known ? 0 : 3),
      questions: [question],
      answers,
    });
    socket.send(response, remote.port, remote.address);
  });
  socket.bind(0, '127.0.0.1');
  await once(socket, 'listening');
  const address = `127.0.0.1:${socket.address().port}`;
  const resolver = new dnsPromises.Resolver({ timeout: 1000, tries: 1 });
  resolver.setServers([address]);
  return {
    address,
    get queries() {
      return queries;
    },
    set: (name, addresses) => void records.set(name.toLowerCase(), addresses),
    records: (name, type, data) => void typed.set(`${name.toLowerCase()} ${type}`, data),
    servfail: (name) => void failing.add(name.toLowerCase()),
    silent: (name) => void unanswered.add(name.toLowerCase()),
    resolve: resolveWith(resolver),
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
