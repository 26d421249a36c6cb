// ICMP check: resolves the host under the address policy, runs the system `ping` once on that address (argument
// array, never a shell) and reads the round-trip time.
import { execFile } from 'node:child_process';
import { isIP } from 'node:net';
import { MONITOR_ADDRESS_POLICY, type AddressPolicy } from './address-policy.ts';
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
import { parseIcmpTarget } from './targets.ts';
import type { CheckOutcome, CheckSpec } from './types.ts';

export interface IcmpOptions {
  /** The ping program to run (default "ping", looked up in PATH). */
  pingCommand?: string;
}

const INSTALL_HINT = 'install it with `apt-get install iputils-ping` (Debian/Ubuntu) or `apk add iputils` (Alpine)';
const PERMISSION_HINT =
  'give the ping binary CAP_NET_RAW (`setcap cap_net_raw+ep "$(command -v ping)"`) or allow unprivileged ICMP ' +
  'with the sysctl net.ipv4.ping_group_range';
const RTT = /time[=<]\s*([\d.]+)\s*ms/;
const NOT_PERMITTED = /Operation not permitted|Permission denied/i;
const UNREACHABLE = /Network is unreachable|Destination (Host|Net|Network) Unreachable|No route to host/i;

interface PingRun {
  error: (Error & { code?: unknown }) | null;
  exitCode: number | null;
  output: string;
  timedOut: boolean;
}

export async function checkIcmp(spec: CheckSpec, options: IcmpOptions = {}): Promise<CheckOutcome> {
  const clock = startClock();
  const timeoutMs = checkTimeout(spec.timeoutMs);
  if (typeof timeoutMs !== 'number') return buildOutcome(spec.target, clock, timeoutMs);
  let host: string;
  try {
    host = parseIcmpTarget(spec.target);
  } catch (error) {
    return buildOutcome(spec.target, clock, inputFailure(error));
  }

  // `ping` is given the address the policy checked, never a name it would resolve again by itself.
  const resolved = await resolveHost(spec.addressPolicy ?? MONITOR_ADDRESS_POLICY, host, timeoutMs, spec.timeoutMs);
  const dnsMs = isIP(host) !== 0 ? null : Math.round(elapsedMs(clock));
  if (resolved.failure !== null) {
    const latencyMs = Math.round(elapsedMs(clock));
    return buildOutcome(spec.target, clock, resolved.failure, {
      latencyMs,
      timings: { dnsMs, connectMs: null, tlsMs: null, firstByteMs: null, totalMs: latencyMs },
    });
  }
  const address = resolved.address;
  const shown = address === host ? host : `${host} (${address})`;

  const command = options.pingCommand ?? 'ping';
  const remainingMs = Math.max(1, timeoutMs - elapsedMs(clock));
  // Whole seconds: older iputils and busybox reject fractions; the kill timer enforces the exact timeout.
  const waitSeconds = String(Math.max(1, Math.ceil(remainingMs / 1000)));
  // "--" keeps the host from ever being read as an option, on top of the leading "-" check.
  const run = await runPing(command, ['-n', '-c', '1', '-W', waitSeconds, '--', address], remainingMs);
  const failure = interpret(run, command, shown, spec.timeoutMs);
  const rtt = failure === null ? RTT.exec(run.output)?.[1] : undefined;
  const latencyMs = Math.max(0, Math.round(rtt === undefined ? elapsedMs(clock) : Number(rtt)));
  return buildOutcome(spec.target, clock, failure, {
    latencyMs,
    timings: { dnsMs, connectMs: null, tlsMs: null, firstByteMs: null, totalMs: latencyMs },
  });
}

/** The address to ping (the first the policy permits), or why there is none; bounded by the check's timeout. */
async function resolveHost(
  policy: AddressPolicy,
  host: string,
  timerMs: number,
  timeoutMs: number,
): Promise<{ address: string; failure: null } | { address: null; failure: Failure }> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<Failure>((resolve) => {
    timer = setTimeout(() => resolve(timeoutFailure(timeoutMs)), timerMs);
  });
  try {
    const outcome = await Promise.race([policy.resolve(host), deadline]);
    if ('cause' in outcome) return { address: null, failure: outcome };
    return { address: outcome[0]!.address, failure: null };
  } catch (error) {
    return { address: null, failure: classifyNetworkError(error) };
  } finally {
    clearTimeout(timer);
  }
}

function runPing(command: string, args: string[], timeoutMs: number): Promise<PingRun> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (run: PingRun): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(run);
    };
    // LC_ALL=C keeps the output parseable ("time=0.045 ms", not a localised decimal comma).
    const child = execFile(
      command,
      args,
      { env: { ...process.env, LC_ALL: 'C' }, maxBuffer: 64 * 1024, windowsHide: true },
      (error, stdout, stderr) => {
        const exitCode = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
        settle({ error, exitCode, output: `${stdout}\n${stderr}`, timedOut: false });
      },
    );
    // Our own timer rather than execFile's `timeout`: it answers on time even if the child's pipes stay open.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      settle({ error: null, exitCode: null, output: '', timedOut: true });
    }, timeoutMs);
  });
}

function interpret(run: PingRun, command: string, host: string, timeoutMs: number): Failure | null {
  if (run.timedOut) return timeoutFailure(timeoutMs);
  const spawnCode = typeof run.error?.code === 'string' ? run.error.code : undefined;
  if (spawnCode === 'ENOENT') {
    return {
      cause: 'ping_unavailable',
      message: `the \`ping\` program is not installed (no "${command}" found); ${INSTALL_HINT}`,
    };
  }
  if (spawnCode === 'EACCES' || spawnCode === 'EPERM' || NOT_PERMITTED.test(run.output)) {
    return {
      cause: 'ping_unavailable',
      message: `\`ping\` is not permitted to send ICMP packets (Operation not permitted); ${PERMISSION_HINT}`,
    };
  }
  if (spawnCode !== undefined)
    return { cause: 'error', message: `could not run \`${command}\`: ${run.error?.message}` };
  if (run.exitCode === 0) return null;
  if (UNREACHABLE.test(run.output)) return { cause: 'unreachable', message: `host ${host} is unreachable` };
  if (run.exitCode === 1) {
    return {
      cause: 'timeout',
      message: `no reply from ${host} within ${Number((timeoutMs / 1000).toFixed(3))} s (100% packet loss)`,
    };
  }
  const detail = run.output.trim().split('\n').filter(Boolean).at(-1) ?? `exit code ${String(run.exitCode)}`;
  return { cause: 'error', message: `ping failed: ${detail}` };
}
