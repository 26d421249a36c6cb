// Microsoft Teams through a workflow ("When a Teams webhook request is received"): one Adaptive Card. User text
// goes in TextRuns, which Teams shows as written (no markdown), so it can make no link or mention.
import type { ChannelSecrets, Notification, NotificationKind, SendOptions } from './types.ts';
import { composeMessage, truncate } from './message.ts';
import { postToReceiver } from './http-post.ts';

// Teams refuses cards over about 28 KB; a field is never worth more than this.
const MAX_VALUE_CHARS = 2000;

const COLORS: Record<NotificationKind, 'Attention' | 'Good' | 'Warning' | 'Accent' | 'Default'> = {
  DOWN: 'Attention',
  REMINDER: 'Attention',
  UP: 'Good',
  SLOW: 'Warning',
  CERTIFICATE: 'Warning',
  FLAPPING: 'Warning',
  CHECKER_DEGRADED: 'Warning',
  TEST: 'Accent',
};

interface TextRun {
  type: 'TextRun';
  text: string;
  weight?: 'Bolder';
  size?: 'Medium';
  color?: string;
}

export interface TeamsPayload {
  type: 'message';
  attachments: Array<{
    contentType: 'application/vnd.microsoft.card.adaptive';
    contentUrl: null;
    content: {
      $schema: string;
      type: 'AdaptiveCard';
      version: '1.4';
      body: Array<{ type: 'RichTextBlock'; inlines: TextRun[] }>;
      actions: Array<{ type: 'Action.OpenUrl'; title: string; url: string }>;
    };
  }>;
}

export function teamsPayload(notification: Notification): TeamsPayload {
  const message = composeMessage(notification);
  const block = (...inlines: TextRun[]) => ({ type: 'RichTextBlock' as const, inlines });
  const body = [
    block({ type: 'TextRun', text: message.title, weight: 'Bolder', size: 'Medium', color: COLORS[notification.kind] }),
    ...(message.intro ? [block({ type: 'TextRun', text: message.intro })] : []),
    ...message.fields
      .filter((field) => field.label !== 'Dashboard')
      .map((field) =>
        block(
          { type: 'TextRun', text: `${field.label}: `, weight: 'Bolder' },
          { type: 'TextRun', text: truncate(field.value, MAX_VALUE_CHARS) },
        ),
      ),
  ];
  const url = /^https?:\/\//i.test(notification.dashboardUrl) ? notification.dashboardUrl : null;
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body,
          // Teams refuses the whole card when an action's URL is not http(s).
          actions: url ? [{ type: 'Action.OpenUrl', title: 'Open in Vigie', url }] : [],
        },
      },
    ],
  };
}

export async function sendTeams(
  secrets: ChannelSecrets['teams'],
  notification: Notification,
  options: SendOptions,
): Promise<void> {
  await postToReceiver({
    what: 'Teams workflow',
    url: secrets.url,
    body: JSON.stringify(teamsPayload(notification)),
    timeoutMs: options.timeoutMs,
    addressPolicy: options.addressPolicy,
    secrets: [],
  });
}
