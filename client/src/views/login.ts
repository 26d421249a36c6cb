// The screens before the dashboard: log in, or create the first administrator on a new installation.
import { logIn, setUp } from '../api/auth.ts';
import { RestError } from '../api/rest.ts';
import { passwordProblem, type Session } from '../state/session.ts';
import { h } from '../ui/dom.ts';
import { textField } from './form-fields.ts';
import { smallForm } from './small-form.ts';
import { t } from '../i18n/index.ts';

const EMAIL = /^[^\s@]+@[^\s@]+$/;

function emailProblem(email: string): string | undefined {
  if (!email.trim()) return t('form.required');
  return EMAIL.test(email.trim()) ? undefined : t('login.emailProblem');
}

function screen(title: string, ...children: Array<HTMLElement | null>): HTMLElement {
  return h(
    'section',
    { class: 'auth-view' },
    h('div', { class: 'auth-card' }, h('h1', null, title), ...children),
    h('p', { class: 'muted auth-footer' }, h('a', { attrs: { href: '/status' } }, t('login.publicStatusPage'))),
  );
}

export function loginScreen(options: { message: string | null; onLoggedIn(session: Session): void }): HTMLElement {
  const email = textField({ name: 'email', label: t('login.email'), type: 'email', autocomplete: 'username' });
  const password = textField({
    name: 'password',
    label: t('login.password'),
    type: 'password',
    autocomplete: 'current-password',
  });
  const form = smallForm<'email' | 'password'>({
    fields: [email, password],
    submitLabel: t('login.submit'),
    validate: (values) => ({
      email: emailProblem(values.email),
      password: values.password ? undefined : t('form.required'),
    }),
    submit: async (values) => {
      try {
        options.onLoggedIn(await logIn(values.email.trim(), values.password));
      } catch (error) {
        // Wrong email or password: say it once, for both fields (which one is wrong is not told).
        if (error instanceof RestError && error.status === 401) throw new RestError(error.message, 401);
        throw error;
      }
    },
  });
  const message = options.message
    ? h('p', { class: 'auth-message', attrs: { role: 'status' } }, options.message)
    : null;
  queueMicrotask(() => email.control.focus());
  return screen(t('login.title'), message, form.el);
}

export function setupScreen(options: { onLoggedIn(session: Session): void; onSetupClosed(): void }): HTMLElement {
  const name = textField({ name: 'name', label: t('login.yourName'), autocomplete: 'name' });
  const email = textField({ name: 'email', label: t('login.email'), type: 'email', autocomplete: 'username' });
  const password = textField({
    name: 'password',
    label: t('login.password'),
    type: 'password',
    autocomplete: 'new-password',
    hint: t('password.minLength'),
  });
  const confirm = textField({
    name: 'confirm',
    label: t('login.passwordAgain'),
    type: 'password',
    autocomplete: 'new-password',
  });
  const form = smallForm<'name' | 'email' | 'password' | 'confirm'>({
    fields: [name, email, password, confirm],
    submitLabel: t('setup.submit'),
    validate: (values) => ({
      email: emailProblem(values.email),
      password: passwordProblem(values.password) ?? undefined,
      confirm: values.confirm === values.password ? undefined : t('password.differ'),
    }),
    submit: async (values) => {
      try {
        options.onLoggedIn(
          await setUp({ email: values.email.trim(), password: values.password, name: values.name.trim() }),
        );
      } catch (error) {
        // Someone else finished the setup meanwhile: log in instead.
        if (error instanceof RestError && error.status === 403) return options.onSetupClosed();
        throw error;
      }
    },
  });
  queueMicrotask(() => name.control.focus());
  return screen(t('setup.title'), h('p', null, t('setup.intro')), form.el);
}
