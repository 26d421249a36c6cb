// Slack incoming webhooks (and Slack-compatible ones: Mattermost, Rocket.Chat): `text`, plus Block Kit blocks.
import type { ChannelSecrets, Notification, SendOptions } from './types.ts';
import { composeMessage, messageBody, truncate } from './message.ts';
import { postToReceiver } from './http-post.ts';

// Slack's limit for a section's text; `text` itself may be far longer, but a notification never needs it.
const MAX_SECTION_CHARS = 3000;

/** Slack mrkdwn control characters; the rest of a user's text is shown as written. */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export interface SlackPayload {
  text: string;
  blocks: Array<{ type: 'section'; text: { type: 'mrkdwn'; text: string } }>;
}

export function slackPayload(notification: Notification): SlackPayload {
  const message = composeMessage(notification, escapeSlack);
  const lines = message.fields
    .filter((field) => field.label !== 'Dashboard')
    .map((field) => `*${field.label}:* ${field.value}`);
  // "|" would end the link target early; it is rare enough in a URL to percent-encode.
  const link = `<${escapeSlack(notification.dashboardUrl).replace(/\|/g, '%7C')}|Open in Vigie>`;
  const section = [`*${message.title}*`, ...(message.intro ? [message.intro] : []), ...lines, link].join('\n');
  return {
    text: `${message.title}\n${messageBody(message)}`,
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: truncate(section, MAX_SECTION_CHARS) } }],
  };
}

export async function sendSlack(
  secrets: ChannelSecrets['slack'],
  notification: Notification,
  options: SendOptions,
): Promise<void> {
  await postToReceiver({
    what: 'Slack webhook',
    url: secrets.url,
    body: JSON.stringify(slackPayload(notification)),
    timeoutMs: options.timeoutMs,
    addressPolicy: options.addressPolicy,
    secrets: [],
  });
}
