// A stored check result: what a check reported, which monitor it belongs to (null for a one-off check).
import type { CheckOutcome } from './check.ts';

export interface NewCheckResult extends CheckOutcome {
  monitorId: number | null;
  /**
   * The fencing token of the monitor lease the check ran under (several instances): the result is stored only if
   * the lease still has it. Absent: stored whoever holds the monitor (one instance, "check now", one-off checks).
   */
  leaseToken?: string | null;
  /** The LOCATION of the instance that made the check (default "default"). */
  location?: string;
}

export interface CheckResult extends NewCheckResult {
  id: number;
  location: string;
}
