// Monitors do not reach link-local and cloud metadata addresses unless RESEAUX_AUTORISES names them. The checks
// run in an empty network namespace so that nothing could ever leave this machine, even if the policy failed.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createAddressPolicies, MONITOR_ADDRESS_POLICY } from '../../server/checks/index.ts';

const run = promisify(execFile);
const REFUSED =
  'a link-local/cloud metadata address not named in RESEAUX_AUTORISES; Vigie does not send requests there';
const NAMED_REFUSAL = `metadata.vigie.test resolves to 169.254.169.254, which is ${REFUSED}`;

// Needs user namespaces and `ip` (iproute2); without them only the policy decisions below are tested.
const canUnshare = await run('unshare', ['-rn', 'sh', '-c', 'ip link set lo up']).then(
  () => true,
  () => false,
);

interface Probe {
  outcomes: Record<'http' | 'tcp' | 'icmp' | 'literal', { cause: string | null; error: string | null }>;
  dnsQueries: string[];
}

async function probeWithoutNetwork(allowedNetworks = ''): Promise<Probe> {
  const script = 'ip link set lo up && exec "$0" --import tsx tests/checks/support/metadata-probe.ts "$1"';
  const { stdout } = await run('unshare', ['-rn', 'sh', '-c', script, process.execPath, allowedNetworks], {
    timeout: 15_000,
  });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as Probe;
}

describe('monitor checks and link-local/metadata addresses', () => {
  it.each([
    '169.254.169.254',
    '169.254.10.1',
    'fe80::1',
    'fd00:ec2::254',
    '100.100.100.200',
    '168.63.129.16',
    '::ffff:169.254.169.254',
    '64:ff9b::a9fe:a9fe',
  ])('refuses %s by default', (address) => {
    expect(createAddressPolicies({ deniedNetworks: [], allowedNetworks: [] }).monitors.refusal(address)).toBe(
      REFUSED.replace('; Vigie does not send requests there', ''),
    );
    expect(MONITOR_ADDRESS_POLICY.refusal(address)).not.toBeNull();
  });

  it('still reaches loopback and private addresses', () => {
    const { monitors } = createAddressPolicies({ deniedNetworks: [], allowedNetworks: [] });
    for (const address of ['127.0.0.1', '::1', '10.1.2.3', '192.168.1.1', '0.0.0.0'])
      expect(monitors.refusal(address)).toBeNull();
  });

  it('lets through only the link-local ranges RESEAUX_AUTORISES names (one-off checks stay refused)', async () => {
    const { monitors, strict } = createAddressPolicies({
      deniedNetworks: [],
      allowedNetworks: ['169.254.0.0/16', '127.0.0.0/8'],
    });
    expect(monitors.refusal('169.254.169.254')).toBeNull();
    expect(await monitors.resolve('169.254.169.254')).toEqual([{ address: '169.254.169.254', family: 4 }]);
    expect(monitors.literalRefusal('169.254.169.254')).toBeNull();
    expect(monitors.refusal('100.100.100.200')).toMatch(/not named in RESEAUX_AUTORISES/);
    expect(monitors.refusal('fe80::1')).toMatch(/not named in RESEAUX_AUTORISES/);
    expect(strict.refusal('169.254.169.254')).toBe('a link-local/cloud metadata address');
    // A deny list still wins.
    const denied = createAddressPolicies({ deniedNetworks: ['169.254.169.254'], allowedNetworks: ['169.254.0.0/16'] });
    expect(denied.monitors.refusal('169.254.169.254')).toMatch(/denied network/);
  });

  it.skipIf(!canUnshare)(
    'refuses http, tcp and icmp checks of a name resolving to 169.254.169.254, before any connect',
    async () => {
      const { outcomes, dnsQueries } = await probeWithoutNetwork();
      // A connect attempt would have failed with ENETUNREACH (cause "unreachable") in the empty namespace.
      expect(outcomes).toEqual({
        http: { cause: 'blocked_address', error: NAMED_REFUSAL },
        tcp: { cause: 'blocked_address', error: NAMED_REFUSAL },
        icmp: { cause: 'blocked_address', error: NAMED_REFUSAL },
        literal: { cause: 'blocked_address', error: `169.254.169.254 is ${REFUSED}` },
      });
      expect(dnsQueries).toContain('metadata.vigie.test');
    },
  );

  it.skipIf(!canUnshare)(
    'passes the policy when RESEAUX_AUTORISES names the range (the connect then fails in the empty namespace)',
    async () => {
      const { outcomes } = await probeWithoutNetwork('169.254.0.0/16');
      expect(outcomes.http.cause).toBe('unreachable');
      expect(outcomes.tcp.cause).toBe('unreachable');
      expect(outcomes.literal.cause).toBe('unreachable');
      expect(outcomes.icmp.cause).not.toBe('blocked_address');
    },
  );
});
