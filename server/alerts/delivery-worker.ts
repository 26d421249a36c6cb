// Sends the deliveries the database holds: claims due rows (SKIP LOCKED, with a lease), sends each with a
// timeout, records the outcome; failures retry with exponential back-off, then are marked failed.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { AddressPolicy } from '../checks/index.ts';
import type { Db } from '../db/index.ts';
import {
  claimDueDeliveries,
  getAlert,
  getChannel,
  getMonitor,
  recordDeliveryOutcome,
  type ClaimedDelivery,
  type DeliveryOutcome,
} from '../db/index.ts';
import { VIGIE_LIVRAISONS } from '../events/index.ts';
import { DeliveryError, sendNotification } from './channels/index.ts';
import { buildNotification } from './notification.ts';
import { suppressionReason, type SuppressionPolicy } from './suppression.ts';

export interface DeliveryWorkerOptions {
  concurrency: number;
  timeoutMs: number;
  maxAttempts: number;
  backoffBaseMs: number;
  downGraceMs: number;
  pollMs: number;
  publicUrl: string;
  policy: SuppressionPolicy;
  /** Which addresses sends may reach (default STRICT_ADDRESS_POLICY); pass AddressPolicies.strict. */
  addressPolicy?: AddressPolicy;
}

/** Recorded delivery attempts since start, by outcome. */
export type DeliveryCounts = Record<DeliveryOutcome['status'], number>;

const MAX_BACKOFF_MS = 3_600_000;
const LEASE_MARGIN_MS = 5_000;

export class DeliveryWorker {
  private readonly inFlight = new Set<Promise<void>>();
  private stopListening: Array<() => unknown> = [];
  private timer: NodeJS.Timeout | null = null;
  private claiming = false;
  private wakeAgain = false;
  /** Claim attempts failed in a row (the database away): logged at the first and when claiming works again. */
  private claimFailures = 0;
  private stopped = true;
  private readonly counts: DeliveryCounts = { delivered: 0, failed: 0, retry: 0, suppressed: 0 };

  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
    private readonly options: DeliveryWorkerOptions,
  ) {}

  async start(): Promise<void> {
    this.stopped = false;
    this.stopListening.push(
      await this.db.listen(VIGIE_LIVRAISONS, () => this.wake()),
      this.db.onListenReconnect(() => this.wake()),
    );
    // Polling is the safety net for lost notifications and the clock for retries and the DOWN grace period.
    this.timer = setInterval(() => this.wake(), this.options.pollMs);
    this.timer.unref();
    this.wake();
  }

  get stats(): DeliveryCounts {
    return { ...this.counts };
  }

  /** Stops claiming and waits for the sends in flight (each bounded by the timeout). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    for (const stop of this.stopListening) await stop();
    this.stopListening = [];
    await Promise.allSettled([...this.inFlight]);
  }

  wake(): void {
    if (this.stopped) return;
    if (this.claiming) {
      this.wakeAgain = true;
      return;
    }
    const free = this.options.concurrency - this.inFlight.size;
    if (free <= 0) return;
    this.claiming = true;
    claimDueDeliveries(this.db, {
      limit: free,
      token: randomUUID(),
      // Long enough to send and record; a dead worker's rows come back after it.
      leaseMs: this.options.timeoutMs + LEASE_MARGIN_MS,
      downGraceMs: this.options.downGraceMs,
    })
      .then((claims) => {
        if (this.claimFailures > 0) {
          this.logger.info({ failedAttempts: this.claimFailures }, 'claiming deliveries again');
          this.claimFailures = 0;
        }
        for (const claim of claims) this.track(this.deliver(claim));
        if (claims.length === free) this.wakeAgain = true;
      })
      .catch((error: unknown) => {
        // Once per episode (a database outage fails every attempt, once a second): the rows wait in the table.
        if (this.claimFailures === 0) {
          this.logger.warn(
            { err: (error as Error).message },
            'could not claim deliveries: trying again until it works',
          );
        }
        this.claimFailures += 1;
      })
      .finally(() => {
        this.claiming = false;
        if (this.wakeAgain) {
          this.wakeAgain = false;
          this.wake();
        }
      });
  }

  private track(work: Promise<void>): void {
    this.inFlight.add(work);
    void work.finally(() => {
      this.inFlight.delete(work);
      this.wake();
    });
  }

  private async deliver(claim: ClaimedDelivery): Promise<void> {
    let outcome: DeliveryOutcome;
    try {
      outcome = await this.attempt(claim);
    } catch (error) {
      this.logger.error({ err: (error as Error).message, deliveryId: claim.id }, 'delivery failed unexpectedly');
      outcome = this.failure(claim, 'internal error while sending', true);
    }
    try {
      const recorded = await recordDeliveryOutcome(this.db, claim, outcome);
      if (!recorded) {
        this.logger.warn({ deliveryId: claim.id }, 'delivery claim expired before its outcome was recorded');
        return;
      }
      this.counts[outcome.status] += 1;
      this.logger.info(
        { deliveryId: claim.id, alertId: claim.alertId, channelId: claim.channelId, outcome: outcome.status },
        'delivery',
      );
    } catch (error) {
      // The lease will expire and the row be claimed again; the receiver drops a repeat by its idempotency key.
      this.logger.error({ err: (error as Error).message, deliveryId: claim.id }, 'could not record a delivery outcome');
    }
  }

  private async attempt(claim: ClaimedDelivery): Promise<DeliveryOutcome> {
    const [alert, channel] = await Promise.all([
      getAlert(this.db, claim.alertId),
      getChannel(this.db, claim.channelId),
    ]);
    if (!alert || !channel) return { status: 'suppressed', reason: 'alert or channel deleted' };
    if (!channel.enabled) return { status: 'suppressed', reason: 'channel disabled' };
    const reason = await suppressionReason(this.db, alert, this.options.policy);
    if (reason) return { status: 'suppressed', reason };
    const monitor = alert.monitorId === null ? null : await getMonitor(this.db, alert.monitorId);
    const notification = await buildNotification(this.db, alert, monitor, channel.id, this.options.publicUrl);
    try {
      await sendNotification(channel, notification, {
        timeoutMs: this.options.timeoutMs,
        addressPolicy: this.options.addressPolicy,
      });
      return { status: 'delivered' };
    } catch (error) {
      if (error instanceof DeliveryError)
        return this.failure(claim, error.message, error.retryable, error.retryAfterMs);
      throw error;
    }
  }

  private failure(
    claim: ClaimedDelivery,
    error: string,
    retryable: boolean,
    retryAfterMs: number | null = null,
  ): DeliveryOutcome {
    if (!retryable || claim.attempts >= this.options.maxAttempts) return { status: 'failed', error };
    const backoff = this.options.backoffBaseMs * 2 ** (claim.attempts - 1);
    // A receiver that says when to come back (Retry-After) is listened to, within the back-off's ceiling.
    const retryInMs = Math.min(Math.max(backoff, retryAfterMs ?? 0), MAX_BACKOFF_MS);
    return { status: 'retry', error, retryInMs };
  }
}
