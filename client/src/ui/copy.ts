// A read-only text with a Copy button (an API key's secret, a heartbeat's ping URL), copied through the clipboard
// API, or selected for Ctrl+C where that API is missing (plain http on another host).
import { h } from './dom.ts';
import { t } from '../i18n/index.ts';

export interface CopyBox {
  el: HTMLElement;
  input: HTMLInputElement;
  button: HTMLButtonElement;
  /** Says whether the last copy worked (aria-live). */
  said: HTMLElement;
}

export function copyBox(value: string, label: string, buttonClass = 'button'): CopyBox {
  const input = h('input', {
    class: 'secret',
    attrs: { type: 'text', readonly: true, 'aria-label': label, spellcheck: 'false' },
  });
  input.value = value;
  const said = h('span', { class: 'muted', attrs: { 'aria-live': 'polite' } });
  const copy = async (): Promise<void> => {
    try {
      await navigator.clipboard.writeText(input.value);
    } catch {
      input.select();
      if (!document.execCommand('copy')) throw new Error('copy refused');
    }
  };
  const button = h('button', { class: buttonClass, attrs: { type: 'button' } }, t('copy.copy'));
  button.addEventListener('click', () => {
    copy().then(
      () => (said.textContent = t('copy.copied')),
      () => {
        input.select();
        said.textContent = t('copy.failed');
      },
    );
  });
  input.addEventListener('focus', () => input.select());
  return { el: h('div', { class: 'inline' }, input, button), input, button, said };
}
