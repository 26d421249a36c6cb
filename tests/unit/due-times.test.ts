// When a monitor taken over from another instance is first due: on its rhythm when it is not overdue; overdue
// ones spread out within the bound of two intervals since their last check, instead of all in one moment (a crowd
// that would stay a crowd, late at every interval).
import { describe, expect, it } from 'vitest';
import type { Monitor } from '../../server/monitors/index.ts';
import { firstDueAt } from '../../server/scheduler/due-times.ts';

const INTERVAL_MS = 10_000;
const OPTIONS = { starting: false, startSpreadMs: 30_000, takeoverSpreadMs: 2_000 };
const NOW = 1_000_000;

function checkedAt(lastCheckedAt: number): Monitor {
  return {
    kind: 'http',
    intervalSeconds: INTERVAL_MS / 1000,
    lastCheckedAt: new Date(lastCheckedAt),
    updatedAt: new Date(0),
  } as Monitor;
}

describe('firstDueAt after a takeover', () => {
  it('keeps the rhythm of a monitor not overdue', () => {
    const due = firstDueAt(checkedAt(NOW - 4_000), NOW, OPTIONS);
    expect(due).toBeGreaterThanOrEqual(NOW + 6_000);
    expect(due).toBeLessThanOrEqual(NOW + 6_000 + OPTIONS.takeoverSpreadMs);
  });

  it('spreads overdue monitors over the time left before two intervals since their last check', () => {
    // An instance killed at NOW - 7 s, its monitors last checked all over the interval before: those overdue now.
    const lastChecks = Array.from({ length: 2_000 }, (_, i) => NOW - 17_000 + (i * 7_000) / 2_000);
    const dues = lastChecks.map((last) => firstDueAt(checkedAt(last), NOW, OPTIONS));
    for (const [i, due] of dues.entries()) {
      expect(due).toBeGreaterThanOrEqual(NOW);
      expect(due).toBeLessThanOrEqual(
        Math.max(lastChecks[i]! + 2 * INTERVAL_MS - OPTIONS.takeoverSpreadMs, NOW + 2_000),
      );
    }
    // Not a crowd: no second holds more than a third of them (all within takeoverSpreadMs, half in each second).
    const perSecond = new Map<number, number>();
    for (const due of dues)
      perSecond.set(Math.floor((due - NOW) / 1000), (perSecond.get(Math.floor((due - NOW) / 1000)) ?? 0) + 1);
    expect(Math.max(...perSecond.values())).toBeLessThan(dues.length / 3);
    expect(Math.max(...dues) - NOW).toBeGreaterThan(5_000);
  });

  it('checks a monitor changed since its last check at once', () => {
    const monitor = { ...checkedAt(NOW - 20_000), updatedAt: new Date(NOW - 1_000) } as Monitor;
    expect(firstDueAt(monitor, NOW, OPTIONS)).toBe(NOW);
  });
});
