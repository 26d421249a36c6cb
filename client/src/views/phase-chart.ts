// Where the time of recent checks went: one stacked bar per check (DNS, connect, TLS, first byte, the rest), with
// the median of each phase under it. Plain elements: a few dozen bars need no chart library.
import type { CheckResult, PhaseTimings } from '../api/types.ts';
import { formatDateTime, formatLatency } from '../format.ts';
import { labels, t, tn } from '../i18n/index.ts';
import { h, replace } from '../ui/dom.ts';

const TEXT = labels({
  title: 'phases.title',
  none: 'phases.none',
  medianTotal: 'phases.medianTotal',
  total: 'phases.total',
});

const PHASES = [
  { key: 'dns', label: 'phases.dns', read: (t: PhaseTimings) => t.dnsMs },
  { key: 'connect', label: 'phases.connect', read: (t: PhaseTimings) => t.connectMs },
  { key: 'tls', label: 'phases.tls', read: (t: PhaseTimings) => t.tlsMs },
  { key: 'first-byte', label: 'phases.firstByte', read: (t: PhaseTimings) => t.firstByteMs },
  // Redirects, reading the body: what the total has beyond the phases.
  {
    key: 'rest',
    label: 'phases.rest',
    read: (t: PhaseTimings) =>
      Math.max(0, t.totalMs - (t.dnsMs ?? 0) - (t.connectMs ?? 0) - (t.tlsMs ?? 0) - (t.firstByteMs ?? 0)),
  },
] as const;

/** At most this many bars: the latest checks. */
const MAX_BARS = 50;

export interface PhaseChart {
  el: HTMLElement;
  /** The checks to draw, any order; those without timings are left out. */
  set(results: readonly CheckResult[]): void;
  add(result: CheckResult): void;
}

export function phaseChart(): PhaseChart {
  const body = h('div');
  const el = h('section', { class: 'card phases' }, h('h2', null, TEXT.title), body);
  let shown: CheckResult[] = [];

  const draw = (): void => {
    if (!shown.length) return replace(body, h('p', { class: 'muted' }, TEXT.none));
    const tallest = Math.max(1, ...shown.map((result) => result.timings!.totalMs));
    const bars = shown.map((result) => {
      const timings = result.timings!;
      const parts = PHASES.map((phase) => [phase, phase.read(timings)] as const);
      const title = [
        formatDateTime(result.checkedAt),
        ...parts.filter(([, ms]) => ms !== null).map(([phase, ms]) => `${t(phase.label)} ${formatLatency(ms)}`),
        `${TEXT.total} ${formatLatency(timings.totalMs)}`,
      ].join(' · ');
      const bar = h(
        'div',
        { class: 'phase-bar', attrs: { title, 'data-up': String(result.isUp) } },
        ...parts
          .filter(([, ms]) => ms)
          .map(([phase, ms]) => {
            const segment = h('span', { class: 'phase', attrs: { 'data-phase': phase.key } });
            segment.style.flexGrow = String(ms);
            return segment;
          }),
      );
      // Through the CSSOM: the page's policy may refuse style attributes.
      bar.style.height = `${(timings.totalMs / tallest) * 100}%`;
      return bar;
    });
    const median = (values: number[]): number | null => {
      if (!values.length) return null;
      const sorted = [...values].sort((a, b) => a - b);
      return sorted[Math.floor((sorted.length - 1) / 2)]!;
    };
    const medians = PHASES.map((phase) => {
      const values = shown.map((result) => phase.read(result.timings!)).filter((ms): ms is number => ms !== null);
      return [phase, median(values)] as const;
    });
    replace(
      body,
      h(
        'div',
        { class: 'phase-chart', attrs: { role: 'img', 'aria-label': tn('phases.chart', shown.length) } },
        ...bars,
      ),
      h(
        'ul',
        { class: 'phase-legend' },
        ...medians.map(([phase, ms]) =>
          h(
            'li',
            { attrs: { 'data-phase': phase.key } },
            h('span', { class: 'phase-swatch', attrs: { 'data-phase': phase.key } }),
            `${t(phase.label)} `,
            h('span', { class: 'phase-median' }, formatLatency(ms)),
          ),
        ),
        h(
          'li',
          { class: 'muted' },
          `${TEXT.medianTotal} `,
          h(
            'span',
            { class: 'phase-median', attrs: { 'data-phase': 'total' } },
            formatLatency(median(shown.map((r) => r.timings!.totalMs))),
          ),
        ),
      ),
    );
  };

  return {
    el,
    set(results) {
      shown = results
        .filter((result) => result.timings !== null)
        .sort((a, b) => Date.parse(a.checkedAt) - Date.parse(b.checkedAt))
        .slice(-MAX_BARS);
      draw();
    },
    add(result) {
      if (!result.timings) return;
      shown.push(result);
      if (shown.length > MAX_BARS) shown.shift();
      draw();
    },
  };
}
