// Change one's own password (REST PUT /api/auth/mot-de-passe); the other sessions of the user end and all of
// their API keys are revoked, so the form asks for that to be confirmed first.
import { ApiKeysQuery } from '../api/account-documents.ts';
import type { AppContext } from '../context.ts';
import { passwordProblem } from '../state/session.ts';
import { h } from '../ui/dom.ts';
import type { View } from '../ui/router.ts';
import { checkboxField, textField } from './form-fields.ts';
import { smallForm } from './small-form.ts';

export function passwordView(ctx: AppContext): View {
  const el = h('section', { class: 'account-view' }, h('h1', null, 'Change password'));
  if (ctx.session.authDisabled) {
    el.append(h('p', null, 'Authentication is disabled (local mode): there is no password to change.'));
    return { el };
  }
  const done = h('p', { class: 'success-text', attrs: { role: 'status' } });
  const revokeKeys = checkboxField<'revokeKeys'>({
    name: 'revokeKeys',
    label: 'Revoke my API keys',
    hint: 'Changing your password revokes every API key you have: integrations using them stop working until you give them new keys.',
  });
  const hint = revokeKeys.wrapper.querySelector('.hint');
  ctx.api.query(ApiKeysQuery, {}).then(
    (data) => {
      const active = data.apiKeys.filter((key) => key.revokedAt === null).length;
      const keys = active === 1 ? 'active API key' : `${active} active API keys`;
      if (hint && active > 0)
        hint.textContent = `Changing your password revokes your ${keys}: integrations using them stop working until you give them new keys.`;
      if (hint && active === 0) hint.textContent = 'You have no active API key: none will be revoked.';
    },
    () => undefined,
  );
  const form = smallForm<'currentPassword' | 'newPassword' | 'confirm' | 'revokeKeys'>({
    className: 'card narrow',
    fields: [
      textField({
        name: 'currentPassword',
        label: 'Current password',
        type: 'password',
        autocomplete: 'current-password',
      }),
      textField({
        name: 'newPassword',
        label: 'New password',
        type: 'password',
        autocomplete: 'new-password',
        hint: 'At least 10 characters.',
      }),
      textField({ name: 'confirm', label: 'New password again', type: 'password', autocomplete: 'new-password' }),
      revokeKeys,
    ],
    submitLabel: 'Change password',
    validate: (values) => ({
      currentPassword: values.currentPassword ? undefined : 'Required.',
      newPassword: passwordProblem(values.newPassword) ?? undefined,
      confirm: values.confirm === values.newPassword ? undefined : 'The two passwords differ.',
      revokeKeys: values.revokeKeys === 'true' ? undefined : 'Tick this to confirm that your API keys will be revoked.',
    }),
    submit: async (values) => {
      done.textContent = '';
      await ctx.api.rest('PUT', '/api/auth/mot-de-passe', {
        mot_de_passe_actuel: values.currentPassword,
        nouveau_mot_de_passe: values.newPassword,
      });
      form.reset();
      done.textContent =
        'Password changed. Your other sessions have ended and your API keys are revoked; this session goes on.';
    },
  });
  el.append(h('p', { class: 'muted' }, `Logged in as ${ctx.session.user?.email ?? ''}.`), form.el, done);
  return { el };
}
