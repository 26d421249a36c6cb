// Matrix: an m.notice sent to a room with the client-server API. The transaction id is the notification's
// idempotency key, so a retry of a message the homeserver already took is not shown twice.
import type { ChannelSecrets, ChannelSettings, Notification, SendOptions } from './types.ts';
import { composeMessage, escapeHtml, messageText, truncate } from './message.ts';
import { postToReceiver } from './http-post.ts';

// Events are limited to 64 KiB; a notification never needs more than this.
const MAX_BODY_CHARS = 8000;

export interface MatrixContent {
  msgtype: 'm.notice';
  body: string;
  format: 'org.matrix.custom.html';
  formatted_body: string;
  /** Mentions nobody, even when a monitor is named "@room". */
  'm.mentions': Record<string, never>;
}

export function matrixContent(notification: Notification): MatrixContent {
  const html = composeMessage(notification, escapeHtml);
  const lines = html.fields
    .filter((field) => field.label !== 'Dashboard')
    .map((field) => `<b>${field.label}:</b> ${field.value}`);
  const link = `<a href="${escapeHtml(notification.dashboardUrl)}">Open in Vigie</a>`;
  const formatted = [`<b>${html.title}</b>`, ...(html.intro ? [html.intro] : []), ...lines, link].join('<br>');
  return {
    // m.notice: automated messages, which bots do not answer.
    msgtype: 'm.notice',
    body: truncate(messageText(notification), MAX_BODY_CHARS),
    format: 'org.matrix.custom.html',
    // Field values are short (a cause is at most a few hundred characters), so this is not cut.
    formatted_body: formatted,
    'm.mentions': {},
  };
}

/** The path of the send, for a room id and a transaction id. */
export function matrixSendPath(roomId: string, txnId: string): string {
  return `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/send/m.room.message/${encodeURIComponent(txnId)}`;
}

export async function sendMatrix(
  settings: ChannelSettings['matrix'],
  secrets: ChannelSecrets['matrix'],
  notification: Notification,
  options: SendOptions,
): Promise<void> {
  await postToReceiver({
    what: 'Matrix homeserver',
    method: 'PUT',
    url: `${settings.homeserver}${matrixSendPath(settings.roomId, notification.idempotencyKey)}`,
    body: JSON.stringify(matrixContent(notification)),
    headers: { Authorization: `Bearer ${secrets.accessToken}` },
    timeoutMs: options.timeoutMs,
    addressPolicy: options.addressPolicy,
    secrets: [secrets.accessToken],
  });
}
