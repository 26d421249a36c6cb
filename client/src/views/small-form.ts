// A short form (log in, set up, password, new user, new key): checks on submit, then as you correct, and shows
// the server's refusal next to the field it names (REST "mot_de_passe: ..." or GraphQL extensions.field).
import { sortErrors, type SortedErrors } from '../api/errors.ts';
import { RestError } from '../api/rest.ts';
import { h } from '../ui/dom.ts';
import { readValue, type Field } from './form-fields.ts';
import { t } from '../i18n/index.ts';

export type Values<N extends string> = Record<N, string>;

export interface SmallForm<N extends string> {
  el: HTMLFormElement;
  field(name: N): Field<N>;
  /** Empties the fields and the messages. */
  reset(): void;
}

export interface SmallFormOptions<N extends string> {
  fields: Array<Field<N>>;
  submitLabel: string;
  className?: string;
  /** Client-side problems by field (the server checks again). */
  validate(values: Values<N>): Partial<Record<N, string>>;
  /** Rejects with a RestError or an urql CombinedError to show. */
  submit(values: Values<N>): Promise<void>;
  /** Extra controls after the submit button (e.g. Cancel). */
  extra?: HTMLElement[];
}

/** REST and GraphQL errors sorted the same way: by field, and the rest. */
export function errorsOf(error: unknown): SortedErrors {
  if (error instanceof RestError) {
    if (error.field) return { fields: { [error.field]: error.message }, general: [] };
    const wait = error.retryAfterSeconds ? ` ${t('form.retryIn', { seconds: error.retryAfterSeconds })}` : '';
    return { fields: {}, general: [`${error.message}${/[.!?]$/.test(error.message) ? '' : '.'}${wait}`] };
  }
  return sortErrors(error);
}

export function smallForm<N extends string>(options: SmallFormOptions<N>): SmallForm<N> {
  const byName = new Map<string, Field<N>>(options.fields.map((field) => [field.name, field]));
  const general = h('div', { class: 'form-errors', attrs: { role: 'alert' } });
  const submit = h('button', { class: 'button primary', attrs: { type: 'submit' } }, options.submitLabel);
  let serverErrors: Partial<Record<string, string>> = {};
  let submitted = false;

  const values = (): Values<N> =>
    Object.fromEntries(options.fields.map((f) => [f.name, String(readValue(f))])) as Values<N>;
  const show = (): Partial<Record<N, string>> => {
    const problems = options.validate(values());
    for (const f of options.fields) f.showError((submitted ? problems[f.name] : undefined) ?? serverErrors[f.name]);
    return problems;
  };

  const el = h(
    'form',
    { class: `small-form ${options.className ?? ''}`.trim(), attrs: { novalidate: true } },
    general,
    ...options.fields.map((f) => f.wrapper),
    h('div', { class: 'actions' }, submit, ...(options.extra ?? [])),
  );
  el.addEventListener('input', (event) => {
    delete serverErrors[(event.target as HTMLInputElement).name];
    show();
  });
  el.addEventListener('submit', (event) => {
    event.preventDefault();
    submitted = true;
    serverErrors = {};
    const problems = show();
    const invalid = options.fields.find((f) => problems[f.name]);
    if (invalid) {
      general.textContent = '';
      return invalid.control.focus();
    }
    general.textContent = '';
    submit.disabled = true;
    options
      .submit(values())
      .catch((error: unknown) => {
        const sorted = errorsOf(error);
        serverErrors = {};
        const unplaced: string[] = [];
        for (const [name, message] of Object.entries(sorted.fields)) {
          if (byName.has(name)) serverErrors[name] = message;
          else unplaced.push(`${name}: ${message}`);
        }
        general.textContent = [...sorted.general, ...unplaced].join(' ');
        show();
        const first = options.fields.find((f) => serverErrors[f.name]);
        (first?.control ?? submit).focus();
      })
      .finally(() => (submit.disabled = false));
  });

  return {
    el,
    field: (name) => byName.get(name)!,
    reset() {
      el.reset();
      submitted = false;
      serverErrors = {};
      general.textContent = '';
      show();
    },
  };
}
