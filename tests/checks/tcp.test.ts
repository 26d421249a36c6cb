// TCP checks against loopback ports: open, refused, silent (connect timeout) and invalid targets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../server/checks/index.ts';
import type { CheckOutcome } from '../../server/checks/index.ts';
import { closedPort, startSilentTcpTarget, startTcpTarget, type TcpTarget } from '../helpers/targets.ts';

function checkTcp(target: string, timeoutMs = 2000): Promise<CheckOutcome> {
  return runCheck({ kind: 'tcp', target, timeoutMs });
}

let open: TcpTarget;
let silent: TcpTarget;

beforeAll(async () => {
  [open, silent] = await Promise.all([startTcpTarget(), startSilentTcpTarget()]);
});

afterAll(async () => {
  await Promise.all([open.close(), silent.close()]);
});

describe('TCP checks', () => {
  it('is up when the port accepts a connection, and opens exactly one', async () => {
    const before = open.connections;
    const target = `${open.host}:${open.port}`;
    const outcome = await checkTcp(target);
    expect(outcome).toMatchObject({ isUp: true, cause: null, error: null, httpStatus: null, target });
    expect(outcome.timings).toMatchObject({ dnsMs: null, tlsMs: null, firstByteMs: null });
    expect(outcome.timings?.connectMs).toBeTypeOf('number');
    expect(outcome.timings?.totalMs).toBe(outcome.latencyMs);
    await expect.poll(() => open.connections - before).toBe(1);
  });

  it('reports the DNS phase when the host is a name', async () => {
    const outcome = await checkTcp(`localhost:${open.port}`);
    expect(outcome.isUp).toBe(true);
    expect(outcome.timings?.dnsMs).toBeTypeOf('number');
  });

  it('reports a refused connection on a closed port', async () => {
    const outcome = await checkTcp(`127.0.0.1:${await closedPort()}`);
    expect(outcome).toMatchObject({ isUp: false, cause: 'refused' });
    expect(outcome.error).toMatch(/ECONNREFUSED/);
  });

  it('times out, in about the timeout, when the connection never opens', async () => {
    const start = performance.now();
    const outcome = await checkTcp(`${silent.host}:${silent.port}`, 400);
    const ms = performance.now() - start;
    expect(outcome).toMatchObject({ isUp: false, cause: 'timeout', error: 'timeout after 0.4 s' });
    expect(ms).toBeGreaterThanOrEqual(390);
    expect(ms).toBeLessThan(1400);
  });

  it.each(['localhost', 'localhost:0', 'localhost:65536', 'localhost:http', '-oProxy=x:22', 'a b:80', '::1:80', ''])(
    'rejects the invalid target %j without connecting',
    async (target) => {
      expect(await checkTcp(target)).toMatchObject({ isUp: false, cause: 'invalid_target', target });
    },
  );
});
