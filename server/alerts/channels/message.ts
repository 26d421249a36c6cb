// The human text of a notification: a title and labelled fields, rendered as plain text or escaped HTML.
// There is no template language: user strings (monitor name, target, cause) are only ever inserted as values,
// through the escape function of the output format, so "{{constructor}}" or "<script>" stays literal text.
import { maskUrlSecrets } from '../../checks/index.ts';
import type { Notification, NotificationKind } from './types.ts';

export interface MessageField {
  label: string;
  value: string;
}

export interface Message {
  /** One line, e.g. "🔴 DOWN: API" or "🟢 UP: API (down for 3 min 12 s)". */
  title: string;
  /** A sentence for notices that need one (checker degraded, test, flapping), else null. */
  intro: string | null;
  fields: MessageField[];
}

/** Turns user text into safe text of an output format (HTML, Slack mrkdwn, Discord markdown). */
export type Escape = (text: string) => string;

const INTROS: Partial<Record<NotificationKind, string>> = {
  FLAPPING: 'This monitor keeps changing state; its changes are not notified one by one until it settles.',
  CHECKER_DEGRADED:
    'Most monitors failed at the same time, so the problem is probably on the side of Vigie (its network or DNS). ' +
    'Alerts for single monitors are held back until checks recover.',
  TEST: 'This is a test notification. If you can read it, this channel works.',
};

/** The most dependent monitors a notification lists (a parent of hundreds is summed up with "…"). */
export const MAX_AFFECTED_LISTED = 20;

/** "3 min 12 s", "2 h", "1 d 4 h": the two largest units, the second one left out when it is zero. */
export function formatDuration(totalSeconds: number): string {
  const units: Array<[string, number]> = [
    ['d', 86_400],
    ['h', 3600],
    ['min', 60],
    ['s', 1],
  ];
  const seconds = Math.max(0, Math.round(totalSeconds));
  const index = units.findIndex(([, size]) => seconds >= size);
  if (index === -1) return '0 s';
  const [unit, size] = units[index]!;
  const count = Math.floor(seconds / size);
  const next = units[index + 1];
  const nextCount = next ? Math.floor((seconds - count * size) / next[1]) : 0;
  return next && nextCount > 0 ? `${count} ${unit} ${nextCount} ${next[0]}` : `${count} ${unit}`;
}

/** "2025-01-10T14:30:00Z": ISO-8601 in UTC, to the second. */
export function formatTime(time: Date): string {
  return time.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Cuts text to at most `max` UTF-16 units, ending with "…" when cut, never halving an emoji's surrogate pair. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max - 1).replace(/[\ud800-\udbff]$/, '')}…`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function title(notification: Notification, name: string): string {
  const outage = notification.outageSeconds === null ? null : formatDuration(notification.outageSeconds);
  switch (notification.kind) {
    case 'DOWN':
      return `🔴 DOWN: ${name}`;
    case 'UP':
      return `🟢 UP: ${name}${outage ? ` (down for ${outage})` : ''}`;
    case 'SLOW':
      return `🐢 SLOW: ${name}`;
    case 'CERTIFICATE':
      return `🔒 CERTIFICATE: ${name}`;
    case 'FLAPPING':
      return `🔁 FLAPPING: ${name}`;
    case 'REMINDER':
      return `🔴 REMINDER: still down: ${name}${outage ? ` (for ${outage})` : ''}`;
    case 'CHECKER_DEGRADED':
      return '⚠️ Vigie checker degraded';
    case 'TEST':
      return '🔔 Test notification from Vigie';
  }
}

/** Builds the message; every user string goes through `escapeText` after being folded onto one line. */
export function composeMessage(notification: Notification, escapeText: Escape = (text) => text): Message {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this folds onto one line
  const user = (text: string): string => escapeText(text.replace(/[\u0000-\u001f\u007f]+/g, ' '));
  const monitor = notification.monitor;
  const fields: MessageField[] = [];
  if (monitor) {
    fields.push(
      { label: 'Monitor', value: user(monitor.name) },
      { label: 'Target', value: user(maskUrlSecrets(monitor.target)) },
    );
  }
  if (notification.cause !== null) fields.push({ label: 'Cause', value: user(notification.cause) });
  if (notification.outageSeconds !== null && (notification.kind === 'UP' || notification.kind === 'REMINDER')) {
    fields.push({ label: 'Down for', value: formatDuration(notification.outageSeconds) });
  }
  if (notification.affectedMonitors.length > 0) {
    const names = notification.affectedMonitors.map((child) => `${user(child.name)} (${child.status})`);
    const more = notification.affectedMonitors.length >= MAX_AFFECTED_LISTED ? ', …' : '';
    fields.push({ label: 'Affected', value: `${names.join(', ')}${more}` });
  }
  if (notification.raisedLateSeconds !== null) {
    fields.push({
      label: 'Raised late',
      value: `${formatDuration(notification.raisedLateSeconds)} after the check: its result waited for the database`,
    });
  }
  fields.push(
    { label: 'Time', value: formatTime(notification.occurredAt) },
    { label: 'Dashboard', value: user(notification.dashboardUrl) },
  );
  return {
    title: title(notification, monitor ? user(monitor.name) : 'unknown monitor'),
    intro: INTROS[notification.kind] ?? null,
    fields,
  };
}

/** Plain text: title, optional sentence, then one "Label: value" line per field. Nothing is escaped. */
export function messageText(notification: Notification): string {
  const message = composeMessage(notification);
  return [message.title, '', ...(message.intro ? [message.intro, ''] : []), ...fieldLines(message)].join('\n');
}

/** The body without the title, for channels that show the title apart (ntfy, embeds). */
export function messageBody(message: Message): string {
  return [...(message.intro ? [message.intro, ''] : []), ...fieldLines(message)].join('\n');
}

function fieldLines(message: Message): string[] {
  return message.fields.map((field) => `${field.label}: ${field.value}`);
}

/** A small self-contained HTML document; every user string is HTML-escaped. */
export function messageHtml(notification: Notification): string {
  const message = composeMessage(notification, escapeHtml);
  const rows = message.fields
    .filter((field) => field.label !== 'Dashboard')
    .map(
      (field) => `<tr><th align="left" style="padding:2px 12px 2px 0">${field.label}</th><td>${field.value}</td></tr>`,
    );
  const link = escapeHtml(notification.dashboardUrl);
  return [
    '<!doctype html><html><body style="font-family:sans-serif">',
    `<h2 style="margin:0 0 12px">${message.title}</h2>`,
    ...(message.intro ? [`<p>${message.intro}</p>`] : []),
    `<table>${rows.join('')}</table>`,
    `<p><a href="${link}">Open in Vigie</a></p>`,
    '</body></html>',
  ].join('\n');
}
