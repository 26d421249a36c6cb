// "Check now" among several instances: the check runs on the instance holding the monitor's lease, where the
// scheduler's own guard keeps it from overlapping a scheduled check. Asked of another instance through NOTIFY; its
// answer names the stored result. When no live instance holds the monitor, or the holder does not answer in time
// (it died meanwhile), the check runs here.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Db } from '../db/index.ts';
import { getResult, notifyInstances } from '../db/index.ts';
import { VIGIE_VERIFICATIONS, VIGIE_VERIFICATIONS_FAITES } from '../events/index.ts';
import type { MonitorLeases } from '../instances/index.ts';
import type { Monitor } from '../monitors/index.ts';
import type { CheckResult } from '../types/index.ts';

interface CheckRequest {
  demande: string;
  moniteur: number;
  instance: string;
}

interface CheckAnswer {
  demande: string;
  /** The stored result; absent when the holder refused (it does not hold the monitor any more) or failed. */
  statut?: number;
}

/** How long past the monitor's timeout the holder's answer is waited for. */
const ANSWER_GRACE_MS = 2_000;

export class CheckNowRouter {
  private readonly waiting = new Map<string, (answer: CheckAnswer) => void>();
  private stopListening: Array<() => Promise<void>> = [];

  constructor(
    private readonly db: Db,
    private readonly leases: MonitorLeases,
    private readonly logger: Logger,
    /** Checks a monitor here, under the scheduler's guard, and stores the result. */
    private readonly checkHere: (monitor: Monitor) => Promise<CheckResult>,
    /** The monitor as stored, for a request from another instance; null when it is gone. */
    private readonly load: (monitorId: number) => Promise<Monitor | null>,
  ) {}

  async start(): Promise<void> {
    this.stopListening.push(
      await this.db.listen(VIGIE_VERIFICATIONS, (payload) => void this.onRequest(payload)),
      await this.db.listen(VIGIE_VERIFICATIONS_FAITES, (payload) => this.onAnswer(payload)),
    );
  }

  async stop(): Promise<void> {
    for (const stop of this.stopListening) await stop();
    this.stopListening = [];
    for (const resolve of this.waiting.values()) resolve({ demande: '' });
    this.waiting.clear();
  }

  /** Checks the monitor on its holder (here if it is this instance, or none is alive) and answers the result. */
  async check(monitor: Monitor): Promise<CheckResult> {
    if (this.leases.holds(monitor.id)) return this.checkHere(monitor);
    const holder = await this.leases.holderOf(monitor.id);
    if (holder && holder !== this.leases.instanceId) {
      const result = await this.ask(holder, monitor);
      if (result) return result;
    }
    return this.checkHere(monitor);
  }

  /** Asks the holder; answers its stored result, or null when it refused or did not answer in time. */
  private async ask(holder: string, monitor: Monitor): Promise<CheckResult | null> {
    const request: CheckRequest = { demande: randomUUID(), moniteur: monitor.id, instance: holder };
    let timer: NodeJS.Timeout | undefined;
    const answered = new Promise<CheckAnswer | null>((resolve) => {
      this.waiting.set(request.demande, resolve);
      timer = setTimeout(() => resolve(null), monitor.timeoutSeconds * 1000 + ANSWER_GRACE_MS);
    });
    try {
      await notifyInstances(this.db, VIGIE_VERIFICATIONS, JSON.stringify(request));
      const answer = await answered;
      if (answer?.statut === undefined) {
        if (!answer) this.logger.warn({ monitorId: monitor.id, holder }, 'check now: no answer from the holder');
        return null;
      }
      return await getResult(this.db, answer.statut);
    } finally {
      clearTimeout(timer);
      this.waiting.delete(request.demande);
    }
  }

  private onAnswer(payload: string): void {
    const answer = parse<CheckAnswer>(payload);
    if (answer) this.waiting.get(answer.demande)?.(answer);
  }

  /** A request for a monitor this instance holds: checked under the guard, answered with the result's id. */
  private async onRequest(payload: string): Promise<void> {
    const request = parse<CheckRequest>(payload);
    if (!request || request.instance !== this.leases.instanceId) return;
    const answer: CheckAnswer = { demande: request.demande };
    try {
      const monitor = this.leases.holds(request.moniteur) ? await this.load(request.moniteur) : null;
      if (monitor) answer.statut = (await this.checkHere(monitor)).id;
    } catch (error) {
      this.logger.warn(
        { err: (error as Error).message, monitorId: request.moniteur },
        'check now for another instance failed',
      );
    }
    await notifyInstances(this.db, VIGIE_VERIFICATIONS_FAITES, JSON.stringify(answer)).catch((error: unknown) =>
      this.logger.warn({ err: (error as Error).message }, 'could not answer a check now request'),
    );
  }
}

function parse<T>(payload: string): T | null {
  try {
    return JSON.parse(payload) as T;
  } catch {
    return null;
  }
}
