// Login attempts: failures per client address and per email slow the next answers down, then refuse them for
// a while. Unknown emails count like known ones, so the throttle says nothing about which accounts exist.
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

export class LoginThrottle {
  private readonly failures: RecentEvents;

  constructor(private readonly options: LoginThrottleOptions = DEFAULT_LOGIN_THROTTLE) {
    this.failures = new RecentEvents(options.windowMs);
  }

  private keys(address: string, email: string): Array<[string, number]> {
    return [
      [`address:${address}`, this.options.maxFailuresPerAddress],
      [`email:${email.trim().toLowerCase()}`, this.options.maxFailuresPerEmail],
    ];
  }

  /** Throws TooManyRequestsError while the address or the email has too many recent failures. */
  check(address: string, email: string): void {
    for (const [key, limit] of this.keys(address, email)) {
      if (this.failures.count(key) >= limit) {
        const seconds = Math.ceil(this.failures.msUntilOldestExpires(key) / 1000);
        throw new TooManyRequestsError(`too many failed logins; try again in ${seconds} s`, seconds);
      }
    }
  }

  /** Records a failure; resolves after the delay the answer should wait. */
  async failed(address: string, email: string): Promise<void> {
    const counts = this.keys(address, email).map(([key]) => this.failures.record(key));
    const beyond = Math.max(...counts) - this.options.slowAfter;
    if (beyond > 0) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(this.options.maxDelayMs, 250 * 2 ** (beyond - 1))));
    }
  }

  succeeded(email: string): void {
    this.failures.clear(`email:${email.trim().toLowerCase()}`);
  }
}
