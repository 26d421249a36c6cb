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

const EMAIL = /^[^\s@]+@[^\s@]+$/;
const ROLE_DESCRIPTION: Record<Role, string> = {
  viewer: 'reads everything',
  editor: 'also manages monitors, checks now and acknowledges alerts',
  admin: 'also manages users and notification channels',
};
const ROLE_CHOICES = ROLES.map((role): [string, string] => [role, ROLE_LABEL[role]]);

function createUserForm(ctx: AppContext, created: (user: UserRow) => void) {
  const form = smallForm<'email' | 'name' | 'password' | 'role'>({
    className: 'card user-form',
    fields: [
      textField({ name: 'email', label: 'Email', type: 'email' }),
      textField({ name: 'name', label: 'Name' }),
      textField({
        name: 'password',
        label: 'Password',
        type: 'password',
        autocomplete: 'new-password',
        hint: 'At least 10 characters; they can change it later.',
      }),
      selectField({ name: 'role', label: 'Role', choices: ROLE_CHOICES }),
    ],
    submitLabel: 'Create user',
    validate: (values) => ({
      email: EMAIL.test(values.email.trim()) ? undefined : 'An email address such as ops@example.com.',
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
  const el = h('section', { class: 'account-view' }, h('h1', null, 'Users'));
  if (!isAdmin(ctx.session)) {
    el.append(
      h('p', null, `Only an administrator manages users; you are ${ROLE_LABEL[ctx.session.role].toLowerCase()}.`),
    );
    return { el };
  }
  const myId = ctx.session.user?.id ?? null;
  const status = h('p', { class: 'muted', attrs: { role: 'status' } }, 'Loading…');
  const list = h('ul', { class: 'user-list' });

  const item = (user: UserRow): HTMLLIElement => {
    const role = fromGqlRole(user.role);
    const self = user.id === myId;
    const panel = h('div', { class: 'user-panel' });
    const roleId = uniqueId('role');
    const roleSelect = h(
      'select',
      { attrs: { id: roleId, disabled: self } },
      ...ROLE_CHOICES.map(([value, text]) => h('option', { attrs: { value } }, text)),
    );
    roleSelect.value = role;
    const resetButton = h('button', { class: 'button small', attrs: { type: 'button' } }, 'Reset password');
    const deleteButton = h(
      'button',
      { class: 'button small danger', attrs: { type: 'button', disabled: self } },
      'Delete',
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
            `Make ${who} ${ROLE_LABEL[next].toLowerCase()}: ${ROLE_DESCRIPTION[next]}? Their open live connections end.`,
          ],
          confirmLabel: 'Change role',
          action: async () => {
            await ctx.api.mutate(UpdateUser, { id: user.id, input: { role: toGqlRole(next) } });
            ctx.notify(`${user.email} is now ${ROLE_LABEL[next].toLowerCase()}.`);
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
            label: `New password for ${user.email}`,
            type: 'password',
            autocomplete: 'new-password',
            hint: 'At least 10 characters. Their sessions end and their API keys are revoked: they log in again with it.',
          }),
        ],
        submitLabel: 'Set password',
        validate: (values) => ({ password: passwordProblem(values.password) ?? undefined }),
        submit: async (values) => {
          await ctx.api.mutate(UpdateUser, { id: user.id, input: { password: values.password } });
          ctx.notify(`New password set for ${user.email}; their sessions ended and their API keys were revoked.`);
          closePanel(resetButton);
        },
        extra: [
          h(
            'button',
            { class: 'button', attrs: { type: 'button' }, on: { click: () => closePanel(resetButton) } },
            'Cancel',
          ),
        ],
      });
      openPanel(form.el);
      form.field('password').control.focus();
    });

    deleteButton.addEventListener('click', () => {
      openPanel(
        confirmPanel({
          question: [`Delete ${who}? Their sessions and API keys go with them; this cannot be undone.`],
          confirmLabel: 'Delete for good',
          danger: true,
          action: async () => {
            await ctx.api.mutate(DeleteUser, { id: user.id });
            ctx.notify(`Deleted ${user.email}.`);
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
          self ? h('span', { class: 'muted' }, ' (you)') : null,
        ),
        h(
          'span',
          { class: 'muted user-meta' },
          user.name || '',
          user.name ? ' · ' : '',
          h(
            'time',
            { attrs: { datetime: user.createdAt, title: formatDateTime(user.createdAt) } },
            `added ${formatAgo(user.createdAt)}`,
          ),
        ),
      ),
      h('label', { class: 'control', attrs: { for: roleId } }, h('span', null, 'Role'), roleSelect),
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
        status.textContent = `${users.length} user${users.length === 1 ? '' : 's'}`;
      })
      .catch((error: unknown) => current === loads && (status.textContent = errorText(error)));
  };

  const form = createUserForm(ctx, (user) => {
    ctx.notify(`Created ${user.email} (${ROLE_LABEL[fromGqlRole(user.role)].toLowerCase()}).`);
    load();
  });
  el.append(
    h(
      'p',
      { class: 'muted' },
      'Viewers read everything; editors also manage monitors, check now and acknowledge alerts; admins also manage users and channels.',
    ),
    h('h2', null, 'New user'),
    form.el,
    h('h2', null, 'Everyone'),
    status,
    list,
  );
  load();
  return { el, refresh: load };
}
