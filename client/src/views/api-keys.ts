// API keys: one's keys (an admin may list everyone's) with last use and revocation; create one with a role up to
// one's own and see its secret once; revoke.
import {
  AllApiKeysQuery,
  ApiKeysQuery,
  CreateApiKey,
  fromGqlRole,
  RevokeApiKey,
  toGqlRole,
  type ApiKeyRow,
} from '../api/account-documents.ts';
import { errorText } from '../api/errors.ts';
import type { AppContext } from '../context.ts';
import { formatAgo, formatDateTime } from '../format.ts';
import { isAdmin, ROLE_LABEL, rolesUpTo } from '../state/session.ts';
import { copyBox } from '../ui/copy.ts';
import { h, replace } from '../ui/dom.ts';
import type { View } from '../ui/router.ts';
import { confirmPanel } from './confirm.ts';
import { selectField, textField } from './form-fields.ts';
import { smallForm } from './small-form.ts';
import { t } from '../i18n/index.ts';

/** The box that shows a new key's secret: the only time anyone sees it. */
function secretBox(name: string, secret: string, onDone: () => void): HTMLElement {
  const {
    el: copyRow,
    button: copyButton,
    said: copied,
  } = copyBox(secret, t('apiKeys.secretOf', { name }), 'button primary');
  const box = h(
    'div',
    { class: 'secret-box', attrs: { role: 'region', 'aria-label': t('apiKeys.newKeyRegion') } },
    h('h2', null, t('apiKeys.created', { name })),
    h('p', null, h('strong', null, t('apiKeys.copyNow')), ` ${t('apiKeys.digestOnly')}`),
    copyRow,
    copied,
    h('p', { class: 'muted' }, t('apiKeys.howToSend')),
    h('button', { class: 'button', attrs: { type: 'button' }, on: { click: onDone } }, t('apiKeys.done')),
  );
  queueMicrotask(() => copyButton.focus());
  return box;
}

export function apiKeysView(ctx: AppContext): View {
  const el = h(
    'section',
    { class: 'account-view' },
    h('div', { class: 'page-head' }, h('h1', null, t('apiKeys.title'))),
  );
  if (ctx.session.authDisabled) {
    el.append(h('p', null, t('apiKeys.authDisabled')));
    return { el };
  }
  const admin = isAdmin(ctx.session);
  let everyone = false;
  const newSecret = h('div');
  const status = h('p', { class: 'muted', attrs: { role: 'status' } }, t('common.loading'));
  const tbody = h('tbody');
  const ownerHead = h('th', { attrs: { scope: 'col', hidden: true } }, t('apiKeys.owner'));
  const table = h(
    'table',
    { class: 'keys' },
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        h('th', { attrs: { scope: 'col' } }, t('users.name')),
        ownerHead,
        ...[t('users.role'), t('apiKeys.createdAt'), t('apiKeys.lastUsed'), t('apiKeys.state'), ''].map((title) =>
          h('th', { attrs: { scope: 'col' } }, title),
        ),
      ),
    ),
    tbody,
  );

  /** The key's row, and the row below it where a revocation is confirmed. */
  const rows = (key: ApiKeyRow, owners: Map<string, string> | null): HTMLTableRowElement[] => {
    const panel = h('td', { attrs: { colspan: owners ? 7 : 6 } });
    const panelRow = h('tr', { class: 'panel-row', attrs: { hidden: true } }, panel);
    const revoke = h('button', { class: 'button small danger', attrs: { type: 'button' } }, t('apiKeys.revoke'));
    revoke.addEventListener('click', () => {
      panelRow.hidden = false;
      revoke.disabled = true;
      replace(
        panel,
        confirmPanel({
          question: [t('apiKeys.confirmRevoke', { name: key.name })],
          confirmLabel: t('apiKeys.revokeForGood'),
          danger: true,
          action: async () => {
            await ctx.api.mutate(RevokeApiKey, { id: key.id });
            ctx.notify(t('apiKeys.revoked', { name: key.name }));
            load();
          },
          onCancel: () => {
            panelRow.hidden = true;
            revoke.disabled = false;
            revoke.focus();
          },
        }),
      );
    });
    const tr = h(
      'tr',
      { class: key.revokedAt ? 'revoked' : '', attrs: { 'data-id': key.id } },
      h('td', { class: 'key-name' }, key.name),
      owners && h('td', null, owners.get(key.userId) ?? t('apiKeys.userId', { id: key.userId })),
      h('td', null, ROLE_LABEL[fromGqlRole(key.role)]),
      h(
        'td',
        null,
        h(
          'time',
          { attrs: { datetime: key.createdAt, title: formatDateTime(key.createdAt) } },
          formatAgo(key.createdAt),
        ),
      ),
      h(
        'td',
        { class: 'last-used' },
        key.lastUsedAt
          ? h(
              'time',
              { attrs: { datetime: key.lastUsedAt, title: formatDateTime(key.lastUsedAt) } },
              formatAgo(key.lastUsedAt),
            )
          : t('apiKeys.never'),
      ),
      h(
        'td',
        { class: 'key-state' },
        key.revokedAt ? t('apiKeys.revokedAgo', { ago: formatAgo(key.revokedAt) }) : t('apiKeys.active'),
      ),
      h('td', { class: 'row-actions' }, key.revokedAt ? null : revoke),
    );
    return [tr, panelRow];
  };

  let loads = 0;
  const load = (): void => {
    const current = ++loads;
    const answer = everyone
      ? ctx.api
          .query(AllApiKeysQuery, {})
          .then((data) => ({ keys: data.apiKeys, owners: new Map(data.users.map((user) => [user.id, user.email])) }))
      : ctx.api.query(ApiKeysQuery, {}).then((data) => ({ keys: data.apiKeys, owners: null }));
    answer
      .then(({ keys, owners }) => {
        if (current !== loads) return;
        ownerHead.hidden = !owners;
        replace(tbody, ...keys.flatMap((key) => rows(key, owners)));
        table.hidden = keys.length === 0;
        status.textContent = keys.length ? '' : everyone ? t('apiKeys.nobodyHasOne') : t('apiKeys.noneYet');
      })
      .catch((error: unknown) => current === loads && (status.textContent = errorText(error)));
  };

  const roles = rolesUpTo(ctx.session.role);
  const form = smallForm<'name' | 'role'>({
    className: 'card inline-form',
    fields: [
      textField({
        name: 'name',
        label: t('users.name'),
        placeholder: t('apiKeys.namePlaceholder'),
        hint: t('apiKeys.nameHint'),
      }),
      selectField({
        name: 'role',
        label: t('users.role'),
        choices: roles.map((role): [string, string] => [role, ROLE_LABEL[role]]),
      }),
    ],
    submitLabel: t('apiKeys.create'),
    validate: (values) => ({ name: values.name.trim() ? undefined : t('form.required') }),
    submit: async (values) => {
      const { createApiKey } = await ctx.api.mutate(CreateApiKey, {
        name: values.name.trim(),
        role: toGqlRole(values.role as (typeof roles)[number]),
      });
      form.reset();
      replace(
        newSecret,
        secretBox(createApiKey.key.name, createApiKey.secret, () => {
          replace(newSecret);
          form.field('name').control.focus();
        }),
      );
      load();
    },
  });

  const everyoneToggle = h('input', { attrs: { type: 'checkbox', id: 'keys-everyone' } });
  everyoneToggle.addEventListener('change', () => {
    everyone = everyoneToggle.checked;
    load();
  });
  el.firstElementChild!.append(
    admin
      ? h('label', { class: 'toggle', attrs: { for: 'keys-everyone' } }, everyoneToggle, ` ${t('apiKeys.everyones')}`)
      : '',
  );
  el.append(
    h('p', { class: 'muted' }, t('apiKeys.intro', { role: ROLE_LABEL[ctx.session.role] })),
    newSecret,
    h('h2', null, t('apiKeys.new')),
    form.el,
    h('h2', null, t('apiKeys.keys')),
    status,
    h('div', { class: 'table-wrap' }, table),
  );
  load();
  return { el, refresh: load };
}
