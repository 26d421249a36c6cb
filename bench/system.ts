// Linux /proc readings: whole-machine CPU, a process's CPU time and its tree's memory, sockets in TIME_WAIT.
// Null where unavailable.
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ, 100 on every mainstream Linux build

function read(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

export interface MachineCpu {
  busyTicks: number;
  /** Time in software interrupts: on loopback, much of the TCP work of both ends lands here. */
  softirqTicks: number;
  totalTicks: number;
}

export function machineCpu(): MachineCpu | null {
  const line = read('/proc/stat')?.split('\n')[0];
  if (!line?.startsWith('cpu ')) return null;
  const fields = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  const total = fields.slice(0, 8).reduce((sum, value) => sum + value, 0);
  return { busyTicks: total - idle, softirqTicks: fields[6] ?? 0, totalTicks: total };
}

/** Busy (or softirq) share of all cores between two readings, in % of one core (2 cores fully busy = 200). */
export function machineCpuPercent(
  from: MachineCpu | null,
  to: MachineCpu | null,
  cores: number,
  part: 'busyTicks' | 'softirqTicks' = 'busyTicks',
): number | null {
  if (!from || !to || to.totalTicks === from.totalTicks) return null;
  return ((to[part] - from[part]) / (to.totalTicks - from.totalTicks)) * 100 * cores;
}

/** User + system CPU time of a process in ms, or null when it is gone. */
export function processCpuMs(pid: number): number | null {
  const text = read(`/proc/${pid}/stat`);
  if (!text) return null;
  // Fields after the parenthesised command name; utime and stime are fields 14 and 15 of the whole line.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

/** Sockets in TIME_WAIT in this network namespace (from /proc/net/sockstat). */
export function timeWaitSockets(): number | null {
  const match = /^TCP:.*\btw (\d+)/m.exec(read('/proc/net/sockstat') ?? '');
  return match ? Number(match[1]) : null;
}

export function ephemeralPortRange(): [number, number] | null {
  const parts = read('/proc/sys/net/ipv4/ip_local_port_range')?.trim().split(/\s+/).map(Number);
  return parts?.length === 2 ? [parts[0]!, parts[1]!] : null;
}

/** Resident memory of a process now (VmRSS) and at its peak (VmHWM), in bytes; zeros when it is gone. */
export function processMemory(pid: number): { rss: number; peak: number } {
  const status = read(`/proc/${pid}/status`) ?? '';
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

/** Resident memory of a process and of all its descendants, in bytes (0 when it is gone). */
export function processTreeRssBytes(rootPid: number): number {
  const parents = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = read(`/proc/${entry}/stat`);
    if (!stat) continue;
    const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    parents.set(parent, [...(parents.get(parent) ?? []), Number(entry)]);
  }
  let total = 0;
  const pending = [rootPid];
  while (pending.length) {
    const pid = pending.pop()!;
    total += processMemory(pid).rss;
    pending.push(...(parents.get(pid) ?? []));
  }
  return total;
}
