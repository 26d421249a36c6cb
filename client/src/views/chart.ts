// The latency chart (uPlot). Short windows draw every check: successful ones as a line, failed ones as red
// points. Longer windows draw the buckets of the stats series: the mean latency as a line inside a min–max band,
// and a red point on each bucket with failed checks. Both grow live.
import type uPlot from 'uplot';
import type { ChartPoint, StatsPoint } from '../api/types.ts';
import { formatDuration } from '../format.ts';
import { addToBuckets, bucketsOf, latencyAvg, type Bucket } from '../state/buckets.ts';
import { h } from '../ui/dom.ts';
import { t, tn } from '../i18n/index.ts';

export interface LatencyChart {
  el: HTMLElement;
  /**
   * Every result of the last windowMs; later ones slide the window along. With `endMs` (a range in the past), the
   * window ends there and stays still.
   */
  setResults(points: ChartPoint[], windowMs: number, endMs?: number | null): void;
  /** The series of the last windowMs in buckets of resolutionSeconds; later results join their bucket. */
  setSeries(points: StatsPoint[], windowMs: number, resolutionSeconds: number, endMs?: number | null): void;
  add(point: ChartPoint): void;
  destroy(): void;
}

type Column = Array<number | null>;
type Data = [number[], ...Column[]];

export function latencyChart(): LatencyChart {
  const el = h('div', { class: 'chart', attrs: { role: 'img', 'aria-label': t('chart.label') } });
  let plot: uPlot | null = null;
  let plotKind: 'results' | 'buckets' | null = null;
  let plotting: typeof import('./uplot.ts') | null = null;
  let destroyed = false;
  let windowMs = 3_600_000;
  // null: the window ends now
  let windowEnd: number | null = null;
  // Results mode: [time, latency of successes, latency of failures], grown in place.
  let results: [number[], Column, Column] = [[], [], []];
  // Buckets mode (resolutionMs > 0); `rows` lines up with the drawn data, null where a gap is drawn.
  let resolutionMs = 0;
  let buckets: Bucket[] = [];
  let rows: Array<Bucket | null> = [];
  let bucketData: Data = [[]];

  const width = (): number => Math.max(280, el.clientWidth || 600);

  /** Draws the current data, once uPlot is there; a change of mode builds a new plot. */
  const draw = (): void => {
    if (destroyed || !plotting) return;
    const kind = resolutionMs ? 'buckets' : 'results';
    const data = (kind === 'results' ? results : bucketData) as uPlot.AlignedData;
    if (plot && plotKind === kind) return plot.setData(data);
    plot?.destroy();
    plotKind = kind;
    const view = {
      width: width(),
      range: (): [number, number] => {
        const end = windowEnd ?? Date.now();
        return [(end - windowMs) / 1000, end / 1000];
      },
      rows: () => rows,
    };
    plot = new plotting.default(plotting.plotOptions(kind, view), data, el);
  };

  const describe = (): void => {
    if (resolutionMs) {
      const checks = buckets.reduce((sum, bucket) => sum + bucket.checks, 0);
      const failures = buckets.reduce((sum, bucket) => sum + bucket.failures, 0);
      el.setAttribute(
        'aria-label',
        t('chart.bucketsLabel', {
          points: tn('chart.points', buckets.length),
          size: formatDuration(resolutionMs),
          checks: tn('chart.checks', checks),
          failures,
        }),
      );
    } else {
      const failures = results[2].filter((value) => value !== null).length;
      el.setAttribute(
        'aria-label',
        t('chart.resultsLabel', { checks: tn('chart.checks', results[0].length), failures }),
      );
    }
  };

  /** The drawn columns of the buckets, with a gap wherever buckets are missing (paused, or not checked). */
  const layOutBuckets = (): void => {
    rows = [];
    for (const bucket of buckets) {
      const previous = rows[rows.length - 1];
      if (previous && bucket.start - previous.start > resolutionMs) rows.push(null);
      rows.push(bucket);
    }
    const starts: number[] = [];
    const mean: Column = [];
    rows.forEach((row, index) => {
      starts.push((row ? row.start : rows[index - 1]!.start + resolutionMs) / 1000);
      mean.push(row ? latencyAvg(row) : null);
    });
    bucketData = [
      starts,
      mean,
      rows.map((row) => row?.latencyMax ?? null),
      rows.map((row) => row?.latencyMin ?? null),
      // a bucket where nothing succeeded has no latency: its point sits on the axis
      rows.map((row, index) => (row?.failures ? (mean[index] ?? 0) : null)),
    ];
  };

  void import('./uplot.ts').then((module) => {
    plotting = module;
    draw();
  });
  const resize = new ResizeObserver(() => plot?.setSize({ width: width(), height: 240 }));
  resize.observe(el);

  return {
    el,
    setResults(points, span, endMs = null) {
      windowMs = span;
      windowEnd = endMs;
      resolutionMs = 0;
      buckets = [];
      const sorted = [...points].sort((a, b) => Date.parse(a.checkedAt) - Date.parse(b.checkedAt));
      results = [
        sorted.map((point) => Date.parse(point.checkedAt) / 1000),
        sorted.map((point) => (point.isUp ? point.latencyMs : null)),
        sorted.map((point) => (point.isUp ? null : point.latencyMs)),
      ];
      draw();
      describe();
    },
    setSeries(points, span, resolutionSeconds, endMs = null) {
      windowMs = span;
      windowEnd = endMs;
      resolutionMs = resolutionSeconds * 1000;
      results = [[], [], []];
      buckets = bucketsOf(points);
      layOutBuckets();
      draw();
      describe();
    },
    add(point) {
      if (windowEnd !== null) return;
      // The window slides: drop what fell out of it.
      const cutoff = Date.now() - windowMs;
      if (resolutionMs) {
        if (!addToBuckets(buckets, point, resolutionMs)) return;
        while (buckets.length && buckets[0]!.start + resolutionMs <= cutoff) buckets.shift();
        layOutBuckets();
      } else {
        const at = Date.parse(point.checkedAt) / 1000;
        const xs = results[0];
        if (xs.length && at < xs[xs.length - 1]!) return;
        xs.push(at);
        results[1].push(point.isUp ? point.latencyMs : null);
        results[2].push(point.isUp ? null : point.latencyMs);
        while (xs.length && xs[0]! < cutoff / 1000) {
          xs.shift();
          results[1].shift();
          results[2].shift();
        }
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
