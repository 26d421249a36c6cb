// Microsoft Teams: the exact Adaptive Card a loopback workflow receiver gets, and the signature kept out of errors.
import { describe, expect, it } from 'vitest';
import { DeliveryError, sendNotification } from '../../../server/alerts/channels/index.ts';
import type { ChannelConfig } from '../../../server/alerts/channels/index.ts';
import { type WebhookReceiver, webhookReceivers } from '../../helpers/receivers.ts';
import { errorTexts, HOSTILE_NAMES, notification } from './fixtures.ts';

const WORKFLOW_PATH =
  '/workflows/5f1e0c0d9a8b4c7e/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=TeamsSignature0123456789';

const receiver = webhookReceivers({ status: 202 });

const channel = (target: WebhookReceiver): ChannelConfig => ({
  kind: 'teams',
  settings: {},
  secrets: { url: `${target.url}${WORKFLOW_PATH}` },
});

describe('Teams channel', () => {
  it('posts one Adaptive Card to the workflow URL, user text in TextRuns', async () => {
    const target = await receiver();
    const name = `[click](https://evil.example) **${HOSTILE_NAMES[0]}**`;
    await sendNotification(channel(target), notification({ monitor: { id: 7, name, target: 'tcp://db:5432' } }), {
      timeoutMs: 2000,
    });

    expect(target.requests).toHaveLength(1);
    const request = target.requests[0]!;
    expect(request.method).toBe('POST');
    expect(request.path).toBe(WORKFLOW_PATH);
    expect(request.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request.body)).toEqual({
      type: 'message',
      attachments: [
        {
          contentType: 'application/vnd.microsoft.card.adaptive',
          contentUrl: null,
          content: {
            $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
            type: 'AdaptiveCard',
            version: '1.4',
            body: [
              {
                type: 'RichTextBlock',
                inlines: [
                  { type: 'TextRun', text: `🔴 DOWN: ${name}`, weight: 'Bolder', size: 'Medium', color: 'Attention' },
                ],
              },
              ...[
                ['Monitor', name],
                ['Target', 'tcp://db:5432'],
                ['Cause', 'HTTP 500'],
                ['Time', '2025-01-10T14:30:00Z'],
              ].map(([label, value]) => ({
                type: 'RichTextBlock',
                inlines: [
                  { type: 'TextRun', text: `${label}: `, weight: 'Bolder' },
                  { type: 'TextRun', text: value },
                ],
              })),
            ],
            actions: [{ type: 'Action.OpenUrl', title: 'Open in Vigie', url: 'http://vigie.example.com/monitors/7' }],
          },
        },
      ],
    });
  });

  it('colours an UP green and adds the test sentence to a test', async () => {
    const target = await receiver();
    await sendNotification(channel(target), notification({ kind: 'UP', outageSeconds: 60 }), { timeoutMs: 2000 });
    await sendNotification(channel(target), notification({ kind: 'TEST', monitor: null, cause: null }), {
      timeoutMs: 2000,
    });
    const up = JSON.parse(target.requests[0]!.body).attachments[0].content.body;
    expect(up[0].inlines[0]).toMatchObject({ text: '🟢 UP: Shop API (down for 1 min)', color: 'Good' });
    const test = JSON.parse(target.requests[1]!.body).attachments[0].content.body;
    expect(test[1].inlines[0].text).toBe('This is a test notification. If you can read it, this channel works.');
  });

  it('keeps the workflow id and signature out of errors', async () => {
    const target = await receiver({ status: 401 });
    const error = await sendNotification(channel(target), notification(), { timeoutMs: 2000 }).catch((e) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error.retryable).toBe(false);
    expect(error.message).toContain(`Teams workflow ${target.url}/… answered HTTP 401`);
    for (const part of ['5f1e0c0d9a8b4c7e', 'TeamsSignature0123456789']) expect(errorTexts(error)).not.toContain(part);
  });
});
