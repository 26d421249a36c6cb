// One monitor as the scheduler keeps it between its checks.
import type { Monitor } from '../monitors/index.ts';

export interface Entry {
  monitor: Monitor;
  /** What the per-host cap counts: the target's host name or IP, lower-cased. */
  host: string;
  dueAt: number;
  running: boolean;
  /** Waited in its host's line since it became due. */
  heldByHost: boolean;
  /** Results of its checks here handed to the writer and not stored yet. */
  unstored: number;
  /** The check running now (scheduled or "check now"), settled when it ends. */
  current: Promise<unknown> | null;
  /** Due and waiting (in ready or in a host's line), so a second slot of it is not queued too. */
  waiting: boolean;
  /** Checked here at least once: its last check in the database is recent, so a next holder keeps its rhythm. */
  checkedHere: boolean;
}

export function newEntry(monitor: Monitor, host: string, dueAt: number): Entry {
  return {
    monitor,
    host,
    dueAt,
    running: false,
    heldByHost: false,
    waiting: false,
    unstored: 0,
    current: null,
    checkedHere: monitor.kind === 'push',
  };
}
