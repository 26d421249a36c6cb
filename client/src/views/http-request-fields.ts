// The monitor form's request headers and body (HTTP monitors). Credential headers come back from the API as
// "********": left as they are, the stored value is kept; typed over, it is replaced.
import type { HttpHeader, HttpSettings } from '../api/types.ts';
import { labels } from '../i18n/index.ts';
import { h, uniqueId } from '../ui/dom.ts';

const TEXT = labels({
  headers: 'httpRequest.headers',
  headersHint: 'httpRequest.headersHint',
  name: 'httpRequest.name',
  value: 'httpRequest.value',
  add: 'httpRequest.add',
  remove: 'httpRequest.remove',
  kept: 'httpRequest.kept',
  body: 'httpRequest.body',
  bodyHint: 'httpRequest.bodyHint',
  badName: 'httpRequest.badName',
  noName: 'httpRequest.noName',
  lineBreak: 'httpRequest.lineBreak',
  tooLong: 'httpRequest.tooLong',
});

/** What the API shows in place of a stored credential header's value. */
const SECRET_PLACEHOLDER = '********';
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const MAX_BODY = 65_536;

export interface HttpRequestFields {
  el: HTMLElement;
  fill(settings: Pick<HttpSettings, 'headers' | 'body'>): void;
  /** The first control with a problem (its message shown), or null when all is well. */
  check(): HTMLElement | null;
  value(): { headers: HttpHeader[]; body: string | null };
}

interface HeaderRow {
  el: HTMLElement;
  name: HTMLInputElement;
  value: HTMLInputElement;
  error: HTMLElement;
}

export function httpRequestFields(): HttpRequestFields {
  const rows: HeaderRow[] = [];
  const list = h('div', { class: 'header-rows' });
  const hintId = uniqueId('headers-hint');
  const addButton = h('button', { class: 'button', attrs: { type: 'button', 'data-action': 'add-header' } }, TEXT.add);
  const bodyId = uniqueId('field');
  const body = h('textarea', {
    attrs: {
      id: bodyId,
      rows: 4,
      spellcheck: 'false',
      'aria-describedby': `${bodyId}-hint ${bodyId}-error`,
    },
  });
  const bodyError = h('p', { class: 'field-error', attrs: { id: `${bodyId}-error` } });

  const addRow = (header: HttpHeader = { name: '', value: '' }): HeaderRow => {
    const secret = header.value === SECRET_PLACEHOLDER;
    const name = h('input', {
      attrs: {
        type: 'text',
        'aria-label': TEXT.name,
        placeholder: TEXT.name,
        autocomplete: 'off',
        spellcheck: 'false',
      },
    });
    const value = h('input', {
      attrs: {
        type: secret ? 'password' : 'text',
        'aria-label': TEXT.value,
        placeholder: TEXT.value,
        autocomplete: 'off',
        spellcheck: 'false',
      },
    });
    name.value = header.name;
    value.value = header.value;
    const error = h('p', { class: 'field-error' });
    const row: HeaderRow = {
      name,
      value,
      error,
      el: h(
        'div',
        { class: 'header-row', attrs: { 'data-secret': String(secret) } },
        name,
        value,
        h(
          'button',
          {
            class: 'button',
            attrs: { type: 'button', 'data-action': 'remove-header' },
            on: {
              click: () => {
                rows.splice(rows.indexOf(row), 1);
                row.el.remove();
                addButton.focus();
              },
            },
          },
          TEXT.remove,
        ),
        secret && h('p', { class: 'hint' }, TEXT.kept),
        error,
      ),
    };
    rows.push(row);
    list.append(row.el);
    return row;
  };
  addButton.addEventListener('click', () => addRow().name.focus());

  const rowProblem = (row: HeaderRow): string | null => {
    const name = row.name.value.trim();
    if (!name && !row.value.value) return null;
    if (!name) return TEXT.noName;
    if (!HEADER_NAME.test(name)) return TEXT.badName;
    if (/[\r\n]/.test(row.value.value)) return TEXT.lineBreak;
    return null;
  };

  const el = h(
    'div',
    { class: 'http-request' },
    h(
      'fieldset',
      { class: 'headers', attrs: { 'aria-describedby': hintId } },
      h('legend', null, TEXT.headers),
      h('p', { class: 'hint', attrs: { id: hintId } }, TEXT.headersHint),
      list,
      addButton,
    ),
    h(
      'div',
      { class: 'field', attrs: { 'data-field': 'http.body' } },
      h('label', { attrs: { for: bodyId } }, TEXT.body),
      body,
      h('p', { class: 'hint', attrs: { id: `${bodyId}-hint` } }, TEXT.bodyHint),
      bodyError,
    ),
  );

  return {
    el,
    fill(settings) {
      rows.splice(0).forEach((row) => row.el.remove());
      settings.headers.forEach((header) => addRow(header));
      body.value = settings.body ?? '';
    },
    check() {
      let first: HTMLElement | null = null;
      for (const row of rows) {
        const problem = rowProblem(row);
        row.error.textContent = problem ?? '';
        row.name.setAttribute('aria-invalid', String(Boolean(problem)));
        if (problem && !first) first = row.name;
      }
      const tooLong = body.value.length > MAX_BODY;
      bodyError.textContent = tooLong ? TEXT.tooLong : '';
      body.setAttribute('aria-invalid', String(tooLong));
      return first ?? (tooLong ? body : null);
    },
    value() {
      return {
        headers: rows
          .filter((row) => row.name.value.trim())
          .map((row) => ({ name: row.name.value.trim(), value: row.value.value })),
        body: body.value === '' ? null : body.value,
      };
    },
  };
}
