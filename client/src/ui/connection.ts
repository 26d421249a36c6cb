// The connection indicator in the header: says when the live link drops and when it is back.
import { CONNECTION_TEXT, type ConnectionState } from '../state/connection.ts';
import { h } from './dom.ts';

export function connectionIndicator(): { el: HTMLElement; set(state: ConnectionState, note?: string): void } {
  const text = h('span', { class: 'connection-text' }, CONNECTION_TEXT.connecting);
  const el = h(
    'span',
    { class: 'connection', attrs: { role: 'status', 'data-state': 'connecting' } },
    h('span', { class: 'dot', attrs: { 'aria-hidden': 'true' } }),
    text,
  );
  return {
    el,
    set(state, note) {
      el.dataset['state'] = state;
      text.textContent = note ?? CONNECTION_TEXT[state];
    },
  };
}
