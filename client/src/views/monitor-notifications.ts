// A monitor's notifications: on its form, which channels it notifies, reminders while DOWN and the certificate
// threshold (saved after the monitor); on its page, the same read-only with the deliveries of its alerts, live.
// Loaded lazily (see notification-slots.ts): the first download of the dashboard stays small.
import {
  ChannelsQuery,
  MonitorDeliveriesQuery,
  MonitorNotificationsQuery,
  SetMonitorChannels,
  UpdateMonitorNotifications,
  type ChannelRow,
  type MonitorNotifications,
} from '../api/notification-documents.ts';
import { errorText } from '../api/errors.ts';
import type { AppContext } from '../context.ts';
import { labels, t, tn } from '../i18n/index.ts';
import { h, replace } from '../ui/dom.ts';
import { KINDS } from './channel-kinds.ts';
import { deliveryLog } from './delivery-log.ts';
import { readValue, textField, writeValue } from './form-fields.ts';

const TEXT = labels({
  legend: 'nav.notifications',
  channels: 'monitorNotifications.channels',
  noChannels: 'monitorNotifications.noChannels',
  manage: 'monitorNotifications.manage',
  defaultNote: 'monitorNotifications.defaultNote',
  disabled: 'monitorNotifications.disabled',
  reminders: 'monitorNotifications.reminders',
  remindersHint: 'monitorNotifications.remindersHint',
  certificate: 'monitorNotifications.certificate',
  certificateHint: 'monitorNotifications.certificateHint',
  remindersBad: 'monitorNotifications.remindersBad',
  certificateBad: 'monitorNotifications.certificateBad',
  cardTitle: 'nav.notifications',
  notifies: 'monitorNotifications.notifies',
  nobody: 'monitorNotifications.nobody',
  remindersOff: 'monitorNotifications.remindersOff',
  certificateOff: 'detail.noCertificateAlertShort',
  deliveries: 'monitorNotifications.deliveries',
});

const MESSAGE = {
  remindersEvery: (minutes: number) => t('monitorNotifications.remindersEvery', { minutes }),
  certificateDays: (days: number) => tn('monitorNotifications.certificateDays', days),
  loadFailed: (error: string) => t('monitorNotifications.loadFailed', { error }),
};

const DEFAULT_CERTIFICATE_DAYS = 14;

/** The channels that hear about the monitor: the ones linked to it, and every enabled default one. */
function notified(channels: ChannelRow[], linked: string[]): ChannelRow[] {
  return channels.filter((channel) => channel.isDefault || linked.includes(channel.id));
}

function channelLabel(channel: ChannelRow): string {
  return `${channel.name} (${KINDS[channel.kind].label}${channel.enabled ? '' : `, ${TEXT.disabled}`})`;
}

export interface NotificationsSection {
  el: HTMLElement;
  /** The first control with a problem (and shows it), or null. */
  invalid(): HTMLElement | null;
  /** Saves the settings for the monitor just created or saved. */
  save(monitorId: string): Promise<void>;
}

export function notificationsSection(ctx: AppContext, monitorId: string | null): NotificationsSection {
  const list = h('div', { class: 'channel-choices', attrs: { role: 'group', 'aria-label': TEXT.channels } });
  const reminders = textField<string>({
    name: 'reminderMinutes',
    label: TEXT.reminders,
    hint: TEXT.remindersHint,
    inputmode: 'numeric',
  });
  const certificate = textField<string>({
    name: 'certificateAlertDays',
    label: TEXT.certificate,
    hint: TEXT.certificateHint,
    inputmode: 'numeric',
  });
  const status = h('p', { class: 'muted' });
  const el = h(
    'fieldset',
    { class: 'notification-settings' },
    h('legend', null, TEXT.legend),
    h('p', { class: 'label' }, TEXT.channels),
    list,
    status,
    h('div', { class: 'grid' }, reminders.wrapper, certificate.wrapper),
  );
  const boxes = new Map<string, HTMLInputElement>();
  let loaded: MonitorNotifications | null = null;

  const showChannels = (channels: ChannelRow[], linked: string[]): void => {
    boxes.clear();
    status.textContent = '';
    replace(
      list,
      ...channels.map((channel) => {
        const box = h('input', {
          attrs: { type: 'checkbox', value: channel.id, name: 'channelIds', 'data-channel': channel.name },
        });
        // A default channel hears about every monitor: there is nothing to choose.
        box.checked = channel.isDefault || linked.includes(channel.id);
        box.disabled = channel.isDefault;
        if (!channel.isDefault) boxes.set(channel.id, box);
        return h(
          'label',
          { class: 'channel-choice' },
          box,
          ` ${channelLabel(channel)}`,
          channel.isDefault ? h('span', { class: 'muted' }, ` — ${TEXT.defaultNote}`) : null,
        );
      }),
    );
    if (!channels.length) {
      status.textContent = TEXT.noChannels;
      status.append(' ', h('a', { attrs: { href: '/notifications' } }, TEXT.manage));
    }
  };

  const load = async (): Promise<void> => {
    if (monitorId) {
      const data = await ctx.api.query(MonitorNotificationsQuery, { id: monitorId });
      loaded = data.monitor;
      showChannels(data.channels, data.monitor.channelIds);
      writeValue(reminders, data.monitor.reminderMinutes === null ? '' : String(data.monitor.reminderMinutes));
      writeValue(certificate, String(data.monitor.certificateAlertDays));
    } else {
      showChannels((await ctx.api.query(ChannelsQuery, {})).channels, []);
      writeValue(certificate, String(DEFAULT_CERTIFICATE_DAYS));
    }
  };
  load().catch((error: unknown) => (status.textContent = MESSAGE.loadFailed(errorText(error))));

  const parse = () => {
    const reminderText = String(readValue(reminders)).trim();
    const certificateText = String(readValue(certificate)).trim();
    const reminderMinutes = reminderText === '' ? null : Number(reminderText);
    const certificateAlertDays = certificateText === '' ? DEFAULT_CERTIFICATE_DAYS : Number(certificateText);
    return {
      reminderMinutes,
      certificateAlertDays,
      reminderOk:
        reminderMinutes === null ||
        (Number.isInteger(reminderMinutes) && reminderMinutes >= 1 && reminderMinutes <= 10_080),
      certificateOk: Number.isInteger(certificateAlertDays) && certificateAlertDays >= 0 && certificateAlertDays <= 365,
    };
  };

  return {
    el,
    invalid() {
      const values = parse();
      reminders.showError(values.reminderOk ? undefined : TEXT.remindersBad);
      certificate.showError(values.certificateOk ? undefined : TEXT.certificateBad);
      if (!values.reminderOk) return reminders.control;
      if (!values.certificateOk) return certificate.control;
      return null;
    },
    async save(id) {
      const values = parse();
      const channelIds = [...boxes.entries()].filter(([, box]) => box.checked).map(([channelId]) => channelId);
      const unchangedChannels =
        loaded !== null &&
        channelIds.length === loaded.channelIds.filter((channelId) => boxes.has(channelId)).length &&
        channelIds.every((channelId) => loaded!.channelIds.includes(channelId));
      if (!unchangedChannels && (loaded !== null || channelIds.length > 0))
        await ctx.api.mutate(SetMonitorChannels, { monitorId: id, channelIds });
      if (
        loaded === null
          ? values.reminderMinutes !== null || values.certificateAlertDays !== DEFAULT_CERTIFICATE_DAYS
          : values.reminderMinutes !== loaded.reminderMinutes ||
            values.certificateAlertDays !== loaded.certificateAlertDays
      ) {
        await ctx.api.mutate(UpdateMonitorNotifications, {
          id,
          reminderMinutes: values.reminderMinutes,
          certificateAlertDays: values.certificateAlertDays,
        });
      }
    },
  };
}

export interface NotificationsCard {
  el: HTMLElement;
  destroy(): void;
}

/** The monitor page's card: who is notified, reminders, certificate threshold, and its alerts' deliveries. */
export function notificationsCard(ctx: AppContext, monitorId: string, kind: string): NotificationsCard {
  const summary = h('div', { class: 'notification-summary' }, h('p', { class: 'muted' }, '…'));
  let channels: ChannelRow[] = [];
  const channelName = (id: string): string =>
    channels.find((channel) => channel.id === id)?.name ?? t('delivery.channel', { id });
  const log = deliveryLog(ctx, {
    filter: { monitorId },
    channelName,
    limit: 30,
    load: async () =>
      (await ctx.api.query(MonitorDeliveriesQuery, { id: monitorId, first: 10 })).monitor.alerts.flatMap(
        (alert) => alert.deliveries,
      ),
  });
  const el = h(
    'section',
    { class: 'card notifications-card' },
    h('h2', null, TEXT.cardTitle),
    summary,
    h('h3', null, TEXT.deliveries),
    log.el,
  );
  ctx.api
    .query(MonitorNotificationsQuery, { id: monitorId })
    .then(async (data) => {
      channels = data.channels;
      const who = notified(data.channels, data.monitor.channelIds);
      replace(
        summary,
        h(
          'p',
          { class: 'notified-channels' },
          who.length ? `${TEXT.notifies}: ${who.map(channelLabel).join(', ')}` : TEXT.nobody,
        ),
        h(
          'p',
          { class: 'muted' },
          data.monitor.reminderMinutes === null
            ? TEXT.remindersOff
            : MESSAGE.remindersEvery(data.monitor.reminderMinutes),
          kind === 'HTTP'
            ? ` · ${data.monitor.certificateAlertDays === 0 ? TEXT.certificateOff : MESSAGE.certificateDays(data.monitor.certificateAlertDays)}`
            : '',
        ),
      );
      await log.reload();
    })
    .catch((error: unknown) => replace(summary, h('p', { class: 'error-text' }, MESSAGE.loadFailed(errorText(error)))));
  return { el, destroy: log.destroy };
}
