// Labelled form controls with an error slot each, wired for assistive technology (aria-describedby/invalid).
import type { FieldName } from '../state/validate.ts';
import { h, uniqueId } from '../ui/dom.ts';

export interface Field<N extends string = FieldName> {
  name: N;
  wrapper: HTMLElement;
  control: HTMLInputElement | HTMLSelectElement;
  showError(message: string | undefined): void;
}

interface FieldOptions<N extends string> {
  name: N;
  label: string;
  hint?: string;
  control: HTMLInputElement | HTMLSelectElement;
}

function build<N extends string>({ name, label, hint, control }: FieldOptions<N>, checkbox: boolean): Field<N> {
  const id = uniqueId('field');
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  control.id = id;
  control.name = name;
  control.setAttribute('aria-describedby', hint ? `${hintId} ${errorId}` : errorId);
  const error = h('p', { class: 'field-error', attrs: { id: errorId, 'data-error-for': name } });
  const hintEl = hint ? h('p', { class: 'hint', attrs: { id: hintId } }, hint) : null;
  const labelEl = h('label', { attrs: { for: id } }, label);
  const wrapper = checkbox
    ? h('div', { class: 'field checkbox', attrs: { 'data-field': name } }, control, labelEl, hintEl, error)
    : h('div', { class: 'field', attrs: { 'data-field': name } }, labelEl, control, hintEl, error);
  return {
    name,
    wrapper,
    control,
    showError(message) {
      error.textContent = message ?? '';
      control.setAttribute('aria-invalid', String(Boolean(message)));
      wrapper.classList.toggle('invalid', Boolean(message));
    },
  };
}

export function textField<N extends string = FieldName>(
  options: Omit<FieldOptions<N>, 'control'> & {
    type?: string;
    placeholder?: string;
    inputmode?: string;
    autocomplete?: string;
  },
): Field<N> {
  const control = h('input', {
    attrs: {
      type: options.type ?? 'text',
      placeholder: options.placeholder,
      inputmode: options.inputmode,
      autocomplete: options.autocomplete ?? 'off',
      spellcheck: 'false',
    },
  });
  return build({ ...options, control }, false);
}

export function selectField<N extends string = FieldName>(
  options: Omit<FieldOptions<N>, 'control'> & { choices: Array<[string, string]> },
): Field<N> {
  const control = h('select', null, ...options.choices.map(([value, text]) => h('option', { attrs: { value } }, text)));
  return build({ ...options, control }, false);
}

export function checkboxField<N extends string = FieldName>(options: Omit<FieldOptions<N>, 'control'>): Field<N> {
  return build({ ...options, control: h('input', { attrs: { type: 'checkbox' } }) }, true);
}

export function readValue(field: Field<string>): string | boolean {
  const control = field.control;
  return control instanceof HTMLInputElement && control.type === 'checkbox' ? control.checked : control.value;
}

export function writeValue(field: Field<string>, value: string | boolean): void {
  const control = field.control;
  if (control instanceof HTMLInputElement && control.type === 'checkbox') control.checked = Boolean(value);
  else control.value = String(value);
}
