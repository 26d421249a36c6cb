// TCP check: the port is up when a connection opens within the timeout; it is closed right away.
import net from 'node:net';
import { MONITOR_ADDRESS_POLICY } from './address-policy.ts';
import {
  buildOutcome,
  checkTimeout,
  classifyNetworkError,
  elapsedMs,
  inputFailure,
  startClock,
  timeoutFailure,
  type Failure,
} from './outcome.ts';
import { parseTcpTarget } from './targets.ts';
import type { CheckOutcome, CheckSpec } from './types.ts';

export async function checkTcp(spec: CheckSpec): Promise<CheckOutcome> {
  const clock = startClock();
  const timeoutMs = checkTimeout(spec.timeoutMs);
  if (typeof timeoutMs !== 'number') return buildOutcome(spec.target, clock, timeoutMs);
  let address: { host: string; port: number };
  try {
    address = parseTcpTarget(spec.target);
  } catch (error) {
    return buildOutcome(spec.target, clock, inputFailure(error));
  }

  const policy = spec.addressPolicy ?? MONITOR_ADDRESS_POLICY;
  // Node connects to an IP address without calling `lookup`: such a target is checked here.
  const refused = policy.literalRefusal(address.host);
  if (refused !== null) return buildOutcome(spec.target, clock, classifyNetworkError(refused));

  const marks: { lookup?: number; connect?: number } = {};
  const failure = await new Promise<Failure | null>((resolve) => {
    const socket = net.connect({ host: address.host, port: address.port, lookup: policy.lookup });
    const finish = (result: Failure | null): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => finish(timeoutFailure(spec.timeoutMs)), timeoutMs);
    socket.once('lookup', () => (marks.lookup = performance.now()));
    socket.once('connect', () => {
      marks.connect = performance.now();
      finish(null);
    });
    socket.on('error', (error) => finish(classifyNetworkError(error)));
  });

  const totalMs = elapsedMs(clock);
  const span = (from: number, to: number | undefined): number | null =>
    to === undefined ? null : Math.max(0, Math.round(to - from));
  return buildOutcome(spec.target, clock, failure, {
    latencyMs: totalMs,
    timings: {
      dnsMs: span(clock.startedAt, marks.lookup),
      connectMs: span(marks.lookup ?? clock.startedAt, marks.connect),
      tlsMs: null,
      firstByteMs: null,
      totalMs: Math.round(totalMs),
    },
  });
}
