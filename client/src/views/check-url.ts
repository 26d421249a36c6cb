// The original verifier: check any http(s) URL once, at once, and show the outcome.
import type { Api } from '../api/client.ts';
import { CheckUrl } from '../api/documents.ts';
import { errorText } from '../api/errors.ts';
import { describeResult, formatLatency, STATUS_LABEL } from '../format.ts';
import { urlProblem } from '../state/validate.ts';
import { h, replace, uniqueId } from '../ui/dom.ts';
import { t } from '../i18n/index.ts';

export function checkUrlBox(api: Api): HTMLElement {
  const inputId = uniqueId('check-url');
  const errorId = `${inputId}-error`;
  const input = h('input', {
    attrs: {
      id: inputId,
      type: 'url',
      name: 'url',
      placeholder: 'https://example.com',
      autocomplete: 'url',
      'aria-describedby': errorId,
    },
  });
  const button = h('button', { class: 'button', attrs: { type: 'submit' } }, t('checkUrl.check'));
  const error = h('p', { class: 'field-error', attrs: { id: errorId, 'aria-live': 'polite' } });
  const output = h('div', { class: 'check-output', attrs: { 'aria-live': 'polite' } });
  let touched = false;
  const validate = (): boolean => {
    const problem = input.value.trim() || touched ? urlProblem(input.value) : null;
    error.textContent = problem ?? '';
    input.setAttribute('aria-invalid', String(Boolean(problem)));
    return !problem;
  };
  input.addEventListener('input', validate);
  input.addEventListener('blur', () => {
    if (input.value.trim()) touched = true;
    validate();
  });
  const form = h(
    'form',
    {
      class: 'check-url',
      attrs: { novalidate: true, 'aria-label': t('checkUrl.region') },
      on: {
        submit: (event) => {
          event.preventDefault();
          touched = true;
          if (!validate()) return input.focus();
          button.disabled = true;
          replace(output, h('span', { class: 'muted' }, t('checkUrl.checking')));
          api
            .mutate(CheckUrl, { url: input.value.trim() })
            .then(({ checkUrl: result }) => {
              replace(
                output,
                h(
                  'span',
                  { class: 'pill', attrs: { 'data-status': result.isUp ? 'UP' : 'DOWN' } },
                  result.isUp ? STATUS_LABEL.UP : STATUS_LABEL.DOWN,
                ),
                ' ',
                h('span', { class: 'check-target' }, result.target),
                h('span', { class: 'muted' }, ` · ${formatLatency(result.latencyMs)} · ${describeResult(result)}`),
              );
            })
            .catch((failure: unknown) => replace(output, h('span', { class: 'error-text' }, errorText(failure))))
            .finally(() => (button.disabled = false));
        },
      },
    },
    h('label', { attrs: { for: inputId } }, t('checkUrl.label')),
    h('div', { class: 'inline' }, input, button),
    error,
    output,
  );
  return form;
}
