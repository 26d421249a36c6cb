// Notification channels, pure of storage: validate a channel's input, show it without secrets, send to it.
import type { ChannelConfig, Notification, PublicChannelSettings, SendOptions } from './types.ts';
import { DeliveryError } from './types.ts';
import { maskUrlSecrets, restoreUrlSecrets, URL_SECRET_PLACEHOLDER } from '../../checks/index.ts';
import { ValidationError } from '../../errors.ts';
import { isPlainObject } from '../../validation.ts';
import { redactWebhookUrl, scrub, secretPartsOfUrl } from './redact.ts';
import { sendWebhook } from './webhook.ts';
import { sendEmail } from './email.ts';
import { sendSlack } from './slack.ts';
import { sendDiscord } from './discord.ts';
import { sendNtfy } from './ntfy.ts';
import { sendTelegram } from './telegram.ts';
import { sendTeams } from './teams.ts';
import { sendMattermost } from './mattermost.ts';
import { sendGoogleChat } from './google-chat.ts';
import { sendPagerDuty } from './pagerduty.ts';
import { sendOpsgenie } from './opsgenie.ts';
import { sendPushover } from './pushover.ts';
import { sendGotify } from './gotify.ts';
import { sendMatrix } from './matrix.ts';

export type {
  ChannelConfig,
  ChannelKind,
  ChannelSecrets,
  ChannelSettings,
  Notification,
  NotificationKind,
  PublicChannelSettings,
  SendOptions,
} from './types.ts';
export { DeliveryError } from './types.ts';
export { ALL_CHANNEL_KINDS, validateChannelInput } from './validation.ts';
export { webhookSignature } from './webhook.ts';
export { composeMessage, MAX_AFFECTED_LISTED, messageText } from './message.ts';

/** The idempotency key of the delivery of an alert to a channel: the same on every retry, and across restarts. */
export function notificationIdempotencyKey(alertId: number, channelId: number): string {
  return `alert-${alertId}-channel-${channelId}`;
}

/**
 * Sends one notification. Resolves once the receiver accepted it; otherwise rejects with a DeliveryError whose
 * message names the receiver (by origin or host) but never holds a secret.
 */
export async function sendNotification(
  channel: ChannelConfig,
  notification: Notification,
  options: SendOptions,
): Promise<void> {
  try {
    switch (channel.kind) {
      case 'webhook':
        return await sendWebhook(channel.settings, channel.secrets, notification, options);
      case 'email':
        return await sendEmail(channel.settings, channel.secrets, notification, options);
      case 'slack':
        return await sendSlack(channel.secrets, notification, options);
      case 'discord':
        return await sendDiscord(channel.secrets, notification, options);
      case 'ntfy':
        return await sendNtfy(channel.settings, channel.secrets, notification, options);
      case 'telegram':
        return await sendTelegram(channel.settings, channel.secrets, notification, options);
      case 'teams':
        return await sendTeams(channel.secrets, notification, options);
      case 'mattermost':
        return await sendMattermost(channel.secrets, notification, options);
      case 'googlechat':
        return await sendGoogleChat(channel.secrets, notification, options);
      case 'pagerduty':
        return await sendPagerDuty(channel.settings, channel.secrets, notification, options);
      case 'opsgenie':
        return await sendOpsgenie(channel.settings, channel.secrets, notification, options);
      case 'pushover':
        return await sendPushover(channel.settings, channel.secrets, notification, options);
      case 'gotify':
        return await sendGotify(channel.settings, channel.secrets, notification, options);
      case 'matrix':
        return await sendMatrix(channel.settings, channel.secrets, notification, options);
    }
  } catch (error) {
    if (error instanceof DeliveryError) throw error;
    // A bug rather than a refusal: keep its text for the logs, without any secret.
    const message = error instanceof Error ? error.message : String(error);
    throw new DeliveryError(`unexpected error while sending: ${scrub(message, secretStrings(channel))}`, true);
  }
}

/** What the API may show of a channel: its settings, whether each secret is set, webhook URLs cut before the token. */
export function publicSettings(channel: ChannelConfig): PublicChannelSettings[ChannelConfig['kind']] {
  switch (channel.kind) {
    case 'webhook':
      return {
        url: maskUrlSecrets(channel.settings.url, { pathTokens: true }),
        hasSecret: channel.secrets.secret !== null,
      };
    case 'email':
      return { ...channel.settings, to: [...channel.settings.to], hasPassword: channel.secrets.password !== null };
    case 'slack':
    case 'discord':
    case 'teams':
    case 'mattermost':
    case 'googlechat':
      return { url: redactWebhookUrl(channel.secrets.url) };
    case 'ntfy':
      // On a public ntfy server, whoever knows the topic reads (and writes) it.
      return {
        ...channel.settings,
        server: maskUrlSecrets(channel.settings.server),
        topic: URL_SECRET_PLACEHOLDER,
        hasToken: channel.secrets.token !== null,
      };
    case 'telegram':
      return { apiUrl: maskUrlSecrets(channel.settings.apiUrl), chatId: channel.settings.chatId, hasBotToken: true };
    case 'pagerduty':
      return { apiUrl: maskUrlSecrets(channel.settings.apiUrl), hasRoutingKey: true };
    case 'opsgenie':
      return { apiUrl: maskUrlSecrets(channel.settings.apiUrl), hasApiKey: true };
    case 'pushover':
      return {
        apiUrl: maskUrlSecrets(channel.settings.apiUrl),
        priority: channel.settings.priority,
        hasAppToken: true,
        hasUserKey: true,
      };
    case 'gotify':
      return {
        server: maskUrlSecrets(channel.settings.server),
        priority: channel.settings.priority,
        hasToken: true,
      };
    case 'matrix':
      return {
        homeserver: maskUrlSecrets(channel.settings.homeserver),
        roomId: channel.settings.roomId,
        hasAccessToken: true,
      };
  }
}

/**
 * Settings sent back as shown by publicSettings: each placeholder gets the stored value again, for the same kind
 * and (for URLs) the same origin; anywhere else a placeholder is refused rather than stored.
 */
export function restoreMaskedSettings(kind: unknown, settings: unknown, current: ChannelConfig): unknown {
  if (!isPlainObject(settings)) return settings;
  const restored = { ...settings };
  const stored = (current.kind === kind ? current.settings : {}) as Record<string, unknown>;
  for (const name of ['url', 'server', 'apiUrl', 'homeserver'] as const) {
    const value = restored[name];
    if (typeof value !== 'string' || !value.includes(URL_SECRET_PLACEHOLDER)) continue;
    if (typeof stored[name] !== 'string') throw placeholderWithoutValue(name);
    restored[name] = restoreUrlSecrets(value, stored[name], `settings.${name}`);
  }
  if (restored.topic === URL_SECRET_PLACEHOLDER) {
    if (typeof stored.topic !== 'string') throw placeholderWithoutValue('topic');
    restored.topic = stored.topic;
  }
  return restored;
}

function placeholderWithoutValue(name: string): ValidationError {
  return new ValidationError(
    `"${URL_SECRET_PLACEHOLDER}" stands for a stored value, and this channel has none: send the value`,
    `settings.${name}`,
  );
}

/** Every secret value of a channel, for scrubbing texts. */
export function secretStrings(channel: ChannelConfig): string[] {
  switch (channel.kind) {
    case 'webhook':
      return [channel.secrets.secret ?? '', ...secretPartsOfUrl(channel.settings.url)].filter(Boolean);
    case 'email':
      return [channel.secrets.password ?? ''].filter(Boolean);
    case 'slack':
    case 'discord':
    case 'teams':
    case 'mattermost':
    case 'googlechat':
      return secretPartsOfUrl(channel.secrets.url);
    case 'ntfy':
      return [channel.secrets.token ?? ''].filter(Boolean);
    case 'telegram':
      return [channel.secrets.botToken, channel.secrets.botToken.slice(channel.secrets.botToken.indexOf(':') + 1)];
    case 'pagerduty':
      return [channel.secrets.routingKey];
    case 'opsgenie':
      return [channel.secrets.apiKey];
    case 'pushover':
      return [channel.secrets.appToken, channel.secrets.userKey];
    case 'gotify':
      return [channel.secrets.token];
    case 'matrix':
      return [channel.secrets.accessToken];
  }
}
