// The dashboard's formatters: latencies, percentages, durations, relative times, titles, result descriptions.
import { afterEach, describe, expect, it } from 'vitest';
import {
  describeResult,
  formatAgo,
  formatDateTime,
  formatDay,
  formatDuration,
  formatLatency,
  formatPercent,
  pageTitle,
  timeAxisLabels,
} from '../../../client/src/format.ts';
import { useLanguage } from '../../../client/src/i18n/index.ts';

describe('formatLatency', () => {
  it('uses ms below a second and seconds above', () => {
    expect(formatLatency(3.14)).toBe('3.1 ms');
    expect(formatLatency(123.4)).toBe('123 ms');
    expect(formatLatency(1234)).toBe('1.23 s');
    expect(formatLatency(12_345)).toBe('12.3 s');
  });
  it('shows a dash without a value', () => {
    expect(formatLatency(null)).toBe('—');
    expect(formatLatency(undefined)).toBe('—');
    expect(formatLatency(Number.NaN)).toBe('—');
  });
});

describe('formatPercent', () => {
  it('never rounds a failure up to 100 %', () => {
    expect(formatPercent(100)).toBe('100 %');
    expect(formatPercent(99.999)).toBe('99.99 %');
    expect(formatPercent(99.951)).toBe('99.95 %');
    expect(formatPercent(87.36)).toBe('87.3 %');
    expect(formatPercent(0)).toBe('0.0 %');
  });
  it('shows a dash without data', () => {
    expect(formatPercent(null)).toBe('—');
  });
});

describe('formatDuration', () => {
  it('keeps the two largest units and drops zeros', () => {
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(42_000)).toBe('42 s');
    expect(formatDuration(200_000)).toBe('3 min 20 s');
    expect(formatDuration(3_600_000)).toBe('1 h');
    expect(formatDuration(7_500_000)).toBe('2 h 5 min');
    expect(formatDuration(4 * 86_400_000 + 3 * 3_600_000 + 59_000)).toBe('4 d 3 h');
    expect(formatDuration(-1)).toBe('—');
  });
});

describe('formatAgo', () => {
  const now = Date.parse('2025-01-10T14:30:00Z');
  it('says how long ago, coarsely', () => {
    expect(formatAgo('2025-01-10T14:29:58Z', now)).toBe('just now');
    expect(formatAgo('2025-01-10T14:29:30Z', now)).toBe('30 s ago');
    expect(formatAgo('2025-01-10T14:25:00Z', now)).toBe('5 min ago');
    expect(formatAgo('2025-01-10T11:00:00Z', now)).toBe('3 h ago');
    expect(formatAgo('2025-01-08T14:30:00Z', now)).toBe('2 d ago');
    expect(formatAgo(null, now)).toBe('never');
    expect(formatAgo('garbage', now)).toBe('—');
  });
  it('never says "in the future" for a clock slightly ahead', () => {
    expect(formatAgo('2025-01-10T14:30:03Z', now)).toBe('just now');
  });
});

describe('formatDay', () => {
  it('keeps a day as YYYY-MM-DD in English', () => {
    expect(formatDay('2026-11-30')).toBe('2026-11-30');
  });
});

describe('formatDateTime', () => {
  it('prints a sortable local date and time', () => {
    expect(formatDateTime('2025-01-10T14:30:05Z')).toMatch(/^2025-01-1\d \d\d:30:05$/);
    expect(formatDateTime(null)).toBe('—');
  });
});

describe('pageTitle', () => {
  it('counts what is down', () => {
    expect(pageTitle(0)).toBe('Vigie');
    expect(pageTitle(3)).toBe('3 down · Vigie');
  });
});

describe('describeResult', () => {
  it('says why a check failed, once', () => {
    expect(describeResult({ isUp: true, httpStatus: 200, cause: null, error: null })).toBe('HTTP 200');
    expect(describeResult({ isUp: true, httpStatus: null, cause: null, error: null })).toBe('OK');
    expect(describeResult({ isUp: false, httpStatus: 500, cause: 'http_status', error: 'HTTP 500' })).toBe(
      'HTTP 500 (http_status)',
    );
    expect(describeResult({ isUp: false, httpStatus: null, cause: 'timeout', error: 'no answer within 5 s' })).toBe(
      '(timeout): no answer within 5 s',
    );
    expect(describeResult({ isUp: false, httpStatus: null, cause: null, error: null })).toBe('Failed');
  });
});

describe('in French', () => {
  afterEach(() => useLanguage('en'));
  it('writes numbers, units, dates and times the French way', () => {
    useLanguage('fr');
    expect(formatLatency(1234)).toBe('1,23\u202fs');
    expect(formatPercent(99.951)).toBe('99,95\u202f%');
    expect(formatDuration(4 * 86_400_000 + 3 * 3_600_000)).toBe('4\u202fj 3\u202fh');
    expect(formatAgo('2025-01-10T14:25:00Z', Date.parse('2025-01-10T14:30:00Z'))).toBe('il y a 5\u202fmin');
    expect(formatDateTime('2025-01-10T14:30:05Z')).toMatch(/^1\d\/01\/2025 \d\d:30:05$/);
    expect(formatDay('2026-11-30')).toBe('30/11/2026');
    expect(pageTitle(3)).toBe('3 en panne · Vigie');
    expect(describeResult({ isUp: false, httpStatus: null, cause: null, error: null })).toBe('Échec');
  });
});

describe('timeAxisLabels', () => {
  afterEach(() => useLanguage('en'));
  // Local times, as the chart shows them: 30 November 2026 from 22:00, and the next days.
  const at = (day: number, hour: number, minute = 0) => new Date(2026, 10, day, hour, minute).getTime() / 1000;

  it('writes times and days in the page’s language, the day under the first tick and where it changes', () => {
    const hours = [at(30, 22), at(30, 23), at(31, 0), at(31, 1)];
    const minutes = [at(30, 22, 0), at(30, 22, 10)];
    const days = [at(29, 0), at(30, 0), at(31, 0)];
    expect(timeAxisLabels(minutes, 600)).toEqual(['10:00 PM\nNov 30, 2026', '10:10 PM']);
    expect(timeAxisLabels(hours, 3600)).toEqual(['10 PM\nNov 30, 2026', '11 PM', '12 AM\nDec 1', '1 AM']);
    expect(timeAxisLabels(days, 86_400)).toEqual(['Nov 29\n2026', 'Nov 30', 'Dec 1']);
    useLanguage('fr');
    expect(timeAxisLabels(minutes, 600)).toEqual(['22:00\n30 nov. 2026', '22:10']);
    expect(timeAxisLabels(hours, 3600)).toEqual(['22 h\n30 nov. 2026', '23 h', '00 h\n1 déc.', '01 h']);
    expect(timeAxisLabels(days, 86_400)).toEqual(['29 nov.\n2026', '30 nov.', '1 déc.']);
  });
});
