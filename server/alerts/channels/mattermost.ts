// Mattermost incoming webhooks: markdown `text` posted as "Vigie". User text is backslash-escaped, and "@" is
// followed by an invisible word joiner so that a monitor named "@channel" notifies nobody.
import type { ChannelSecrets, Notification, SendOptions } from './types.ts';
import { composeMessage, truncate } from './message.ts';
import { postToReceiver } from './http-post.ts';

// Mattermost's default post size limit.
const MAX_TEXT_CHARS = 16_383;

/** Markdown characters are escaped; mentions (@channel, @all, @here, @user) are broken. */
export function escapeMattermost(text: string): string {
  return text.replace(/[\\`*_[\]|~<>]/g, (char) => `\\${char}`).replace(/@/g, '@\u2060');
}

export interface MattermostPayload {
  username: string;
  text: string;
}

export function mattermostPayload(notification: Notification): MattermostPayload {
  const message = composeMessage(notification, escapeMattermost);
  const lines = message.fields
    .filter((field) => field.label !== 'Dashboard')
    .map((field) => `**${field.label}:** ${field.value}`);
  // "<" and ">" around the target keep a URL with parentheses or spaces whole.
  const link = `[Open in Vigie](<${notification.dashboardUrl.replace(/[<>\s]/g, encodeURIComponent)}>)`;
  const text = [`#### ${message.title}`, ...(message.intro ? [message.intro] : []), ...lines, link].join('\n');
  return { username: 'Vigie', text: truncate(text, MAX_TEXT_CHARS) };
}

export async function sendMattermost(
  secrets: ChannelSecrets['mattermost'],
  notification: Notification,
  options: SendOptions,
): Promise<void> {
  await postToReceiver({
    what: 'Mattermost webhook',
    url: secrets.url,
    body: JSON.stringify(mattermostPayload(notification)),
    timeoutMs: options.timeoutMs,
    addressPolicy: options.addressPolicy,
    secrets: [],
  });
}
