// Telegram: the Bot API's sendMessage, as HTML (the only markup whose escaping is complete: &, < and >).
import type { ChannelSecrets, ChannelSettings, Notification, SendOptions } from './types.ts';
import { composeMessage, escapeHtml, truncate } from './message.ts';
import { postToReceiver } from './http-post.ts';

// Telegram refuses longer texts (counted after entities are parsed; the escaped length is an upper bound).
const MAX_TEXT_CHARS = 4096;

export interface TelegramPayload {
  chat_id: string;
  text: string;
  parse_mode: 'HTML';
  link_preview_options: { is_disabled: true };
}

export function telegramPayload(settings: ChannelSettings['telegram'], notification: Notification): TelegramPayload {
  const message = composeMessage(notification, escapeHtml);
  const lines = message.fields
    .filter((field) => field.label !== 'Dashboard')
    .map((field) => `<b>${field.label}:</b> ${field.value}`);
  const link = `<a href="${escapeHtml(notification.dashboardUrl)}">Open in Vigie</a>`;
  const text = [`<b>${message.title}</b>`, ...(message.intro ? ['', message.intro] : []), '', ...lines, link];
  return {
    chat_id: settings.chatId,
    text: `${truncateHtml(text.slice(0, -1).join('\n'), MAX_TEXT_CHARS - link.length - 1)}\n${link}`,
    parse_mode: 'HTML',
    link_preview_options: { is_disabled: true },
  };
}

/** Cuts before the link, and never through an entity or a tag (Telegram refuses the message then). */
function truncateHtml(html: string, max: number): string {
  const cut = truncate(html, max);
  if (cut === html) return html;
  const whole = cut.slice(0, -1).replace(/&#?\w*$|<[^>]*$/, '');
  // A <b> left open (a cut inside a label) is closed; labels are the only elements before the link.
  return `${whole}…${(whole.match(/<b>/g)?.length ?? 0) > (whole.match(/<\/b>/g)?.length ?? 0) ? '</b>' : ''}`;
}

export async function sendTelegram(
  settings: ChannelSettings['telegram'],
  secrets: ChannelSecrets['telegram'],
  notification: Notification,
  options: SendOptions,
): Promise<void> {
  await postToReceiver({
    what: 'Telegram Bot API',
    // The token is part of the path; errors name the origin only, and the token is scrubbed from quoted answers.
    url: `${settings.apiUrl}/bot${secrets.botToken}/sendMessage`,
    body: JSON.stringify(telegramPayload(settings, notification)),
    timeoutMs: options.timeoutMs,
    addressPolicy: options.addressPolicy,
    // The part after the colon is the secret one; answers may quote it alone.
    secrets: [secrets.botToken, secrets.botToken.slice(secrets.botToken.indexOf(':') + 1)],
  });
}
