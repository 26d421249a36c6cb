// What a check needs to run and what it reports. Checks know nothing about storage.
import type { CheckKind, DnsCheckSettings, HttpCheckSettings } from '../types/index.ts';
import type { AddressPolicy } from './address-policy.ts';

// What a check reports lives in types/, where db/ reads it too.
export type {
  CheckKind,
  CheckOutcome,
  DnsCheckSettings,
  DnsMatch,
  DnsRecordType,
  FailureCause,
  HttpCheckSettings,
  PhaseTimings,
} from '../types/index.ts';

export interface CheckSpec {
  kind: CheckKind;
  /** http(s) URL, host:port for tcp, host for icmp. */
  target: string;
  timeoutMs: number;
  http?: Partial<HttpCheckSettings>;
  /** DNS checks: the record type asked for and what is expected (the target is the name). */
  dns?: DnsCheckSettings | null;
  /** HTTP only: conditions on the response (see assertions.ts), all evaluated. */
  assertions?: readonly string[];
  /** Which addresses the check may connect to (default MONITOR_ADDRESS_POLICY: all but link-local/metadata). */
  addressPolicy?: AddressPolicy;
  /** Aborting it ends an HTTP check at once (shutdown abandons the checks still running at its deadline). */
  signal?: AbortSignal;
}
