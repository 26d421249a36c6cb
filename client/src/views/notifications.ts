// The Notifications page: every channel with where it sends, default and enabled flags, and its delivery log;
// administrators create, edit, enable or disable, test and delete channels (their secrets are write-only).
import {
  ChannelsQuery,
  DeleteChannel,
  DeliveriesQuery,
  TestChannel,
  UpdateChannel,
  type ChannelRow,
} from '../api/notification-documents.ts';
import { errorText } from '../api/errors.ts';
import type { AppContext } from '../context.ts';
import { isAdmin } from '../state/session.ts';
import { labels, t } from '../i18n/index.ts';
import { h, replace } from '../ui/dom.ts';
import type { View } from '../ui/router.ts';
import { channelForm } from './channel-form.ts';
import { KINDS, settingsOf, settingText } from './channel-kinds.ts';
import { confirmPanel } from './confirm.ts';
import { deliveryLog, type DeliveryLog } from './delivery-log.ts';

const TEXT = labels({
  title: 'nav.notifications',
  intro: 'notifications.intro',
  readOnly: 'notifications.readOnly',
  newChannel: 'notifications.newChannel',
  channels: 'notifications.channels',
  loading: 'common.loading',
  none: 'notifications.none',
  isDefault: 'notifications.default',
  disabled: 'notifications.disabled',
  test: 'notifications.test',
  testing: 'notifications.testing',
  testOk: 'notifications.testOk',
  edit: 'detail.edit',
  enable: 'notifications.enable',
  disable: 'notifications.disable',
  delete: 'common.delete',
  deliveries: 'notifications.deliveries',
  hideDeliveries: 'notifications.hideDeliveries',
  deleteConfirm: 'notifications.deleteConfirm',
});

const MESSAGE = {
  loadFailed: (error: string) => t('notifications.loadFailed', { error }),
  testFailed: (error: string) => t('notifications.testFailed', { error }),
  deleteQuestion: (name: string) => t('notifications.deleteQuestion', { name }),
  created: (name: string) => t('notifications.created', { name }),
  saved: (name: string) => t('notifications.saved', { name }),
  deleted: (name: string) => t('notifications.deleted', { name }),
  toggled: (name: string, enabled: boolean) =>
    t(enabled ? 'notifications.enabled' : 'notifications.disabledChannel', { name }),
};

function target(channel: ChannelRow): string {
  const spec = KINDS[channel.kind];
  const field = [...spec.settings, ...spec.secrets].find((candidate) => candidate.key === spec.shows);
  const value = spec.shows ? settingsOf(channel)[spec.shows] : undefined;
  return field && value !== undefined ? settingText(value) : '';
}

export function notificationsView(ctx: AppContext): View {
  const admin = isAdmin(ctx.session);
  const status = h('p', { class: 'muted', attrs: { role: 'status' } }, TEXT.loading);
  const list = h('ul', { class: 'channel-list' });
  const formSlot = h('div', { class: 'channel-form-slot' });
  const logs = new Set<DeliveryLog>();
  let channels: ChannelRow[] = [];

  const closeForm = (): void => replace(formSlot);
  const openForm = (channel: ChannelRow | null): void => {
    const form = channelForm(ctx, {
      channel,
      onSaved: (saved) => {
        ctx.notify(channel ? MESSAGE.saved(saved.name) : MESSAGE.created(saved.name));
        closeForm();
        void load();
      },
      onCancel: closeForm,
    });
    replace(formSlot, form);
    form.scrollIntoView({ block: 'nearest' });
    form.querySelector<HTMLInputElement>('input[name="name"]')?.focus();
  };

  const item = (channel: ChannelRow): HTMLLIElement => {
    const panel = h('div', { class: 'confirm-slot' });
    const testResult = h('p', { class: 'test-result', attrs: { role: 'status' } });
    const logSlot = h('div', { class: 'channel-log' });
    const button = (label: string, action: string, extra = '') =>
      h('button', { class: `button small ${extra}`.trim(), attrs: { type: 'button', 'data-action': action } }, label);

    const test = admin ? button(TEXT.test, 'test') : null;
    test?.addEventListener('click', () => {
      test.disabled = true;
      testResult.dataset['ok'] = '';
      testResult.textContent = TEXT.testing;
      ctx.api
        .mutate(TestChannel, { id: channel.id })
        .then(({ testChannel }) => {
          testResult.dataset['ok'] = String(testChannel.ok);
          testResult.textContent = testChannel.ok ? TEXT.testOk : MESSAGE.testFailed(testChannel.error ?? '');
        })
        .catch((error: unknown) => {
          testResult.dataset['ok'] = 'false';
          testResult.textContent = MESSAGE.testFailed(errorText(error));
        })
        .finally(() => (test.disabled = false));
    });

    const edit = admin ? button(TEXT.edit, 'edit') : null;
    edit?.addEventListener('click', () => openForm(channel));

    const toggle = admin ? button(channel.enabled ? TEXT.disable : TEXT.enable, 'toggle') : null;
    toggle?.addEventListener('click', () => {
      toggle.disabled = true;
      ctx.api
        .mutate(UpdateChannel, { id: channel.id, input: { enabled: !channel.enabled } })
        .then(({ updateChannel }) => {
          ctx.notify(MESSAGE.toggled(updateChannel.name, updateChannel.enabled));
          void load();
        })
        .catch((error: unknown) => {
          toggle.disabled = false;
          ctx.notify(errorText(error), 'error');
        });
    });

    const remove = admin ? button(TEXT.delete, 'delete', 'danger') : null;
    remove?.addEventListener('click', () => {
      remove.disabled = true;
      replace(
        panel,
        confirmPanel({
          question: [MESSAGE.deleteQuestion(channel.name)],
          confirmLabel: TEXT.deleteConfirm,
          danger: true,
          action: async () => {
            await ctx.api.mutate(DeleteChannel, { id: channel.id });
            ctx.notify(MESSAGE.deleted(channel.name));
            void load();
          },
          onCancel: () => {
            replace(panel);
            remove.disabled = false;
            remove.focus();
          },
        }),
      );
    });

    // The log is read and followed live only while it is open.
    let log: DeliveryLog | null = null;
    const showLog = button(TEXT.deliveries, 'deliveries');
    showLog.setAttribute('aria-expanded', 'false');
    showLog.addEventListener('click', () => {
      if (log) {
        log.destroy();
        logs.delete(log);
        log = null;
        replace(logSlot);
      } else {
        log = deliveryLog(ctx, {
          filter: { channelId: channel.id },
          load: async () => (await ctx.api.query(DeliveriesQuery, { channelId: channel.id, first: 50 })).deliveries,
        });
        logs.add(log);
        replace(logSlot, log.el);
        log.reload().catch((error: unknown) => replace(logSlot, h('p', { class: 'error-text' }, errorText(error))));
      }
      showLog.textContent = log ? TEXT.hideDeliveries : TEXT.deliveries;
      showLog.setAttribute('aria-expanded', String(Boolean(log)));
    });

    return h(
      'li',
      {
        class: 'channel-item',
        attrs: { 'data-id': channel.id, 'data-kind': channel.kind, 'data-enabled': String(channel.enabled) },
      },
      h(
        'div',
        { class: 'channel-main' },
        h(
          'span',
          { class: 'channel-name' },
          channel.name,
          channel.isDefault ? h('span', { class: 'chip channel-default' }, TEXT.isDefault) : null,
          channel.enabled ? null : h('span', { class: 'chip channel-disabled' }, TEXT.disabled),
        ),
        h('span', { class: 'muted channel-kind' }, KINDS[channel.kind].label),
        h('span', { class: 'channel-target' }, target(channel)),
      ),
      h('div', { class: 'channel-actions' }, test, edit, toggle, remove, showLog),
      testResult,
      panel,
      logSlot,
    );
  };

  const load = async (): Promise<void> => {
    try {
      channels = (await ctx.api.query(ChannelsQuery, {})).channels;
      status.textContent = channels.length ? '' : TEXT.none;
      for (const log of logs) log.destroy();
      logs.clear();
      replace(list, ...channels.map(item));
    } catch (error) {
      status.textContent = MESSAGE.loadFailed(errorText(error));
    }
  };

  const newButton = admin
    ? h('button', { class: 'button primary', attrs: { type: 'button', 'data-action': 'new-channel' } }, TEXT.newChannel)
    : null;
  newButton?.addEventListener('click', () => openForm(null));
  const el = h(
    'section',
    { class: 'notifications-view' },
    h('div', { class: 'page-head' }, h('h1', null, TEXT.title), newButton),
    h('p', { class: 'muted' }, TEXT.intro),
    admin ? null : h('p', { class: 'muted read-only-note' }, TEXT.readOnly),
    formSlot,
    h('h2', null, TEXT.channels),
    status,
    list,
  );
  void load();
  return {
    el,
    refresh: () => void load(),
    destroy: () => {
      for (const log of logs) log.destroy();
    },
  };
}
