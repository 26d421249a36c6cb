// The monitor page's range: window buttons (1 h to 365 d, ending now) and a custom from/to checked as typed.
import { customRange, localInputValue, WINDOWS, windowLabel, windowRange, type ShownRange } from '../state/range.ts';
import { labels } from '../i18n/index.ts';
import { h } from '../ui/dom.ts';
import { textField } from './form-fields.ts';

const TEXT = labels({
  group: 'range.group',
  custom: 'range.custom',
  from: 'range.from',
  to: 'range.to',
  apply: 'range.apply',
});

export interface RangePicker {
  el: HTMLElement;
  /** The custom range's form (shown while "Custom" is pressed). */
  customForm: HTMLFormElement;
}

export function rangePicker(initial: ShownRange, onPick: (range: ShownRange) => void): RangePicker {
  const from = textField<'from'>({ name: 'from', label: TEXT.from, type: 'datetime-local' });
  const to = textField<'to'>({ name: 'to', label: TEXT.to, type: 'datetime-local' });
  const customForm = h(
    'form',
    { class: 'custom-range', attrs: { novalidate: true, hidden: initial.key !== 'custom' } },
    from.wrapper,
    to.wrapper,
    h('button', { class: 'button', attrs: { type: 'submit' } }, TEXT.apply),
  );
  const press = (key: string): void =>
    tabs
      .querySelectorAll('button')
      .forEach((button) => button.setAttribute('aria-pressed', String(button.dataset['range'] === key)));
  const segment = (key: string, label: string, click: () => void) =>
    h(
      'button',
      {
        class: 'segment',
        attrs: { type: 'button', 'aria-pressed': String(key === initial.key), 'data-range': key },
        on: { click },
      },
      label,
    );
  const tabs = h(
    'div',
    { class: 'segmented', attrs: { role: 'group', 'aria-label': TEXT.group } },
    ...WINDOWS.map((window) =>
      segment(window.key, windowLabel(window), () => {
        press(window.key);
        customForm.hidden = true;
        onPick(windowRange(window.key));
      }),
    ),
    segment('custom', TEXT.custom, () => {
      press('custom');
      customForm.hidden = false;
      // Start from the last 24 hours, to be narrowed.
      const now = Date.now();
      if (!from.control.value) from.control.value = localInputValue(now - 86_400_000);
      if (!to.control.value) to.control.value = localInputValue(now);
      from.control.focus();
    }),
  );

  const check = () => customRange(from.control.value, to.control.value);
  const showCheck = (): ReturnType<typeof check> => {
    const checked = check();
    from.showError('field' in checked && checked.field === 'from' ? checked.message : undefined);
    to.showError('field' in checked && checked.field === 'to' ? checked.message : undefined);
    return checked;
  };
  customForm.addEventListener('input', () => showCheck());
  customForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const checked = showCheck();
    if ('range' in checked) onPick(checked.range);
    else (checked.field === 'from' ? from : to).control.focus();
  });
  return { el: tabs, customForm };
}
