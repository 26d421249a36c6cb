// Users (admin): list, create with a role, change a role, reset a password, delete, each change confirmed.
import {
  CreateUser,
  DeleteUser,
  fromGqlRole,
  toGqlRole,
  UpdateUser,
  UsersQuery,
  type UserRow,
} from '../api/account-documents.ts';
import { errorText } from '../api/errors.ts';
import type { AppContext } from '../context.ts';
import { formatAgo, formatDateTime } from '../format.ts';
import { isAdmin, isRole, passwordProblem, ROLE_LABEL, ROLES, type Role } from '../state/session.ts';
import { h, replace, uniqueId } from '../ui/dom.ts';
import type { View } from '../ui/router.ts';
import { confirmPanel } from './confirm.ts';
import { selectField, textField } from './form-fields.ts';
import { smallForm } from './small-form.ts';
import { labels, t, tn } from '../i18n/index.ts';

const EMAIL = /^[^\s@]+@[^\s@]+$/;
const ROLE_DESCRIPTION: Readonly<Record<Role, string>> = labels({
  viewer: 'users.roleViewer',
  editor: 'users.roleEditor',
  admin: 'users.roleAdmin',
});
const roleChoices = (): Array<[string, string]> => ROLES.map((role) => [role, ROLE_LABEL[role]]);

function createUserForm(ctx: AppContext, created: (user: UserRow) => void) {
  const form = smallForm<'email' | 'name' | 'password' | 'role'>({
    className: 'card user-form',
    fields: [
      textField({ name: 'email', label: t('login.email'), type: 'email' }),
      textField({ name: 'name', label: t('users.name') }),
      textField({
        name: 'password',
        label: t('login.password'),
        type: 'password',
        autocomplete: 'new-password',
        hint: t('users.passwordHint'),
      }),
      selectField({ name: 'role', label: t('users.role'), choices: roleChoices() }),
    ],
    submitLabel: t('users.create'),
    validate: (values) => ({
      email: EMAIL.test(values.email.trim()) ? undefined : t('login.emailProblem'),
      password: passwordProblem(values.password) ?? undefined,
    }),
    submit: async (values) => {
      const role = isRole(values.role) ? values.role : 'viewer';
      const { createUser } = await ctx.api.mutate(CreateUser, {
        input: {
          email: values.email.trim(),
          name: values.name.trim(),
          password: values.password,
          role: toGqlRole(role),
        },
      });
      form.reset();
      created(createUser);
    },
  });
  return form;
}

export function usersView(ctx: AppContext): View {
  const el = h('section', { class: 'account-view' }, h('h1', null, t('users.title')));
  if (!isAdmin(ctx.session)) {
    el.append(h('p', null, t('users.adminOnly', { role: ROLE_LABEL[ctx.session.role].toLowerCase() })));
    return { el };
  }
  const myId = ctx.session.user?.id ?? null;
  const status = h('p', { class: 'muted', attrs: { role: 'status' } }, t('common.loading'));
  const list = h('ul', { class: 'user-list' });

  const item = (user: UserRow): HTMLLIElement => {
    const role = fromGqlRole(user.role);
    const self = user.id === myId;
    const panel = h('div', { class: 'user-panel' });
    const roleId = uniqueId('role');
    const roleSelect = h(
      'select',
      { attrs: { id: roleId, disabled: self } },
      ...roleChoices().map(([value, text]) => h('option', { attrs: { value } }, text)),
    );
    roleSelect.value = role;
    const resetButton = h('button', { class: 'button small', attrs: { type: 'button' } }, t('users.resetPassword'));
    const deleteButton = h(
      'button',
      { class: 'button small danger', attrs: { type: 'button', disabled: self } },
      t('common.delete'),
    );
    const buttons = [resetButton, deleteButton];
    const closePanel = (focus?: HTMLElement): void => {
      replace(panel);
      buttons.forEach((button) => (button.disabled = button === deleteButton && self));
      roleSelect.disabled = self;
      focus?.focus();
    };
    const openPanel = (content: HTMLElement): void => {
      buttons.forEach((button) => (button.disabled = true));
      roleSelect.disabled = true;
      replace(panel, content);
    };
    const who = user.name ? `${user.name} (${user.email})` : user.email;

    roleSelect.addEventListener('change', () => {
      const next = roleSelect.value as Role;
      openPanel(
        confirmPanel({
          question: [
            t('users.confirmRole', {
              who,
              role: ROLE_LABEL[next].toLowerCase(),
              description: ROLE_DESCRIPTION[next],
            }),
          ],
          confirmLabel: t('users.changeRole'),
          action: async () => {
            await ctx.api.mutate(UpdateUser, { id: user.id, input: { role: toGqlRole(next) } });
            ctx.notify(t('users.roleChanged', { email: user.email, role: ROLE_LABEL[next].toLowerCase() }));
            load();
          },
          onCancel: () => {
            roleSelect.value = role;
            closePanel(roleSelect);
          },
        }),
      );
    });

    resetButton.addEventListener('click', () => {
      const form = smallForm<'password'>({
        className: 'reset-form',
        fields: [
          textField({
            name: 'password',
            label: t('users.newPasswordFor', { email: user.email }),
            type: 'password',
            autocomplete: 'new-password',
            hint: t('users.resetHint'),
          }),
        ],
        submitLabel: t('users.setPassword'),
        validate: (values) => ({ password: passwordProblem(values.password) ?? undefined }),
        submit: async (values) => {
          await ctx.api.mutate(UpdateUser, { id: user.id, input: { password: values.password } });
          ctx.notify(t('users.passwordSet', { email: user.email }));
          closePanel(resetButton);
        },
        extra: [
          h(
            'button',
            { class: 'button', attrs: { type: 'button' }, on: { click: () => closePanel(resetButton) } },
            t('common.cancel'),
          ),
        ],
      });
      openPanel(form.el);
      form.field('password').control.focus();
    });

    deleteButton.addEventListener('click', () => {
      openPanel(
        confirmPanel({
          question: [t('users.confirmDelete', { who })],
          confirmLabel: t('common.deleteForGood'),
          danger: true,
          action: async () => {
            await ctx.api.mutate(DeleteUser, { id: user.id });
            ctx.notify(t('users.deleted', { email: user.email }));
            load();
          },
          onCancel: () => closePanel(deleteButton),
        }),
      );
    });

    return h(
      'li',
      { class: 'user-item', attrs: { 'data-id': user.id, 'data-email': user.email } },
      h(
        'div',
        { class: 'user-main' },
        h(
          'span',
          null,
          h('span', { class: 'user-email' }, user.email),
          self ? h('span', { class: 'muted' }, ` ${t('users.you')}`) : null,
        ),
        h(
          'span',
          { class: 'muted user-meta' },
          user.name || '',
          user.name ? ' · ' : '',
          h(
            'time',
            { attrs: { datetime: user.createdAt, title: formatDateTime(user.createdAt) } },
            t('users.added', { ago: formatAgo(user.createdAt) }),
          ),
        ),
      ),
      h('label', { class: 'control', attrs: { for: roleId } }, h('span', null, t('users.role')), roleSelect),
      h('div', { class: 'actions' }, ...buttons),
      panel,
    );
  };

  let loads = 0;
  const load = (): void => {
    const current = ++loads;
    ctx.api
      .query(UsersQuery, {})
      .then(({ users }) => {
        if (current !== loads) return;
        replace(list, ...users.map(item));
        status.textContent = tn('users.count', users.length);
      })
      .catch((error: unknown) => current === loads && (status.textContent = errorText(error)));
  };

  const form = createUserForm(ctx, (user) => {
    ctx.notify(t('users.created', { email: user.email, role: ROLE_LABEL[fromGqlRole(user.role)].toLowerCase() }));
    load();
  });
  el.append(
    h('p', { class: 'muted' }, t('users.rolesIntro')),
    h('h2', null, t('users.new')),
    form.el,
    h('h2', null, t('users.everyone')),
    status,
    list,
  );
  load();
  return { el, refresh: load };
}
