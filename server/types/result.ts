// A stored check result: what a check reported, which monitor it belongs to (null for a one-off check).
import type { CheckOutcome } from './check.ts';

export interface NewCheckResult extends CheckOutcome {
  monitorId: number | null;
}

export interface CheckResult extends NewCheckResult {
  id: number;
}
