// What a check reports, and the settings of an HTTP check: read by checks/, stored by db/.

export type CheckKind = 'http' | 'tcp' | 'icmp' | 'push' | 'dns';

export type DnsRecordType = 'A' | 'AAAA' | 'CNAME' | 'MX' | 'TXT' | 'NS' | 'SOA' | 'CAA';
export type DnsMatch = 'exact' | 'contains' | 'regex';

/** What a DNS monitor asks and expects; its target is the name asked for. */
export interface DnsCheckSettings {
  recordType: DnsRecordType;
  /** exact: the answers are this set; contains: each of these is among the answers; regex: one pattern every answer matches. Empty: any answer. */
  expected: string[];
  match: DnsMatch;
  /** host:port (or an IP) of the server asked; null: the system's resolvers. */
  resolver: string | null;
}

/** Why a check failed, in a form tools can group by. */
export type FailureCause =
  | 'timeout'
  | 'dns'
  | 'refused'
  | 'reset'
  | 'unreachable'
  | 'tls'
  | 'http_status'
  | 'keyword'
  /** One or more of an HTTP monitor's assertions did not hold (each named in the error). */
  | 'assertion'
  | 'redirect'
  | 'invalid_target'
  | 'ping_unavailable'
  /** The address (after DNS) is refused by the address policy: link-local/metadata, or the operator's lists. */
  | 'blocked_address'
  /** DNS monitors: the name does not exist, the server failed, or the answers are not the expected ones. */
  | 'nxdomain'
  | 'servfail'
  | 'mismatch'
  /** Heartbeats: the job called /fail. (A missed deadline is 'timeout'.) */
  | 'heartbeat_fail'
  | 'error';

export interface HttpCheckSettings {
  method: string;
  headers: Record<string, string>;
  body: string | null;
  /** Accepted status codes, e.g. [[200, 399]] or [[200, 200], [204, 204]]. */
  expectedStatus: Array<[number, number]>;
  followRedirects: boolean;
  /** Text (or a regular expression when keywordIsRegex) searched in the first 1 MiB of the body. */
  keyword: string | null;
  keywordIsRegex: boolean;
  /** When true the check fails if the keyword IS found. */
  keywordMustBeAbsent: boolean;
  /** Accept invalid/self-signed certificates (the days left are still reported). */
  ignoreTlsErrors: boolean;
}

/**
 * Whole milliseconds spent in each phase of the last request (after any redirects); null when the phase did not
 * happen (no DNS for an IP address, no TLS over http, no response).
 */
export interface PhaseTimings {
  /** Name resolution. */
  dnsMs: number | null;
  /** TCP handshake, after DNS. */
  connectMs: number | null;
  /** TLS handshake, after connect. */
  tlsMs: number | null;
  /** From the connection being ready (request sent) to the response headers. */
  firstByteMs: number | null;
  /** The whole check, redirects and body read included; equals latencyMs. */
  totalMs: number;
}

export interface CheckOutcome {
  isUp: boolean;
  httpStatus: number | null;
  latencyMs: number;
  checkedAt: Date;
  /** The target as given, credentials in a URL masked ("********"). */
  target: string;
  cause: FailureCause | null;
  /** Human-readable reason for a failure (null when up). */
  error: string | null;
  timings: PhaseTimings | null;
  certificateDaysLeft: number | null;
  /** When the HTTPS certificate expires (null: no TLS, or not read). */
  certificateExpiresAt: Date | null;
}
