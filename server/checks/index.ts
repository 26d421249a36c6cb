// The check engine's public surface: run one check of any kind and get its outcome, never an exception.
import { checkDns } from './dns.ts';
import { checkHttp } from './http.ts';
import { checkIcmp } from './icmp.ts';
import { checkTcp } from './tcp.ts';
import { buildOutcome, startClock } from './outcome.ts';
import type { CheckOutcome, CheckSpec } from './types.ts';

export type {
  CheckKind,
  CheckOutcome,
  CheckSpec,
  DnsCheckSettings,
  DnsMatch,
  DnsRecordType,
  FailureCause,
  HttpCheckSettings,
  PhaseTimings,
} from './types.ts';
export { DEFAULT_HTTP_SETTINGS, MAX_BODY_BYTES, MAX_REDIRECTS, checkHttp } from './http.ts';
export { checkTcp } from './tcp.ts';
export { checkDns, DNS_RECORD_TYPES, parseDnsName, parseDnsResolver } from './dns.ts';
export { checkIcmp, type IcmpOptions } from './icmp.ts';
export {
  BlockedAddressError,
  MONITOR_ADDRESS_POLICY,
  STRICT_ADDRESS_POLICY,
  createAddressPolicies,
  createAddressPolicy,
  isBlockedAddressError,
  parseNetwork,
  resolveWith,
  type AddressPolicies,
  type AddressPolicy,
  type AddressPolicyOptions,
  type Resolve,
  type ResolvedAddress,
  networkList,
} from './address-policy.ts';
export { compileKeyword, type KeywordMatcher } from './keyword.ts';
export { goDurationMs, MAX_ASSERTIONS, parseAssertion, parseAssertions } from './assertions.ts';
export {
  isSecretParam,
  maskUrlSecrets,
  restoreUrlSecrets,
  URL_SECRET_PLACEHOLDER,
  type UrlMaskOptions,
} from './url-secrets.ts';
export {
  isAllowedRedirectScheme,
  parseHttpTarget,
  parseIcmpTarget,
  parseTcpTarget,
} from './targets.ts';

export async function runCheck(spec: CheckSpec): Promise<CheckOutcome> {
  const clock = startClock();
  try {
    switch (spec.kind) {
      case 'http':
        return await checkHttp(spec);
      case 'tcp':
        return await checkTcp(spec);
      case 'icmp':
        return await checkIcmp(spec);
      case 'dns':
        return await checkDns(spec);
      default:
        return buildOutcome(String(spec.target), clock, {
          cause: 'invalid_target',
          message: `unknown check kind "${String((spec as { kind: unknown }).kind)}"`,
        });
    }
  } catch (error) {
    // A check's failure is data; a bug inside a check must not take the scheduler down with it.
    const message = error instanceof Error ? error.message : String(error);
    return buildOutcome(String(spec?.target), clock, { cause: 'error', message: `internal check error: ${message}` });
  }
}
