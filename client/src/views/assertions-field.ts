// The assertions of an HTTP monitor in its form: one condition per line. The server checks them (the language is
// its own); its error is shown under the text, on the line of the condition it names, with the position.
import { t } from '../i18n/index.ts';
import { h, uniqueId } from '../ui/dom.ts';

export interface AssertionsField {
  wrapper: HTMLElement;
  control: HTMLTextAreaElement;
  /** The conditions, one per line that is not blank. */
  read(): string[];
  write(conditions: readonly string[]): void;
  /** Shows the server's error about the assertions (field `assertions` or `assertions.<n>`), if any; true if shown. */
  showServerErrors(fields: Record<string, string>): boolean;
  /** Whether a server error field is one this field shows. */
  owns(fieldName: string): boolean;
}

const FIELD = /^assertions(?:\.(\d+))?$/;

export function assertionsField(): AssertionsField {
  const id = uniqueId('field');
  const control = h('textarea', {
    attrs: {
      id,
      rows: 4,
      spellcheck: 'false',
      placeholder: 'status == 200\nbody.$.status == "UP"\nresponse_time < 300ms',
      'aria-describedby': `${id}-hint ${id}-error`,
    },
  });
  const error = h('p', { class: 'field-error', attrs: { id: `${id}-error`, 'data-error-for': 'assertions' } });
  const wrapper = h(
    'div',
    { class: 'field assertions', attrs: { 'data-field': 'assertions' } },
    h('label', { attrs: { for: id } }, t('assertions.label')),
    control,
    h('p', { class: 'hint', attrs: { id: `${id}-hint` } }, t('assertions.hint')),
    error,
  );
  const lines = () => control.value.split('\n');
  const showError = (message: string) => {
    error.textContent = message;
    control.setAttribute('aria-invalid', String(message !== ''));
    wrapper.classList.toggle('invalid', message !== '');
  };
  control.addEventListener('input', () => showError(''));
  return {
    wrapper,
    control,
    read: () =>
      lines()
        .map((line) => line.trim())
        .filter(Boolean),
    write(conditions) {
      control.value = conditions.join('\n');
      showError('');
    },
    showServerErrors(fields) {
      const entry = Object.entries(fields).find(([name]) => FIELD.test(name));
      if (!entry) return false;
      const index = FIELD.exec(entry[0])![1];
      // The n-th condition is the n-th line that is not blank.
      const line =
        index === undefined
          ? undefined
          : lines()
              .map((text, at) => ({ text, at }))
              .filter(({ text }) => text.trim())[Number(index)]?.at;
      showError(line === undefined ? entry[1] : `Line ${line + 1}: ${entry[1]}`);
      return true;
    },
    owns: (fieldName) => FIELD.test(fieldName),
  };
}
