// Google Chat incoming webhooks: one card (its text paragraphs take escaped HTML, so user text stays text) and a
// plain fallback for notifications. The DOWN, its reminders and the UP that ends it share a thread.
import type { ChannelSecrets, Notification, SendOptions } from './types.ts';
import { composeMessage, escapeHtml, messageText, truncate } from './message.ts';
import { postToReceiver } from './http-post.ts';

// Google Chat's limit for a whole message is 32,000 bytes; the fields never need more than this.
const MAX_PARAGRAPH_CHARS = 4000;

export interface GoogleChatPayload {
  fallbackText: string;
  cardsV2: Array<{
    cardId: string;
    card: {
      header: { title: string };
      sections: Array<{ widgets: Array<Record<string, unknown>> }>;
    };
  }>;
  thread?: { threadKey: string };
}

export function googleChatPayload(notification: Notification): GoogleChatPayload {
  const plain = composeMessage(notification);
  const html = composeMessage(notification, escapeHtml);
  const lines = html.fields
    .filter((field) => field.label !== 'Dashboard')
    .map((field) => `<b>${field.label}:</b> ${field.value}`);
  const paragraph = [...(html.intro ? [html.intro, ''] : []), ...lines].join('<br>');
  const url = /^https?:\/\//i.test(notification.dashboardUrl) ? notification.dashboardUrl : null;
  const widgets: Array<Record<string, unknown>> = [
    { textParagraph: { text: truncateHtml(paragraph, MAX_PARAGRAPH_CHARS) } },
  ];
  if (url) widgets.push({ buttonList: { buttons: [{ text: 'Open in Vigie', onClick: { openLink: { url } } }] } });
  return {
    fallbackText: truncate(messageText(notification), MAX_PARAGRAPH_CHARS),
    cardsV2: [{ cardId: 'vigie', card: { header: { title: plain.title }, sections: [{ widgets }] } }],
    ...(notification.incidentKey ? { thread: { threadKey: notification.incidentKey } } : {}),
  };
}

/** Never cuts through an entity or a tag. */
function truncateHtml(html: string, max: number): string {
  const cut = truncate(html, max);
  return cut === html ? html : `${cut.slice(0, -1).replace(/&#?\w*$|<[^>]*$/, '')}…`;
}

export async function sendGoogleChat(
  secrets: ChannelSecrets['googlechat'],
  notification: Notification,
  options: SendOptions,
): Promise<void> {
  const url = new URL(secrets.url);
  // Without it, a message with a thread key that matches no thread is refused instead of starting one.
  if (notification.incidentKey) url.searchParams.set('messageReplyOption', 'REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD');
  await postToReceiver({
    what: 'Google Chat webhook',
    url: url.href,
    body: JSON.stringify(googleChatPayload(notification)),
    timeoutMs: options.timeoutMs,
    addressPolicy: options.addressPolicy,
    secrets: [],
  });
}
