// DNS checks against a real DNS server on loopback: each record type, the three ways of matching, and NXDOMAIN,
// SERVFAIL, no answer in time, a mismatch and a refused resolver address, each with its cause.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAddressPolicy, runCheck, type CheckOutcome, type DnsCheckSettings } from '../../server/checks/index.ts';
import { startDnsServer, type DnsServer } from '../helpers/dns.ts';

let server: DnsServer;

function check(name: string, dns: Partial<DnsCheckSettings>, timeoutMs = 2000): Promise<CheckOutcome> {
  return runCheck({
    kind: 'dns',
    target: name,
    timeoutMs,
    dns: { recordType: 'A', expected: [], match: 'exact', resolver: server.address, ...dns },
  });
}

beforeAll(async () => {
  server = await startDnsServer({ 'www.vigie.test': ['192.0.2.10', '192.0.2.11', '2001:db8::1'] });
  server.records('vigie.test', 'MX', [
    { preference: 10, exchange: 'mail.vigie.test' },
    { preference: 20, exchange: 'backup.vigie.test' },
  ]);
  server.records('vigie.test', 'TXT', [['v=spf1 ', '-all'], ['site-verification=abc123']]);
  server.records('vigie.test', 'NS', ['ns1.vigie.test', 'ns2.vigie.test']);
  server.records('vigie.test', 'SOA', [
    {
      mname: 'ns1.vigie.test',
      rname: 'hostmaster.vigie.test',
      serial: 2026113001,
      refresh: 3600,
      retry: 600,
      expire: 86400,
      minimum: 60,
    },
  ]);
  server.records('vigie.test', 'CAA', [{ flags: 0, tag: 'issue', value: 'letsencrypt.org' }]);
  server.records('alias.vigie.test', 'CNAME', ['www.vigie.test']);
  server.servfail('broken.vigie.test');
  server.silent('silent.vigie.test');
});

afterAll(() => server.close());

describe('DNS checks', () => {
  it('is up when the A answers are exactly the expected set, in any order', async () => {
    const outcome = await check('www.vigie.test', { expected: ['192.0.2.11', '192.0.2.10'] });
    expect(outcome).toMatchObject({ isUp: true, cause: null, error: null, target: 'www.vigie.test' });
    expect(outcome.latencyMs).toBeTypeOf('number');
    expect(server.queries).toContain('www.vigie.test');
  });

  it('is down with cause mismatch when an exact set differs, naming what came', async () => {
    const outcome = await check('www.vigie.test', { expected: ['192.0.2.10'] });
    expect(outcome).toMatchObject({ isUp: false, cause: 'mismatch' });
    expect(outcome.error).toContain('192.0.2.11');
  });

  it('contains: every expected value among the answers', async () => {
    expect((await check('www.vigie.test', { expected: ['192.0.2.10'], match: 'contains' })).isUp).toBe(true);
    const missing = await check('www.vigie.test', { expected: ['192.0.2.99'], match: 'contains' });
    expect(missing).toMatchObject({ isUp: false, cause: 'mismatch' });
    expect(missing.error).toContain('192.0.2.99');
  });

  it('regex: one answer matching the pattern (RE2)', async () => {
    expect((await check('vigie.test', { recordType: 'TXT', expected: ['^v=spf1 '], match: 'regex' })).isUp).toBe(true);
    const none = await check('vigie.test', { recordType: 'TXT', expected: ['^google-'], match: 'regex' });
    expect(none).toMatchObject({ isUp: false, cause: 'mismatch' });
  });

  it('reads AAAA, CNAME, MX, TXT, NS, SOA and CAA answers as text', async () => {
    const cases: Array<[string, DnsCheckSettings['recordType'], string[]]> = [
      ['www.vigie.test', 'AAAA', ['2001:db8::1']],
      ['alias.vigie.test', 'CNAME', ['www.vigie.test']],
      ['vigie.test', 'MX', ['10 mail.vigie.test', '20 backup.vigie.test']],
      ['vigie.test', 'TXT', ['v=spf1 -all', 'site-verification=abc123']],
      ['vigie.test', 'NS', ['NS1.vigie.test.', 'ns2.vigie.test']],
      ['vigie.test', 'SOA', ['ns1.vigie.test hostmaster.vigie.test 2026113001 3600 600 86400 60']],
      ['vigie.test', 'CAA', ['0 issue letsencrypt.org']],
    ];
    for (const [name, recordType, expected] of cases) {
      const outcome = await check(name, { recordType, expected });
      expect(outcome, `${recordType} ${name}`).toMatchObject({ isUp: true, error: null });
    }
  });

  it('any answer will do when nothing is expected, but no record is a mismatch', async () => {
    expect((await check('vigie.test', { recordType: 'MX' })).isUp).toBe(true);
    const none = await check('www.vigie.test', { recordType: 'MX' });
    expect(none).toMatchObject({ isUp: false, cause: 'mismatch', error: 'no MX record' });
  });

  it('is down with cause nxdomain for a name that does not exist', async () => {
    const outcome = await check('nowhere.vigie.test', {});
    expect(outcome).toMatchObject({ isUp: false, cause: 'nxdomain' });
    expect(outcome.error).toContain('NXDOMAIN');
  });

  it('is down with cause servfail when the server fails', async () => {
    const outcome = await check('broken.vigie.test', {});
    expect(outcome).toMatchObject({ isUp: false, cause: 'servfail' });
    expect(outcome.error).toContain('SERVFAIL');
  });

  it('is down with cause timeout when no answer comes within the timeout', async () => {
    const started = performance.now();
    const outcome = await check('silent.vigie.test', {}, 500);
    expect(outcome).toMatchObject({ isUp: false, cause: 'timeout' });
    expect(performance.now() - started).toBeLessThan(1500);
  });

  it('does not ask a resolver the address policy refuses', async () => {
    const before = server.queries.length;
    const outcome = await runCheck({
      kind: 'dns',
      target: 'www.vigie.test',
      timeoutMs: 1000,
      dns: { recordType: 'A', expected: [], match: 'exact', resolver: server.address },
      addressPolicy: createAddressPolicy({ deniedNetworks: ['127.0.0.0/8'] }),
    });
    expect(outcome).toMatchObject({ isUp: false, cause: 'blocked_address' });
    expect(server.queries.length).toBe(before);
  });
});
