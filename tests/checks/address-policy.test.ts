// The address policy of outgoing requests: link-local and cloud metadata addresses refused for one-off checks (IP
// literals, names resolved through a real DNS server on loopback, redirect hops), and the operator's deny and
// allow lists applied to monitors (http, tcp).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createAddressPolicies,
  createAddressPolicy,
  MONITOR_ADDRESS_POLICY,
  runCheck,
  STRICT_ADDRESS_POLICY,
  type AddressPolicy,
  type CheckOutcome,
  type CheckSpec,
} from '../../server/checks/index.ts';
import { startDnsServer, type DnsServer } from '../helpers/dns.ts';
import { startHttpTarget, startTcpTarget, type HttpTarget, type TcpTarget } from '../helpers/targets.ts';

const METADATA_REFUSAL = '169.254.169.254 is a link-local/cloud metadata address; Vigie does not send requests there';

let target: HttpTarget;
let tcp: TcpTarget;
let dns: DnsServer;
/** One-off checks as the app makes them: the strict policy, resolving names through the test's DNS server. */
let oneOff: AddressPolicy;

beforeAll(async () => {
  [target, tcp, dns] = await Promise.all([
    startHttpTarget(),
    startTcpTarget(),
    startDnsServer({
      'metadata.vigie.test': ['169.254.169.254'],
      'metadata6.vigie.test': ['fe80::a9fe:a9fe'],
      'site.vigie.test': ['127.0.0.1'],
      // A name with a permitted and a refused address: only the permitted one is connected to.
      'mixed.vigie.test': ['169.254.169.254', '127.0.0.1'],
    }),
  ]);
  oneOff = createAddressPolicy({ blockLinkLocal: true, resolve: dns.resolve });
});

afterAll(async () => {
  await Promise.all([target.close(), tcp.close(), dns.close()]);
});

function check(spec: Omit<CheckSpec, 'timeoutMs'>, timeoutMs = 3000): Promise<CheckOutcome> {
  return runCheck({ timeoutMs, ...spec });
}

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const start = performance.now();
  const result = await work();
  return { result, ms: performance.now() - start };
}

describe('one-off checks (strict policy)', () => {
  it('refuses the metadata address at once, without trying to connect', async () => {
    const { result, ms } = await timed(() =>
      check(
        { kind: 'http', target: 'http://169.254.169.254/latest/meta-data/', addressPolicy: STRICT_ADDRESS_POLICY },
        5000,
      ),
    );
    expect(result).toMatchObject({ isUp: false, cause: 'blocked_address', error: METADATA_REFUSAL, httpStatus: null });
    expect(ms).toBeLessThan(500);
  });

  it.each([
    ['http://[::ffff:169.254.169.254]/', METADATA_REFUSAL],
    ['http://[::ffff:a9fe:a9fe]/latest/', METADATA_REFUSAL],
    ['http://2852039166/', METADATA_REFUSAL], // 169.254.169.254 as one number, which URL parsing turns back
    ['http://[fe80::1]/', 'fe80::1 is a link-local/cloud metadata address; Vigie does not send requests there'],
    [
      'http://[fd00:ec2::254]/',
      'fd00:ec2::254 is a link-local/cloud metadata address; Vigie does not send requests there',
    ],
    [
      'http://100.100.100.200/',
      '100.100.100.200 is a link-local/cloud metadata address; Vigie does not send requests there',
    ],
    [
      'http://0.0.0.0:8080/',
      '0.0.0.0 is an unspecified address (it reaches this machine); Vigie does not send requests there',
    ],
    ['http://[::]:8080/', ':: is an unspecified address (it reaches this machine); Vigie does not send requests there'],
  ])('refuses %s', async (url, message) => {
    const outcome = await check({ kind: 'http', target: url, addressPolicy: STRICT_ADDRESS_POLICY });
    expect(outcome).toMatchObject({ isUp: false, cause: 'blocked_address', error: message });
  });

  it('refuses a redirect into the metadata address, at the redirect hop', async () => {
    const before = target.requests;
    const outcome = await check({
      kind: 'http',
      target: `${target.url}/redirect?to=${encodeURIComponent('http://169.254.169.254/latest/meta-data/')}`,
      addressPolicy: STRICT_ADDRESS_POLICY,
    });
    expect(outcome).toMatchObject({ isUp: false, cause: 'blocked_address', httpStatus: null });
    expect(outcome.error).toBe(`redirect to http://169.254.169.254/latest/meta-data/ refused: ${METADATA_REFUSAL}`);
    expect(target.requests - before).toBe(1);
  });

  it('refuses a host name that resolves to the metadata address (checked after DNS)', async () => {
    const outcome = await check({
      kind: 'http',
      target: 'http://metadata.vigie.test/latest/meta-data/',
      addressPolicy: oneOff,
    });
    expect(outcome).toMatchObject({ isUp: false, cause: 'blocked_address' });
    expect(outcome.error).toBe(
      'metadata.vigie.test resolves to 169.254.169.254, which is a link-local/cloud metadata address; Vigie does not send requests there',
    );
    expect(dns.queries).toContain('metadata.vigie.test');
  });

  it('refuses a name with only a link-local IPv6 address, and a redirect to such a name', async () => {
    const direct = await check({ kind: 'http', target: 'http://metadata6.vigie.test/', addressPolicy: oneOff });
    expect(direct).toMatchObject({ cause: 'blocked_address' });
    expect(direct.error).toMatch(/^metadata6\.vigie\.test resolves to fe80::a9fe:a9fe, which is a link-local/);
    const redirected = await check({
      kind: 'http',
      target: `${target.url}/redirect?to=${encodeURIComponent('http://metadata.vigie.test/')}`,
      addressPolicy: oneOff,
    });
    expect(redirected).toMatchObject({ cause: 'blocked_address' });
    expect(redirected.error).toMatch(
      /^redirect to http:\/\/metadata\.vigie\.test\/ refused: metadata\.vigie\.test resolves to 169\.254/,
    );
  });

  it('connects through the same resolver to a permitted address, and only to permitted ones', async () => {
    const up = await check({ kind: 'http', target: `http://site.vigie.test:${target.port}/`, addressPolicy: oneOff });
    expect(up).toMatchObject({ isUp: true, httpStatus: 200 });
    expect(up.timings?.dnsMs).toBeTypeOf('number');
    const mixed = await check({
      kind: 'http',
      target: `http://mixed.vigie.test:${target.port}/`,
      addressPolicy: oneOff,
    });
    expect(mixed).toMatchObject({ isUp: true, httpStatus: 200 });
    expect(await oneOff.resolve('mixed.vigie.test')).toEqual([{ address: '127.0.0.1', family: 4 }]);
  });

  it('reports a name the DNS server does not know as a DNS failure', async () => {
    const outcome = await check({ kind: 'http', target: 'http://unknown.vigie.test/', addressPolicy: oneOff });
    expect(outcome).toMatchObject({ isUp: false, cause: 'dns' });
  });

  it('still reaches loopback and private addresses', async () => {
    expect(await check({ kind: 'http', target: `${target.url}/`, addressPolicy: STRICT_ADDRESS_POLICY })).toMatchObject(
      { isUp: true },
    );
  });
});

describe('monitors (operator lists)', () => {
  // Link-local and metadata addresses: see metadata-monitors.test.ts.
  it('do not reach link-local addresses by default', () => {
    expect(MONITOR_ADDRESS_POLICY.refusal('169.254.169.254')).toMatch(/link-local/);
    expect(createAddressPolicies({ deniedNetworks: [], allowedNetworks: [] }).monitors.refusal('169.254.10.1')).toMatch(
      /link-local/,
    );
  });

  it('refuses an address in the deny list (http), while others still work', async () => {
    const { monitors } = createAddressPolicies({ deniedNetworks: ['127.0.0.2/32'], allowedNetworks: [] });
    const denied = await check({ kind: 'http', target: `http://127.0.0.2:${target.port}/`, addressPolicy: monitors });
    expect(denied).toMatchObject({
      isUp: false,
      cause: 'blocked_address',
      error: '127.0.0.2 is in a denied network (RESEAUX_INTERDITS); Vigie does not send requests there',
    });
    const allowed = await check({ kind: 'http', target: `http://127.0.0.1:${target.port}/`, addressPolicy: monitors });
    expect(allowed).toMatchObject({ isUp: true, httpStatus: 200 });
  });

  it('refuses what the allow list leaves out (tcp), and reaches what it holds', async () => {
    const { monitors } = createAddressPolicies({ deniedNetworks: [], allowedNetworks: ['127.0.0.1/32'] }, dns.resolve);
    const before = tcp.connections;
    const refused = await check({ kind: 'tcp', target: `127.0.0.3:${tcp.port}`, addressPolicy: monitors });
    expect(refused).toMatchObject({
      isUp: false,
      cause: 'blocked_address',
      error: '127.0.0.3 is outside the allowed networks (RESEAUX_AUTORISES); Vigie does not send requests there',
    });
    expect(await check({ kind: 'tcp', target: `127.0.0.1:${tcp.port}`, addressPolicy: monitors })).toMatchObject({
      isUp: true,
    });
    // A name is checked on the address it resolves to.
    expect(await check({ kind: 'tcp', target: `site.vigie.test:${tcp.port}`, addressPolicy: monitors })).toMatchObject({
      isUp: true,
    });
    const named = await check({ kind: 'tcp', target: `metadata.vigie.test:${tcp.port}`, addressPolicy: monitors });
    expect(named).toMatchObject({ cause: 'blocked_address' });
    expect(named.error).toMatch(
      /^metadata\.vigie\.test resolves to 169\.254\.169\.254, which is a link-local\/cloud metadata address not named in RESEAUX_AUTORISES/,
    );
    expect(tcp.connections - before).toBe(2);
  });

  it('lets the deny list win over the allow list, for IPv4-mapped IPv6 addresses too', () => {
    const { monitors, strict } = createAddressPolicies({
      deniedNetworks: ['10.1.0.0/16'],
      allowedNetworks: ['10.0.0.0/8'],
    });
    expect(monitors.refusal('10.2.3.4')).toBeNull();
    expect(monitors.refusal('10.1.2.3')).toMatch(/denied network/);
    expect(monitors.refusal('::ffff:10.1.2.3')).toMatch(/denied network/);
    expect(monitors.refusal('192.168.1.1')).toMatch(/outside the allowed networks/);
    expect(strict.refusal('10.2.3.4')).toBeNull();
  });

  it('applies IPv6 networks to IPv6 addresses', () => {
    const policy = createAddressPolicy({ deniedNetworks: ['fd00::/8'] });
    expect(policy.refusal('fd12::1')).toMatch(/denied network/);
    expect(policy.refusal('2001:db8::1')).toBeNull();
    expect(policy.refusal('10.0.0.1')).toBeNull();
  });
});
