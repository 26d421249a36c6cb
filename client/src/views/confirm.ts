// An inline confirmation (delete a user, change a role, revoke a key): the question, the action, Cancel, and the
// server's refusal in words when it says no.
import { errorText } from '../api/errors.ts';
import { h, type Child } from '../ui/dom.ts';
import { t } from '../i18n/index.ts';

export interface ConfirmOptions {
  question: Child[];
  confirmLabel: string;
  danger?: boolean;
  action(): Promise<void>;
  onCancel(): void;
}

export function confirmPanel(options: ConfirmOptions): HTMLElement {
  const failure = h('p', { class: 'error-text', attrs: { role: 'alert' } });
  const confirm = h(
    'button',
    { class: options.danger ? 'button danger' : 'button primary', attrs: { type: 'button' } },
    options.confirmLabel,
  );
  const cancel = h('button', { class: 'button', attrs: { type: 'button' } }, t('common.cancel'));
  confirm.addEventListener('click', () => {
    confirm.disabled = true;
    failure.textContent = '';
    options
      .action()
      .catch((error: unknown) => (failure.textContent = errorText(error)))
      .finally(() => (confirm.disabled = false));
  });
  cancel.addEventListener('click', options.onCancel);
  const el = h(
    'div',
    { class: 'confirm', attrs: { role: 'group' } },
    h('p', null, ...options.question),
    h('div', { class: 'actions' }, confirm, cancel),
    failure,
  );
  queueMicrotask(() => confirm.focus());
  return el;
}
