// The monitor page's range: windows ending now, and custom from/to ranges checked as typed.
import { describe, expect, it } from 'vitest';
import {
  customRange,
  localInputValue,
  MAX_CUSTOM_SPAN_MS,
  resolutionFor,
  windowRange,
} from '../../../client/src/state/range.ts';

const NOW = Date.UTC(2026, 10, 30, 12, 0);
const HOUR = 3_600_000;
const local = (ms: number) => localInputValue(ms);

describe('shown range', () => {
  it('a window ends now, and the year is drawn in days', () => {
    expect(windowRange('year', NOW)).toEqual({
      key: 'year',
      from: NOW - 365 * 24 * HOUR,
      to: null,
      resolutionSeconds: 86_400,
    });
    expect(windowRange('hour', NOW).resolutionSeconds).toBeNull();
  });

  it('draws every result up to an hour, then buckets of at most about 400 points', () => {
    expect(resolutionFor(HOUR)).toBeNull();
    expect(resolutionFor(2 * HOUR)).toBe(60);
    expect(resolutionFor(48 * HOUR)).toBe(900);
    expect(resolutionFor(365 * 24 * HOUR)).toBe(86_400);
    for (const span of [2 * HOUR, 30 * HOUR, 300 * HOUR, 4000 * HOUR]) {
      expect(span / (resolutionFor(span)! * 1000)).toBeLessThanOrEqual(400);
    }
  });

  it('takes a custom range of local times, ending no later than now', () => {
    const from = NOW - 3 * HOUR;
    expect(customRange(local(from), local(NOW - HOUR), NOW)).toEqual({
      range: { key: 'custom', from, to: NOW - HOUR, resolutionSeconds: 60 },
    });
    expect(customRange(local(from), local(NOW + HOUR), NOW)).toMatchObject({ range: { to: NOW } });
  });

  it('names the field that is wrong', () => {
    expect(customRange('', local(NOW), NOW)).toMatchObject({ field: 'from' });
    expect(customRange('yesterday', local(NOW), NOW)).toMatchObject({ field: 'from' });
    expect(customRange(local(NOW - HOUR), '', NOW)).toMatchObject({ field: 'to' });
    expect(customRange(local(NOW + HOUR), local(NOW + 2 * HOUR), NOW)).toEqual({
      field: 'from',
      message: 'The start must be in the past.',
    });
    expect(customRange(local(NOW - HOUR), local(NOW - 2 * HOUR), NOW)).toEqual({
      field: 'to',
      message: 'The end must be after the start.',
    });
    expect(customRange(local(NOW - MAX_CUSTOM_SPAN_MS - HOUR), local(NOW), NOW)).toMatchObject({ field: 'from' });
  });
});
