// ICMP checks: the real `ping` when installed, and stand-in ping programs for every other outcome.
import {
  accessSync,
  chmodSync,
  constants,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkIcmp, createAddressPolicy, runCheck, STRICT_ADDRESS_POLICY } from '../../server/checks/index.ts';
import { startDnsServer, type DnsServer } from '../helpers/dns.ts';

let dir: string;
let dns: DnsServer;
/** Writes an executable stand-in for `ping` and returns its path. */
function fakePing(name: string, script: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${script}\n`);
  chmodSync(path, 0o755);
  return path;
}

function pingInPath(): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((folder) => {
    try {
      accessSync(join(folder, 'ping'), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vigie-ping-'));
  dns = await startDnsServer({ 'router.vigie.test': ['127.0.0.1'], 'metadata.vigie.test': ['169.254.169.254'] });
});

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await dns.close();
});

describe('ICMP checks', () => {
  // Runs either way: UP where ping exists (CI installs iputils-ping), the install hint where it does not.
  it(`pings 127.0.0.1 with the system ping (installed here: ${pingInPath()})`, async () => {
    const outcome = await runCheck({ kind: 'icmp', target: '127.0.0.1', timeoutMs: 2000 });
    if (pingInPath()) {
      expect(outcome).toMatchObject({ isUp: true, cause: null, error: null, target: '127.0.0.1' });
      expect(outcome.latencyMs).toBeGreaterThanOrEqual(0);
      expect(outcome.latencyMs).toBeLessThan(2000);
    } else {
      expect(outcome).toMatchObject({ isUp: false, cause: 'ping_unavailable' });
      expect(outcome.error).toContain('apt-get install iputils-ping');
    }
  });

  it('explains how to install ping when the program is missing', async () => {
    const outcome = await checkIcmp(
      { kind: 'icmp', target: '127.0.0.1', timeoutMs: 2000 },
      { pingCommand: join(dir, 'no-such-ping') },
    );
    expect(outcome).toMatchObject({ isUp: false, cause: 'ping_unavailable' });
    expect(outcome.error).toMatch(/`ping` program is not installed/);
    expect(outcome.error).toContain('apt-get install iputils-ping');
    expect(outcome.error).toContain('apk add iputils');
  });

  it('passes a fixed argument list and reads the round-trip time', async () => {
    const argsFile = join(dir, 'args.txt');
    const ping = fakePing(
      'ping-ok',
      `printf '%s\\n' "$@" > '${argsFile}'\necho '64 bytes from 127.0.0.1: icmp_seq=1 ttl=64 time=12.6 ms'`,
    );
    const outcome = await checkIcmp({ kind: 'icmp', target: '127.0.0.1', timeoutMs: 1500 }, { pingCommand: ping });
    expect(outcome).toMatchObject({ isUp: true, latencyMs: 13, cause: null });
    expect(outcome.timings?.totalMs).toBe(13);
    expect(readFileSync(argsFile, 'utf8').trim().split('\n')).toEqual(['-n', '-c', '1', '-W', '2', '--', '127.0.0.1']);
  });

  it('keeps a sub-millisecond round trip at 0 ms', async () => {
    const ping = fakePing('ping-fast', "echo '64 bytes from 127.0.0.1: icmp_seq=1 ttl=64 time=0.045 ms'");
    const outcome = await checkIcmp({ kind: 'icmp', target: '127.0.0.1', timeoutMs: 1000 }, { pingCommand: ping });
    expect(outcome).toMatchObject({ isUp: true, latencyMs: 0 });
  });

  it.each(['-c 1000', '127.0.0.1;rm -rf /', '$(reboot)', '`id`', 'a|b', 'host name', 'x'.repeat(254), '\0'])(
    'rejects %j before running anything',
    async (target) => {
      const marker = join(dir, 'spawned.txt');
      const ping = fakePing('ping-marker', `touch '${marker}'`);
      const outcome = await checkIcmp({ kind: 'icmp', target, timeoutMs: 1000 }, { pingCommand: ping });
      expect(outcome).toMatchObject({ isUp: false, cause: 'invalid_target', target });
      expect(existsSync(marker)).toBe(false);
      expect(await runCheck({ kind: 'icmp', target, timeoutMs: 1000 })).toMatchObject({ cause: 'invalid_target' });
    },
  );

  it('reports no reply as a timeout', async () => {
    const ping = fakePing('ping-lost', "echo '1 packets transmitted, 0 received, 100% packet loss, time 0ms'\nexit 1");
    const outcome = await checkIcmp({ kind: 'icmp', target: '127.0.0.1', timeoutMs: 1000 }, { pingCommand: ping });
    expect(outcome).toMatchObject({ isUp: false, cause: 'timeout' });
    expect(outcome.error).toMatch(/no reply from 127\.0\.0\.1/);
  });

  it('reports an unreachable host', async () => {
    const ping = fakePing('ping-unreachable', "echo 'From 10.0.0.1 icmp_seq=1 Destination Host Unreachable'\nexit 1");
    const outcome = await checkIcmp({ kind: 'icmp', target: '10.9.9.9', timeoutMs: 1000 }, { pingCommand: ping });
    expect(outcome).toMatchObject({ isUp: false, cause: 'unreachable' });
  });

  it('resolves a name first and pings the address it resolved to', async () => {
    const argsFile = join(dir, 'resolved-args.txt');
    const ping = fakePing(
      'ping-resolved',
      `printf '%s\\n' "$@" > '${argsFile}'\necho '64 bytes from 127.0.0.1: icmp_seq=1 ttl=64 time=1.2 ms'`,
    );
    const addressPolicy = createAddressPolicy({ resolve: dns.resolve });
    const outcome = await checkIcmp(
      { kind: 'icmp', target: 'router.vigie.test', timeoutMs: 1500, addressPolicy },
      { pingCommand: ping },
    );
    expect(outcome).toMatchObject({ isUp: true, latencyMs: 1, target: 'router.vigie.test' });
    expect(outcome.timings?.dnsMs).toBeTypeOf('number');
    expect(readFileSync(argsFile, 'utf8').trim().split('\n').at(-1)).toBe('127.0.0.1');
  });

  it('reports an unknown host as a DNS failure, without running ping', async () => {
    const marker = join(dir, 'spawned-dns.txt');
    const ping = fakePing('ping-dns', `touch '${marker}'`);
    const addressPolicy = createAddressPolicy({ resolve: dns.resolve });
    const outcome = await checkIcmp(
      { kind: 'icmp', target: 'nohost.vigie.test', timeoutMs: 1000, addressPolicy },
      { pingCommand: ping },
    );
    expect(outcome).toMatchObject({ isUp: false, cause: 'dns' });
    expect(existsSync(marker)).toBe(false);
  });

  it.each([
    [
      'a denied address',
      '127.0.0.1',
      createAddressPolicy({ deniedNetworks: ['127.0.0.0/8'] }),
      /^127\.0\.0\.1 is in a denied network/,
    ],
    [
      'an address outside the allowed networks',
      '::1',
      createAddressPolicy({ allowedNetworks: ['10.0.0.0/8'] }),
      /^::1 is outside the allowed networks/,
    ],
    [
      'the metadata address',
      '169.254.169.254',
      STRICT_ADDRESS_POLICY,
      /^169\.254\.169\.254 is a link-local\/cloud metadata address/,
    ],
  ])('refuses %s without running ping', async (_, target, addressPolicy, message) => {
    const marker = join(dir, 'spawned-blocked.txt');
    const ping = fakePing('ping-blocked', `touch '${marker}'`);
    const outcome = await checkIcmp({ kind: 'icmp', target, timeoutMs: 1000, addressPolicy }, { pingCommand: ping });
    expect(outcome).toMatchObject({ isUp: false, cause: 'blocked_address' });
    expect(outcome.error).toMatch(message);
    expect(existsSync(marker)).toBe(false);
  });

  it('refuses a name that resolves to a refused address', async () => {
    const ping = fakePing('ping-never', 'exit 0');
    const addressPolicy = createAddressPolicy({ blockLinkLocal: true, resolve: dns.resolve });
    const outcome = await checkIcmp(
      { kind: 'icmp', target: 'metadata.vigie.test', timeoutMs: 1000, addressPolicy },
      { pingCommand: ping },
    );
    expect(outcome).toMatchObject({ isUp: false, cause: 'blocked_address' });
    expect(outcome.error).toMatch(/^metadata\.vigie\.test resolves to 169\.254\.169\.254, which is a link-local/);
  });

  it('explains a missing permission to send ICMP', async () => {
    const ping = fakePing('ping-eperm', "echo 'ping: socket: Operation not permitted' >&2\nexit 2");
    const outcome = await checkIcmp({ kind: 'icmp', target: '127.0.0.1', timeoutMs: 1000 }, { pingCommand: ping });
    expect(outcome).toMatchObject({ isUp: false, cause: 'ping_unavailable' });
    expect(outcome.error).toMatch(/not permitted/);
    expect(outcome.error).toContain('CAP_NET_RAW');
    expect(outcome.error).toContain('net.ipv4.ping_group_range');
  });

  it('kills a ping that outlives the timeout', async () => {
    const ping = fakePing('ping-stuck', 'exec sleep 30');
    const start = performance.now();
    const outcome = await checkIcmp({ kind: 'icmp', target: '127.0.0.1', timeoutMs: 300 }, { pingCommand: ping });
    expect(outcome).toMatchObject({ isUp: false, cause: 'timeout', error: 'timeout after 0.3 s' });
    expect(performance.now() - start).toBeLessThan(1300);
  });
});
