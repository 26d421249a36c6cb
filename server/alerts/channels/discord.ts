// Discord webhooks: a short `content` line and one embed, with mentions disabled.
import type { ChannelSecrets, Notification, NotificationKind, SendOptions } from './types.ts';
import { composeMessage, messageBody, truncate } from './message.ts';
import { postToReceiver } from './http-post.ts';

const MAX_CONTENT_CHARS = 2000;
const MAX_EMBED_TITLE_CHARS = 256;
const MAX_EMBED_DESCRIPTION_CHARS = 4096;

const COLORS: Record<NotificationKind, number> = {
  DOWN: 0xd92d20,
  UP: 0x12b76a,
  SLOW: 0xf79009,
  CERTIFICATE: 0xf79009,
  FLAPPING: 0x7a5af8,
  REMINDER: 0xd92d20,
  CHECKER_DEGRADED: 0x667085,
  TEST: 0x2e90fa,
};

/** Backslash-escapes Discord markdown (and the "<" of mention or channel syntax) so user text shows as written. */
export function escapeDiscord(text: string): string {
  return text.replace(/[\\*_~`|<>[\]]/g, (char) => `\\${char}`);
}

export interface DiscordPayload {
  username: string;
  content: string;
  embeds: Array<{ title: string; description: string; color: number; url?: string; timestamp: string }>;
  allowed_mentions: { parse: string[] };
}

export function discordPayload(notification: Notification): DiscordPayload {
  const message = composeMessage(notification, escapeDiscord);
  const url = httpUrlOrNull(notification.dashboardUrl);
  return {
    username: 'Vigie',
    content: truncate(message.title, MAX_CONTENT_CHARS),
    embeds: [
      {
        title: truncate(message.title, MAX_EMBED_TITLE_CHARS),
        description: truncate(messageBody(message), MAX_EMBED_DESCRIPTION_CHARS),
        color: COLORS[notification.kind],
        // Discord rejects the whole message when an embed's url is not a valid http(s) URL.
        ...(url ? { url } : {}),
        timestamp: notification.occurredAt.toISOString(),
      },
    ],
    // Never ping anyone, even if a monitor is named "@everyone".
    allowed_mentions: { parse: [] },
  };
}

function httpUrlOrNull(value: string): string | null {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

export async function sendDiscord(
  secrets: ChannelSecrets['discord'],
  notification: Notification,
  options: SendOptions,
): Promise<void> {
  await postToReceiver({
    what: 'Discord webhook',
    url: secrets.url,
    body: JSON.stringify(discordPayload(notification)),
    timeoutMs: options.timeoutMs,
    addressPolicy: options.addressPolicy,
    secrets: [],
  });
}
