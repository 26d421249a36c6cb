// DNS check: asks for one record type of a name (on the system's resolvers or one given as ip[:port]) and compares
// the answers with the expected ones. NXDOMAIN, SERVFAIL, a timeout or other answers are failures with their cause.
import { promises as dns } from 'node:dns';
import { isIP } from 'node:net';
import { ValidationError } from '../errors.ts';
import { MONITOR_ADDRESS_POLICY } from './address-policy.ts';
import { compileKeyword } from './keyword.ts';
import {
  buildOutcome,
  checkTimeout,
  classifyNetworkError,
  inputFailure,
  startClock,
  timeoutFailure,
  type Failure,
} from './outcome.ts';
import { RegexTimeoutError } from './regex-pool.ts';
import type { CheckOutcome, CheckSpec, DnsCheckSettings, DnsRecordType } from './types.ts';

export const DNS_RECORD_TYPES = ['A', 'AAAA', 'CNAME', 'MX', 'TXT', 'NS', 'SOA', 'CAA'] as const;

const DNS_NAME =
  /^(?=.{1,253}\.?$)([A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?\.)*[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?\.?$/;

/** A name to ask about, lower-cased, without its final dot; throws ValidationError for anything else. */
export function parseDnsName(target: string): string {
  if (!DNS_NAME.test(target)) {
    throw new ValidationError(
      `"${target}" is not a DNS name (labels of letters, digits, - and _, at most 253 characters)`,
    );
  }
  return target.toLowerCase().replace(/\.$/, '');
}

/** "192.0.2.1", "192.0.2.1:5353", "::1" or "[::1]:5353": an IP address (a resolver's name would need DNS itself). */
export function parseDnsResolver(resolver: string): { host: string; port: number; server: string } {
  const bracketed = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(resolver);
  const plain = /^([^:]+)(?::(\d{1,5}))?$/.exec(resolver);
  const [host, portText] = bracketed
    ? [bracketed[1]!, bracketed[2]]
    : isIP(resolver) === 6
      ? [resolver, undefined]
      : plain
        ? [plain[1]!, plain[2]]
        : [resolver, undefined];
  const port = portText === undefined ? 53 : Number(portText);
  if (isIP(host) === 0 || port < 1 || port > 65_535) {
    throw new ValidationError(
      `"${resolver}" is not an IP address with an optional port (192.0.2.1:53, [2001:db8::1]:53)`,
    );
  }
  return { host, port, server: isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}` };
}

/** Each answer as one line of text, the way dig shows it (names without their final dot). */
async function ask(resolver: dns.Resolver, name: string, type: DnsRecordType): Promise<string[]> {
  const bare = (value: string) => value.replace(/\.$/, '');
  switch (type) {
    case 'A':
      return resolver.resolve4(name);
    case 'AAAA':
      return resolver.resolve6(name);
    case 'CNAME':
      return (await resolver.resolveCname(name)).map(bare);
    case 'NS':
      return (await resolver.resolveNs(name)).map(bare);
    case 'MX':
      return (await resolver.resolveMx(name)).map((mx) => `${mx.priority} ${bare(mx.exchange)}`);
    case 'TXT':
      return (await resolver.resolveTxt(name)).map((chunks) => chunks.join(''));
    case 'SOA': {
      const soa = await resolver.resolveSoa(name);
      return [
        `${bare(soa.nsname)} ${bare(soa.hostmaster)} ${soa.serial} ${soa.refresh} ${soa.retry} ${soa.expire} ${soa.minttl}`,
      ];
    }
    case 'CAA':
      return (await resolver.resolveCaa(name)).map((caa) => {
        const { critical, ...rest } = caa as unknown as Record<string, unknown>;
        const [tag, value] = Object.entries(rest)[0] ?? ['', ''];
        return `${Number(critical)} ${tag} ${String(value)}`;
      });
  }
}

/** Names compare without case; TXT and CAA values as they are. */
function normalise(type: DnsRecordType, value: string): string {
  const trimmed = value.trim();
  return type === 'TXT' || type === 'CAA' ? trimmed : trimmed.toLowerCase().replace(/\.$/, '');
}

async function compare(settings: DnsCheckSettings, answers: string[], timeoutMs: number): Promise<Failure | null> {
  const type = settings.recordType;
  const shown = answers.length ? answers.join(', ') : 'none';
  if (answers.length === 0) return { cause: 'mismatch', message: `no ${type} record` };
  if (settings.expected.length === 0) return null;
  if (settings.match === 'regex') {
    const matches = compileKeyword(settings.expected[0], true);
    for (const answer of answers) if (await matches(answer, timeoutMs)) return null;
    return { cause: 'mismatch', message: `no ${type} answer matches /${settings.expected[0]}/ (got ${shown})` };
  }
  const got = new Set(answers.map((answer) => normalise(type, answer)));
  const expected = new Set(settings.expected.map((value) => normalise(type, value)));
  const missing = [...expected].filter((value) => !got.has(value));
  if (settings.match === 'contains') {
    return missing.length === 0
      ? null
      : { cause: 'mismatch', message: `${type} answers lack ${missing.join(', ')} (got ${shown})` };
  }
  const extra = [...got].filter((value) => !expected.has(value));
  if (missing.length === 0 && extra.length === 0) return null;
  return { cause: 'mismatch', message: `${type} answers are ${shown}, expected ${settings.expected.join(', ')}` };
}

const RCODES: Record<string, Failure['cause']> = {
  ENOTFOUND: 'nxdomain',
  ESERVFAIL: 'servfail',
  ETIMEOUT: 'timeout',
  ECANCELLED: 'timeout',
  EREFUSED: 'refused',
  ECONNREFUSED: 'refused',
};

function dnsFailure(error: unknown, name: string, settings: DnsCheckSettings, timeoutMs: number): Failure | null {
  const code = (error as { code?: string }).code ?? '';
  if (code === 'ENODATA') return null;
  const cause = RCODES[code];
  if (cause === 'nxdomain') return { cause, message: `NXDOMAIN: ${name} does not exist` };
  if (cause === 'servfail') return { cause, message: `SERVFAIL: the server failed to answer for ${name}` };
  if (cause === 'timeout') return timeoutFailure(timeoutMs);
  if (cause === 'refused') return { cause, message: `REFUSED: the server refused to answer for ${name}` };
  if (error instanceof RegexTimeoutError) return { cause: 'timeout', message: error.message };
  const failure = classifyNetworkError(error);
  return { ...failure, message: `${settings.recordType} lookup failed: ${failure.message}` };
}

export async function checkDns(spec: CheckSpec): Promise<CheckOutcome> {
  const clock = startClock();
  const timeoutMs = checkTimeout(spec.timeoutMs);
  if (typeof timeoutMs !== 'number') return buildOutcome(spec.target, clock, timeoutMs);
  const settings = spec.dns;
  let name: string;
  let server: string | null = null;
  try {
    if (!settings) throw new ValidationError('a DNS check needs its record type');
    name = parseDnsName(spec.target);
    if (settings.resolver) {
      const resolver = parseDnsResolver(settings.resolver);
      const refused = (spec.addressPolicy ?? MONITOR_ADDRESS_POLICY).literalRefusal(resolver.host);
      if (refused !== null) return buildOutcome(spec.target, clock, classifyNetworkError(refused));
      server = resolver.server;
    }
  } catch (error) {
    return buildOutcome(spec.target, clock, inputFailure(error));
  }
  // One try, as long as the whole check may take; the timer below is the overall deadline.
  const resolver = new dns.Resolver({ timeout: timeoutMs, tries: 1 });
  if (server) resolver.setServers([server]);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<Failure>((resolve) => {
    timer = setTimeout(() => {
      resolver.cancel();
      resolve(timeoutFailure(spec.timeoutMs));
    }, timeoutMs);
  });
  const onAbort = () => resolver.cancel();
  spec.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const failure = await Promise.race([
      deadline,
      ask(resolver, name, settings.recordType).then(
        (answers) => compare(settings, answers, Math.max(1, timeoutMs - (performance.now() - clock.startedAt))),
        (error: unknown) => dnsFailure(error, name, settings, spec.timeoutMs) ?? compare(settings, [], timeoutMs),
      ),
    ]).catch((error: unknown) => dnsFailure(error, name, settings, spec.timeoutMs));
    return buildOutcome(spec.target, clock, failure);
  } finally {
    clearTimeout(timer);
    spec.signal?.removeEventListener('abort', onAbort);
  }
}
