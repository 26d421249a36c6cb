// Status pills and the bar of recent checks: colour always comes with text.
import type { MonitorStatus } from '../api/types.ts';
import { STATUS_LABEL } from '../format.ts';
import { t, tn } from '../i18n/index.ts';
import { h } from './dom.ts';

export function statusPill(status: MonitorStatus): HTMLSpanElement {
  const pill = h('span', { class: 'pill', attrs: { 'data-status': status } }, STATUS_LABEL[status]);
  return pill;
}

export function updatePill(pill: HTMLElement, status: MonitorStatus): void {
  if (pill.dataset['status'] === status) return;
  pill.dataset['status'] = status;
  pill.textContent = STATUS_LABEL[status];
}

const COLOURS = { up: 'var(--up)', down: 'var(--down)', none: 'var(--none)' };

/**
 * One element per row, painted with a hard-stop gradient: cheaper than 50 elements × 1,000 rows.
 * Newest check at the right; missing checks (new monitors) are grey on the left.
 */
export function paintBar(element: HTMLElement, bar: readonly boolean[], length: number): void {
  const cells: Array<keyof typeof COLOURS> = [];
  for (let index = 0; index < length - bar.length; index++) cells.push('none');
  for (const up of bar) cells.push(up ? 'up' : 'down');
  const step = 100 / length;
  const stops: string[] = [];
  let start = 0;
  for (let index = 1; index <= cells.length; index++) {
    if (index === cells.length || cells[index] !== cells[start]) {
      stops.push(`${COLOURS[cells[start]!]} ${(start * step).toFixed(2)}% ${(index * step).toFixed(2)}%`);
      start = index;
    }
  }
  const key = cells.join();
  if (element.dataset['bar'] === key) return;
  element.dataset['bar'] = key;
  element.style.backgroundImage = `linear-gradient(to right, ${stops.join(', ')})`;
  const failures = bar.filter((up) => !up).length;
  element.setAttribute(
    'aria-label',
    bar.length
      ? tn('bar.label', bar.length, { up: tn('bar.up', bar.length - failures), down: tn('bar.down', failures) })
      : t('bar.noChecks'),
  );
}
