// Heartbeat monitors due on this instance: nothing to check, their ping state is read (pings may reach any
// instance), and those past their deadline get a DOWN result (cause timeout) written under their lease like a check's.
import type { Logger } from 'pino';
import type { Db } from '../db/index.ts';
import { heartbeatStates } from '../db/index.ts';
import type { MonitorLeases } from '../instances/index.ts';
import { heartbeatVerdict, missedHeartbeatResult } from '../monitors/index.ts';
import type { BatchWriter } from './batch-writer.ts';
import { HEARTBEAT_RETRY_MS } from './due-times.ts';
import type { Entry } from './entry.ts';

/** Told of each missed heartbeat deadline as its DOWN result is handed to the writer, with how late (ms). */
export type HeartbeatMissedListener = (lagMs: number) => void;

export class HeartbeatDeadlines {
  private readonly missedListeners = new Set<HeartbeatMissedListener>();

  constructor(
    private readonly db: Db,
    private readonly writer: BatchWriter,
    private readonly logger: Logger,
    private readonly location: string,
    private readonly leases: MonitorLeases | undefined,
  ) {}

  onMissed(listener: HeartbeatMissedListener): () => void {
    this.missedListeners.add(listener);
    return () => this.missedListeners.delete(listener);
  }

  /**
   * Looks at the deadlines of `entries` (due now, in one read) and sets when each is due next; a late one stays
   * late while no ping comes, with one DOWN result per interval like a failing check. Answers the entries
   * `stillHere` keeps, to be queued again.
   */
  async evaluate(entries: Entry[], stillHere: (entry: Entry) => boolean): Promise<Entry[]> {
    const ids = entries.map((entry) => entry.monitor.id);
    let states: Awaited<ReturnType<typeof heartbeatStates>> | null = null;
    // Leases not known valid: another instance may hold these monitors now.
    if (!this.leases || this.leases.valid()) {
      try {
        states = await heartbeatStates(this.db, ids);
      } catch (error) {
        this.logger.error({ err: (error as Error).message, monitors: ids.length }, 'could not read heartbeats');
      }
    }
    const now = Date.now();
    const kept: Entry[] = [];
    for (const entry of entries) {
      entry.running = false;
      if (!stillHere(entry)) continue;
      kept.push(entry);
      if (states === null) {
        entry.dueAt = now + HEARTBEAT_RETRY_MS;
        continue;
      }
      const { dueAt, missed } = heartbeatVerdict(entry.monitor, states.get(entry.monitor.id), now);
      entry.dueAt = dueAt;
      if (!missed) continue;
      const result = missedHeartbeatResult(entry.monitor, missed, new Date(now));
      entry.unstored += 1;
      const leaseToken = this.leases?.tokenOf(entry.monitor.id);
      void this.writer.write({ ...result, location: this.location, leaseToken }).then(() => {
        entry.unstored -= 1;
      });
      for (const listener of this.missedListeners) listener(now - missed.at);
    }
    return kept;
  }
}
