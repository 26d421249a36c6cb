// Login attempts: failures per client address and per email slow the next answers down, then refuse them for
// a while. Unknown emails count like known ones, so the throttle says nothing about which accounts exist.
import ipaddr from 'ipaddr.js';
import { TooManyRequestsError } from '../errors.ts';
import { RecentEvents } from '../rate-limit.ts';

export interface LoginThrottleOptions {
  windowMs: number;
  /** Failures allowed inside the window for one email before refusing it. */
  maxFailuresPerEmail: number;
  /** For one client address, across emails (higher: an office may share one address). */
  maxFailuresPerAddress: number;
  /** Failures after which each answer is delayed, doubling up to maxDelayMs. */
  slowAfter: number;
  maxDelayMs: number;
}

export const DEFAULT_LOGIN_THROTTLE: LoginThrottleOptions = {
  windowMs: 15 * 60_000,
  maxFailuresPerEmail: 10,
  maxFailuresPerAddress: 30,
  slowAfter: 5,
  maxDelayMs: 2000,
};

/** One attempt, already counted as a failure until it is known to have succeeded. */
export interface LoginAttempt {
  /** Keeps the reservation as a failure; resolves after the delay the answer should wait. */
  failed(): Promise<void>;
  /** Takes the address's reservation back and forgets the email's failures (the account is in). */
  succeeded(): void;
}

/**
 * The client an address stands for: an IPv6 client usually holds a whole /64, so it is counted per /64;
 * an IPv4-mapped IPv6 address (::ffff:a.b.c.d) is its IPv4 address.
 */
export function addressBucket(address: string): string {
  if (!ipaddr.isValid(address)) return address;
  const parsed = ipaddr.process(address);
  if (parsed.kind() === 'ipv4') return parsed.toString();
  return `${new ipaddr.IPv6([...(parsed as ipaddr.IPv6).parts.slice(0, 4), 0, 0, 0, 0]).toString()}/64`;
}

export class LoginThrottle {
  private readonly failures: RecentEvents;

  constructor(private readonly options: LoginThrottleOptions = DEFAULT_LOGIN_THROTTLE) {
    this.failures = new RecentEvents(options.windowMs);
  }

  private keys(address: string, email: string): Array<[string, number]> {
    return [
      [`address:${addressBucket(address)}`, this.options.maxFailuresPerAddress],
      [`email:${email.trim().toLowerCase()}`, this.options.maxFailuresPerEmail],
    ];
  }

  /**
   * Counts the attempt before its password is checked, so that attempts running in parallel all see each
   * other: past the limit of the address or of the email (failures and attempts in flight), throws
   * TooManyRequestsError and counts nothing. Check and count happen in one synchronous step.
   */
  reserve(address: string, email: string): LoginAttempt {
    const keys = this.keys(address, email);
    for (const [key, limit] of keys) {
      if (this.failures.count(key) >= limit) {
        const seconds = Math.max(1, Math.ceil(this.failures.msUntilOldestExpires(key) / 1000));
        throw new TooManyRequestsError(`too many failed logins; try again in ${seconds} s`, seconds);
      }
    }
    const at = Date.now();
    const counts = keys.map(([key]) => this.failures.record(key, at));
    const [[addressKey], [emailKey]] = keys as [[string, number], [string, number]];
    return {
      failed: async () => {
        const beyond = Math.max(...counts) - this.options.slowAfter;
        if (beyond > 0) {
          await new Promise((resolve) =>
            setTimeout(resolve, Math.min(this.options.maxDelayMs, 250 * 2 ** (beyond - 1))),
          );
        }
      },
      succeeded: () => {
        this.failures.forget(addressKey, at);
        this.failures.clear(emailKey);
      },
    };
  }
}
