// The live channels (WebSockets, subscription streams over any transport) and the access each one rides on.
// A channel ends when that access is revoked (a NOTIFY from any instance), when its session expires (a timer),
// or when a look at the tables finds it gone: after the LISTEN connection came back (notifications sent
// meanwhile are lost) and periodically. A NOTIFY is a hint; the sessions and keys tables are the truth.
import type { Logger } from 'pino';
import { readLiveAccess, type Db } from '../db/index.ts';
import { lowerRole, type Principal } from './roles.ts';

/** What was revoked: every instance closes the live channels it concerns. */
export interface AccessChange {
  userId?: number;
  sessionIds?: string[];
  apiKeyId?: number;
}

export type EndReason = 'revoked' | 'expired';

/** Whether a change concerns a principal. */
export function concerns(change: AccessChange, principal: Principal): boolean {
  return (
    (change.userId !== undefined && change.userId === principal.userId) ||
    (change.apiKeyId !== undefined && change.apiKeyId === principal.apiKeyId) ||
    (principal.sessionId !== null && (change.sessionIds ?? []).includes(principal.sessionId))
  );
}

/** Whether a principal's access can end (a session or an API key); the local operator's cannot. */
export function canLoseAccess(principal: Principal): boolean {
  return principal.sessionId !== null || principal.apiKeyId !== null;
}

interface Watch {
  principal: Principal;
  end(reason: EndReason): void;
  timer?: NodeJS.Timeout;
}

// setTimeout fires at once beyond 2^31-1 ms (about 24.8 days); longer sessions re-arm their timer.
const MAX_TIMER_MS = 2 ** 31 - 1;
export const DEFAULT_RECHECK_MS = 30_000;

export class LiveAccess {
  private readonly watches = new Set<Watch>();
  private checking: Promise<void> | null = null;
  private checkAgain = false;
  private readonly safetyCheck: NodeJS.Timeout;

  constructor(
    private readonly db: Db,
    private readonly logger: Logger | undefined,
    recheckMs = DEFAULT_RECHECK_MS,
  ) {
    this.safetyCheck = setInterval(() => this.recheck(), recheckMs);
    this.safetyCheck.unref();
  }

  /**
   * Calls `end` once when the principal's access ends; the returned function stops watching (the channel closed
   * on its own). Principals with nothing to revoke (authentication disabled) are not watched.
   */
  watch(principal: Principal, end: (reason: EndReason) => void): () => void {
    if (!canLoseAccess(principal)) return () => undefined;
    const watch: Watch = { principal, end };
    this.watches.add(watch);
    if (principal.expiresAt) this.armExpiry(watch, principal.expiresAt);
    return () => this.forget(watch);
  }

  revoked(change: AccessChange): void {
    for (const watch of [...this.watches]) if (concerns(change, watch.principal)) this.finish(watch, 'revoked');
  }

  /** Checks every watched principal against the tables; coalesced: one check in flight, one more queued. */
  recheck(): Promise<void> {
    if (this.checking) {
      this.checkAgain = true;
      return this.checking;
    }
    this.checking = this.check().finally(() => {
      this.checking = null;
      if (this.checkAgain) {
        this.checkAgain = false;
        void this.recheck();
      }
    });
    return this.checking;
  }

  get size(): number {
    return this.watches.size;
  }

  close(): void {
    clearInterval(this.safetyCheck);
    for (const watch of this.watches) clearTimeout(watch.timer);
    this.watches.clear();
  }

  private async check(): Promise<void> {
    if (this.watches.size === 0) return;
    // Only channels opened before the read: a newer one may rest on a session the read could not see yet.
    const watched = [...this.watches];
    const sessionIds = [
      ...new Set(watched.flatMap((watch) => (watch.principal.sessionId ? [watch.principal.sessionId] : []))),
    ];
    const apiKeyIds = [
      ...new Set(watched.flatMap((watch) => (watch.principal.apiKeyId !== null ? [watch.principal.apiKeyId] : []))),
    ];
    let live: Awaited<ReturnType<typeof readLiveAccess>>;
    try {
      live = await readLiveAccess(this.db, sessionIds, apiKeyIds);
    } catch (error) {
      this.logger?.warn(
        { err: (error as Error).message },
        'could not check live subscriptions against the sessions table',
      );
      return;
    }
    for (const watch of watched) {
      if (!this.watches.has(watch)) continue;
      const { sessionId, apiKeyId, role } = watch.principal;
      const key = apiKeyId !== null ? live.apiKeys.get(apiKeyId) : undefined;
      // Gone (revoked, expired, user deleted) or acting with another role now: the client must come back.
      const roleNow = sessionId !== null ? live.sessions.get(sessionId) : key && lowerRole(key.keyRole, key.ownerRole);
      if (roleNow !== role) this.finish(watch, 'revoked');
    }
  }

  private armExpiry(watch: Watch, expiresAt: Date): void {
    const delay = expiresAt.getTime() - Date.now();
    watch.timer = setTimeout(
      () => (delay > MAX_TIMER_MS ? this.armExpiry(watch, expiresAt) : this.finish(watch, 'expired')),
      Math.max(0, Math.min(delay, MAX_TIMER_MS)),
    );
    watch.timer.unref();
  }

  private forget(watch: Watch): void {
    clearTimeout(watch.timer);
    this.watches.delete(watch);
  }

  private finish(watch: Watch, reason: EndReason): void {
    if (!this.watches.has(watch)) return;
    this.forget(watch);
    try {
      watch.end(reason);
    } catch (error) {
      this.logger?.warn({ err: (error as Error).message }, 'could not end a live channel');
    }
  }
}
