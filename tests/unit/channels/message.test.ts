// The human text of notifications: titles per kind, outage durations, and user strings kept literal.
import { describe, expect, it } from 'vitest';
import { composeMessage, messageText } from '../../../server/alerts/channels/index.ts';
import { formatDuration, messageHtml } from '../../../server/alerts/channels/message.ts';
import type { NotificationKind } from '../../../server/alerts/channels/index.ts';
import { HOSTILE_NAMES, notification } from './fixtures.ts';

describe('notification messages', () => {
  it.each([
    ['DOWN', null, '🔴 DOWN: Shop API'],
    ['UP', 192, '🟢 UP: Shop API (down for 3 min 12 s)'],
    ['UP', null, '🟢 UP: Shop API'],
    ['SLOW', null, '🐢 SLOW: Shop API'],
    ['CERTIFICATE', null, '🔒 CERTIFICATE: Shop API'],
    ['FLAPPING', null, '🔁 FLAPPING: Shop API'],
    ['REMINDER', 1800, '🔴 REMINDER: still down: Shop API (for 30 min)'],
    ['CHECKER_DEGRADED', null, '⚠️ Vigie checker degraded'],
    ['TEST', null, '🔔 Test notification from Vigie'],
  ] as Array<[NotificationKind, number | null, string]>)('%s (outage %s s) → %s', (kind, outageSeconds, title) => {
    expect(composeMessage(notification({ kind, outageSeconds })).title).toBe(title);
  });

  it('says how late an alert was raised, before its time', () => {
    const lines = messageText(notification({ kind: 'DOWN', raisedLateSeconds: 19 })).split('\n');
    const late = lines.indexOf('Raised late: 19 s after the check: its result waited for the database');
    expect(late).toBeGreaterThan(0);
    expect(lines[late + 1]).toMatch(/^Time: /);
    expect(messageText(notification({ kind: 'DOWN' }))).not.toContain('Raised late');
  });

  it('formats durations with their two largest units', () => {
    expect([0, 45, 60, 192, 3600, 3700, 90_061, 172_800].map(formatDuration)).toEqual([
      '0 s',
      '45 s',
      '1 min',
      '3 min 12 s',
      '1 h',
      '1 h 1 min',
      '1 d 1 h',
      '2 d',
    ]);
  });

  it('lists monitor, target, cause, time in UTC and the dashboard link', () => {
    expect(messageText(notification({ kind: 'UP', outageSeconds: 192, cause: 'timeout after 10 s' }))).toBe(
      [
        '🟢 UP: Shop API (down for 3 min 12 s)',
        '',
        'Monitor: Shop API',
        'Target: https://shop.example.com/health',
        'Cause: timeout after 10 s',
        'Down for: 3 min 12 s',
        'Time: 2025-01-10T14:30:00Z',
        'Dashboard: http://vigie.example.com/monitors/7',
      ].join('\n'),
    );
  });

  it('explains notices about Vigie itself, which have no monitor', () => {
    const text = messageText(notification({ kind: 'CHECKER_DEGRADED', monitor: null, cause: null, alertId: null }));
    expect(text).toContain('Most monitors failed at the same time');
    expect(text).not.toContain('Monitor:');
  });

  it('prints hostile names literally in text, escaped in HTML, and on one line', () => {
    for (const name of HOSTILE_NAMES) {
      const alert = notification({ monitor: { id: 1, name, target: name }, cause: name });
      expect(messageText(alert)).toContain(`Monitor: ${name}\nTarget: ${name}\nCause: ${name}`);
      const html = messageHtml(alert);
      expect(html).not.toContain('<script>');
      expect(html).toContain(
        name.replace(/&/g, '&#38;').replace(/</g, '&#60;').replace(/>/g, '&#62;').replace(/'/g, '&#39;'),
      );
    }
    expect(composeMessage(notification({ monitor: { id: 1, name: 'a\r\nBcc: x@y.z', target: 't' } })).title).toBe(
      '🔴 DOWN: a Bcc: x@y.z',
    );
  });
});
