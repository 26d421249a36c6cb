// Change one's own password (REST PUT /api/auth/mot-de-passe); the other sessions of the user end and all of
// their API keys are revoked, so the form asks for that to be confirmed first.
import { ApiKeysQuery } from '../api/account-documents.ts';
import type { AppContext } from '../context.ts';
import { passwordProblem } from '../state/session.ts';
import { h } from '../ui/dom.ts';
import type { View } from '../ui/router.ts';
import { checkboxField, textField } from './form-fields.ts';
import { smallForm } from './small-form.ts';
import { t, tn } from '../i18n/index.ts';

export function passwordView(ctx: AppContext): View {
  const el = h('section', { class: 'account-view' }, h('h1', null, t('password.title')));
  if (ctx.session.authDisabled) {
    el.append(h('p', null, t('password.authDisabled')));
    return { el };
  }
  const done = h('p', { class: 'success-text', attrs: { role: 'status' } });
  const revokeKeys = checkboxField<'revokeKeys'>({
    name: 'revokeKeys',
    label: t('password.revokeKeys'),
    hint: t('password.revokeHint'),
  });
  const hint = revokeKeys.wrapper.querySelector('.hint');
  ctx.api.query(ApiKeysQuery, {}).then(
    (data) => {
      const active = data.apiKeys.filter((key) => key.revokedAt === null).length;
      if (hint && active > 0) hint.textContent = tn('password.revokeCount', active);
      if (hint && active === 0) hint.textContent = t('password.noKeys');
    },
    () => undefined,
  );
  const form = smallForm<'currentPassword' | 'newPassword' | 'confirm' | 'revokeKeys'>({
    className: 'card narrow',
    fields: [
      textField({
        name: 'currentPassword',
        label: t('password.current'),
        type: 'password',
        autocomplete: 'current-password',
      }),
      textField({
        name: 'newPassword',
        label: t('password.new'),
        type: 'password',
        autocomplete: 'new-password',
        hint: t('password.minLength'),
      }),
      textField({ name: 'confirm', label: t('password.newAgain'), type: 'password', autocomplete: 'new-password' }),
      revokeKeys,
    ],
    submitLabel: t('password.title'),
    validate: (values) => ({
      currentPassword: values.currentPassword ? undefined : t('form.required'),
      newPassword: passwordProblem(values.newPassword) ?? undefined,
      confirm: values.confirm === values.newPassword ? undefined : t('password.differ'),
      revokeKeys: values.revokeKeys === 'true' ? undefined : t('password.tickToConfirm'),
    }),
    submit: async (values) => {
      done.textContent = '';
      await ctx.api.rest('PUT', '/api/auth/mot-de-passe', {
        mot_de_passe_actuel: values.currentPassword,
        nouveau_mot_de_passe: values.newPassword,
      });
      form.reset();
      done.textContent = t('password.changed');
    },
  });
  el.append(
    h('p', { class: 'muted' }, t('password.loggedInAs', { email: ctx.session.user?.email ?? '' })),
    form.el,
    done,
  );
  return { el };
}
