// Heartbeat and DNS monitors over GraphQL, with the scheduler running: kinds PUSH and DNS, graceSeconds, dns
// settings, pingUrl and regeneratePingToken; a DNS monitor checked against a DNS server on loopback; bad input.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataOf, errorOf, startGraphQLApp, type GraphQLTestApp } from '../helpers/graphql.ts';
import { startDnsServer, type DnsServer } from '../helpers/dns.ts';

let app: GraphQLTestApp;
let dns: DnsServer;

beforeAll(async () => {
  [app, dns] = await Promise.all([startGraphQLApp(), startDnsServer({ 'api.vigie.test': ['192.0.2.7'] })]);
}, 60_000);

afterAll(async () => {
  await Promise.all([app?.close(), dns?.close()]);
});

const FIELDS = `id kind target graceSeconds pingUrl status dns { recordType expected match resolver }
  lastResult { isUp error cause }`;
const CREATE = `mutation ($input: CreateMonitorInput!) { createMonitor(input: $input) { ${FIELDS} } }`;
const UPDATE = `mutation ($id: ID!, $input: UpdateMonitorInput!) { updateMonitor(id: $id, input: $input) { ${FIELDS} } }`;
const MONITOR = `query ($id: ID!) { monitor(id: $id) { ${FIELDS} } }`;

async function until<T>(what: string, probe: () => Promise<T | null | false>, timeoutMs = 8000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('DNS monitors', () => {
  it('are checked on their interval against the resolver given, and go DOWN on a mismatch with the cause', async () => {
    const created = dataOf(
      await app.gql(CREATE, {
        input: {
          name: 'api A record',
          kind: 'DNS',
          target: 'API.vigie.test.',
          intervalSeconds: 2,
          timeoutSeconds: 1,
          dns: { recordType: 'A', expected: ['192.0.2.7'], match: 'EXACT', resolver: dns.address },
        },
      }),
    ).createMonitor;
    expect(created).toMatchObject({
      kind: 'DNS',
      target: 'api.vigie.test',
      pingUrl: null,
      dns: { recordType: 'A', expected: ['192.0.2.7'], match: 'EXACT', resolver: dns.address },
    });
    await until('UP', async () => dataOf(await app.gql(MONITOR, { id: created.id })).monitor.status === 'UP' || null);
    // The record changes: the next check sees it.
    dns.set('api.vigie.test', ['192.0.2.8']);
    const down = await until('DOWN', async () => {
      const monitor = dataOf(await app.gql(MONITOR, { id: created.id })).monitor;
      return monitor.status === 'DOWN' && monitor;
    });
    expect(down.lastResult).toMatchObject({ isUp: false, cause: 'mismatch' });
    expect(down.lastResult.error).toContain('192.0.2.8');
    // Only the match changes; the rest of the settings are kept.
    const updated = dataOf(
      await app.gql(UPDATE, { id: created.id, input: { dns: { match: 'CONTAINS' } } }),
    ).updateMonitor;
    expect(updated.dns).toEqual({ recordType: 'A', expected: ['192.0.2.7'], match: 'CONTAINS', resolver: dns.address });
  });

  it('refuse bad settings with BAD_USER_INPUT naming the field', async () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ name: 'x', kind: 'DNS', target: 'a.test' }, /dns\.recordType/],
      [{ name: 'x', kind: 'DNS', target: 'not a name!', dns: { recordType: 'A' } }, /target/],
      [
        { name: 'x', kind: 'DNS', target: 'a.test', dns: { recordType: 'A', resolver: 'dns.example:53' } },
        /dns\.resolver/,
      ],
      [
        { name: 'x', kind: 'DNS', target: 'a.test', dns: { recordType: 'A', resolver: '169.254.169.254' } },
        /dns\.resolver/,
      ],
      [
        { name: 'x', kind: 'DNS', target: 'a.test', dns: { recordType: 'TXT', match: 'REGEX', expected: ['(a'] } },
        /dns\.expected/,
      ],
      [{ name: 'x', kind: 'PUSH', graceSeconds: 100_000 }, /graceSeconds/],
    ];
    for (const [input, field] of cases) {
      const error = errorOf(await app.gql(CREATE, { input }), 'BAD_USER_INPUT');
      expect(error.message, JSON.stringify(input)).toMatch(field);
    }
  });
});

describe('heartbeat monitors', () => {
  it('show their ping URL, get a new one with regeneratePingToken, and cannot be checked now', async () => {
    const created = dataOf(
      await app.gql(CREATE, { input: { name: 'cron job', kind: 'PUSH', intervalSeconds: 300, graceSeconds: 30 } }),
    ).createMonitor;
    expect(created).toMatchObject({
      kind: 'PUSH',
      target: 'heartbeat',
      graceSeconds: 30,
      dns: null,
      status: 'PENDING',
    });
    expect(created.pingUrl).toMatch(/\/api\/ping\/[A-Za-z0-9_-]{32}$/);
    const ping = await app.request(new URL(created.pingUrl).pathname);
    expect(ping.status).toBe(200);
    await until('UP', async () => dataOf(await app.gql(MONITOR, { id: created.id })).monitor.status === 'UP' || null);
    const renewed = dataOf(
      await app.gql(`mutation ($id: ID!) { regeneratePingToken(id: $id) { pingUrl } }`, { id: created.id }),
    ).regeneratePingToken;
    expect(renewed.pingUrl).not.toBe(created.pingUrl);
    expect((await app.request(new URL(created.pingUrl).pathname)).status).toBe(404);
    const checkNow = errorOf(
      await app.gql(`mutation ($id: ID!) { checkNow(id: $id) { id } }`, { id: created.id }),
      'BAD_USER_INPUT',
    );
    expect(checkNow.message).toMatch(/heartbeat/);
  });
});
