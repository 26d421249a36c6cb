// The latency chart (uPlot): successful checks as a line, failed checks as red points; grows live.
import type uPlot from 'uplot';
import type { ChartPoint } from '../api/types.ts';
import { formatLatency } from '../format.ts';
import { h } from '../ui/dom.ts';

export interface LatencyChart {
  el: HTMLElement;
  /** Points of the last windowMs; later ones slide the window along. */
  setPoints(points: ChartPoint[], windowMs: number): void;
  add(point: ChartPoint): void;
  destroy(): void;
}

type Data = [number[], Array<number | null>, Array<number | null>];

export function latencyChart(): LatencyChart {
  const el = h('div', { class: 'chart', attrs: { role: 'img', 'aria-label': 'Latency chart' } });
  let plot: uPlot | null = null;
  let UPlot: typeof uPlot | null = null;
  let destroyed = false;
  let data: Data = [[], [], []];
  let windowMs = 3_600_000;
  const width = (): number => Math.max(280, el.clientWidth || 600);
  /** Draws the current data, once uPlot is there. */
  const draw = (): void => {
    if (destroyed || !UPlot) return;
    if (plot) return plot.setData(data);
    plot = new UPlot(
      {
        width: width(),
        height: 240,
        legend: { live: true },
        cursor: { drag: { x: true, y: false } },
        scales: {
          // The whole window, not just the data: a new monitor's few points sit at the right, where "now" is.
          x: { time: true, range: () => [(Date.now() - windowMs) / 1000, Date.now() / 1000] },
          y: { range: (_u, _min, max) => [0, Math.max(10, (max ?? 0) * 1.1)] },
        },
        axes: [{}, { values: (_u, ticks) => ticks.map((tick) => formatLatency(tick)), size: 64 }],
        series: [
          {},
          { label: 'Latency', stroke: '#2f6fdb', width: 1.5, fill: 'rgba(47,111,219,0.08)', spanGaps: true, value: (_u, v) => formatLatency(v) },
          {
            label: 'Failed',
            stroke: '#cf222e',
            width: 0,
            points: { show: true, size: 6, fill: '#cf222e' },
            paths: () => null,
            value: (_u, v) => (v === null ? '—' : formatLatency(v)),
          },
        ],
      },
      data,
      el,
    );
  };
  void import('./uplot.ts').then((module) => {
    UPlot = module.default;
    draw();
  });
  const resize = new ResizeObserver(() => plot?.setSize({ width: width(), height: 240 }));
  resize.observe(el);
  const describe = (): void => {
    const failures = data[2].filter((value) => value !== null).length;
    el.setAttribute('aria-label', `Latency chart: ${data[0].length} checks, ${failures} failed`);
  };
  return {
    el,
    setPoints(points, span) {
      windowMs = span;
      const sorted = [...points].sort((a, b) => Date.parse(a.checkedAt) - Date.parse(b.checkedAt));
      data = [
        sorted.map((point) => Date.parse(point.checkedAt) / 1000),
        sorted.map((point) => (point.isUp ? point.latencyMs : null)),
        sorted.map((point) => (point.isUp ? null : point.latencyMs)),
      ];
      draw();
      describe();
    },
    add(point) {
      const at = Date.parse(point.checkedAt) / 1000;
      const xs = data[0];
      if (xs.length && at < xs[xs.length - 1]!) return;
      xs.push(at);
      data[1].push(point.isUp ? point.latencyMs : null);
      data[2].push(point.isUp ? null : point.latencyMs);
      // The window slides: drop what fell out of it.
      const cutoff = (Date.now() - windowMs) / 1000;
      while (xs.length && xs[0]! < cutoff) {
        xs.shift();
        data[1].shift();
        data[2].shift();
      }
      draw();
      describe();
    },
    destroy() {
      destroyed = true;
      resize.disconnect();
      plot?.destroy();
    },
  };
}
