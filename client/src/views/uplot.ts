// uPlot, its styles and the latency chart's plot options, loaded on demand by the chart (kept out of the list's
// first download).
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatDateTime, formatLatency, timeAxisLabels } from '../format.ts';
import type { Bucket } from '../state/buckets.ts';
import { t } from '../i18n/index.ts';

export default uPlot;

const BLUE = '#2f6fdb';
const RED = '#cf222e';
const latencyValue = (_u: uPlot, value: number | null): string => formatLatency(value);
/** The time series (x): its legend in the page's language, "2025-01-10 14:30:05" / "10/01/2025 14:30:05". */
const timeSeries: uPlot.Series = {
  label: t('chart.time'),
  value: (_u, seconds) => (seconds === null ? '—' : formatDateTime(new Date(seconds * 1000).toISOString())),
};
const failedSeries = {
  label: t('chart.failed'),
  stroke: RED,
  width: 0,
  points: { show: true, size: 6, fill: RED },
  paths: () => null,
};

/**
 * `results`: every check, successes as a line and failures as red points. `buckets`: the mean latency as a line
 * inside a min–max band, a red point on buckets with failures (`rows` lines up with the data, null in gaps).
 */
export function plotOptions(
  kind: 'results' | 'buckets',
  view: { width: number; range: () => [number, number]; rows: () => ReadonlyArray<Bucket | null> },
): uPlot.Options {
  return {
    width: view.width,
    height: 240,
    legend: { live: true },
    cursor: { drag: { x: true, y: false } },
    scales: {
      // The whole window, not just the data: a new monitor's few points sit at the right, where "now" is.
      x: { time: true, range: () => view.range() },
      y: { range: (_u, _min, max) => [0, Math.max(10, (max ?? 0) * 1.1)] },
    },
    axes: [
      // uPlot's own labels are American English ("11/30", "3pm"): these follow the page's language.
      { values: (_u, ticks, _axis, _space, step) => timeAxisLabels(ticks, step) },
      { values: (_u, ticks) => ticks.map((tick) => formatLatency(tick)), size: 64 },
    ],
    ...(kind === 'results'
      ? {
          series: [
            timeSeries,
            {
              label: t('list.latency'),
              stroke: BLUE,
              width: 1.5,
              fill: 'rgba(47,111,219,0.08)',
              spanGaps: true,
              value: latencyValue,
            },
            { ...failedSeries, value: (_u, value) => (value === null ? '—' : formatLatency(value)) },
          ],
        }
      : {
          series: [
            timeSeries,
            { label: t('chart.mean'), stroke: BLUE, width: 1.5, value: latencyValue },
            // the edges of the band: no line, no points
            { label: t('chart.max'), stroke: BLUE, width: 0, points: { show: false }, value: latencyValue },
            { label: t('chart.min'), stroke: BLUE, width: 0, points: { show: false }, value: latencyValue },
            {
              ...failedSeries,
              value: (_u, _value, _series, index) => {
                const row = index === null ? null : view.rows()[index];
                return row?.failures ? t('chart.failuresOf', { failures: row.failures, checks: row.checks }) : '—';
              },
            },
          ],
          bands: [{ series: [2, 3], fill: 'rgba(47,111,219,0.15)' }],
        }),
  };
}
