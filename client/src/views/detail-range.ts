// The part of the monitor page that follows the chosen range and location: the latency chart, the range's
// figures (overall and by location), the phase timings and the latest results, and the export of that range.
import {
  RangeFiguresQuery,
  RangeResultsQuery,
  RangeSeriesQuery,
  RecentResultsQuery,
  ResultLocationsQuery,
  type RangeFigures,
  type RangeVariables,
} from '../api/detail-documents.ts';
import { errorText } from '../api/errors.ts';
import type { ResultOf } from '../api/client.ts';
import type { ChartPoint, CheckResult } from '../api/types.ts';
import type { AppContext } from '../context.ts';
import { labels } from '../i18n/index.ts';
import { rangeVariables, windowRange, type ShownRange } from '../state/range.ts';
import { h, replace } from '../ui/dom.ts';
import { latencyChart } from './chart.ts';
import { locationTable, rangeFigures } from './detail-figures.ts';
import { resultsTable } from './detail-parts.ts';
import { exportLinks } from './export-links.ts';
import { phaseChart } from './phase-chart.ts';
import { rangePicker } from './range-picker.ts';

const TEXT = labels({
  latency: 'list.latency',
  results: 'detail.latestResults',
  location: 'detail.location',
  allLocations: 'detail.allLocations',
});

/** At most this many pages of 1,000 results for a chart of every result (a check every second is 4 pages). */
const MAX_CHART_PAGES = 20;
/** The range's figures are re-read at most this often while checks arrive. */
const FIGURES_REFRESH_MS = 10_000;

export interface RangeSection {
  /** The latency card (range, location, chart, figures, export). */
  latencyCard: HTMLElement;
  phasesCard: HTMLElement;
  resultsCard: HTMLElement;
  /** Reads the locations, then everything for the initial range. */
  start(): Promise<void>;
  /** A new result of the monitor (live). */
  onCheck(result: CheckResult): void;
  destroy(): void;
}

export function rangeSection(
  ctx: AppContext,
  monitor: { id: string; locations: string[] | null },
  initialResults: readonly CheckResult[],
): RangeSection {
  const id = monitor.id;
  let range: ShownRange = windowRange('hour');
  let location: string | null = null;
  let locations: string[] = [];
  let token = 0;
  let figuresTimer: ReturnType<typeof setTimeout> | undefined;
  let destroyed = false;

  const chart = latencyChart();
  const phases = phaseChart();
  const results = resultsTable(initialResults);
  phases.set(initialResults);
  const exports = exportLinks(id);
  const feedback = h('p', { class: 'feedback', attrs: { role: 'status' } });
  const figures = h('div', { class: 'range-figures-slot' });
  const byLocation = h('div');
  const locationSelect = h('select', { attrs: { name: 'location', 'aria-label': TEXT.location } });
  const locationPicker = h(
    'label',
    { class: 'location-filter', attrs: { hidden: true } },
    `${TEXT.location} `,
    locationSelect,
  );
  const picker = rangePicker(range, (picked) => {
    range = picked;
    reload();
  });
  locationSelect.addEventListener('change', () => {
    location = locationSelect.value || null;
    reload();
  });

  const variables = (where: string | null = location): RangeVariables => ({
    id,
    ...rangeVariables(range),
    location: where,
  });
  const current = (mine: number): boolean => !destroyed && mine === token;

  const loadChart = async (mine: number): Promise<void> => {
    const spanMs = (range.to ?? Date.now()) - range.from;
    if (range.resolutionSeconds !== null) {
      const data = await ctx.api.query(RangeSeriesQuery, {
        ...variables(),
        resolutionSeconds: range.resolutionSeconds,
      });
      if (current(mine)) chart.setSeries(data.monitorStats.series, spanMs, range.resolutionSeconds, range.to);
      return;
    }
    const points: ChartPoint[] = [];
    let after: string | null = null;
    for (let page = 0; page < MAX_CHART_PAGES; page++) {
      const data: ResultOf<typeof RangeResultsQuery> = await ctx.api.query(RangeResultsQuery, {
        ...variables(),
        after,
      });
      if (!current(mine)) return;
      points.push(...data.monitor.results.nodes);
      if (!data.monitor.results.pageInfo.hasNextPage) break;
      after = data.monitor.results.pageInfo.endCursor;
    }
    chart.setResults(points, spanMs, range.to);
  };

  const loadFigures = async (mine: number): Promise<void> => {
    const split = locations.length > 1;
    const [overall, ...each] = await Promise.all([
      ctx.api.query(RangeFiguresQuery, variables()),
      ...(split ? locations.map((where) => ctx.api.query(RangeFiguresQuery, variables(where))) : []),
    ]);
    if (!current(mine)) return;
    replace(figures, rangeFigures(overall!.monitorStats));
    const rows = each.map((data, index): { location: string; figures: RangeFigures } => ({
      location: locations[index]!,
      figures: data.monitorStats,
    }));
    replace(byLocation, split ? locationTable(rows) : null);
  };

  const loadRecent = async (mine: number): Promise<void> => {
    const data = await ctx.api.query(RecentResultsQuery, variables());
    if (!current(mine)) return;
    results.set(data.monitor.results.nodes);
    phases.set(data.monitor.results.nodes);
  };

  function reload(): void {
    const mine = ++token;
    clearTimeout(figuresTimer);
    figuresTimer = undefined;
    exports.show(range, location);
    feedback.textContent = '';
    Promise.all([loadChart(mine), loadFigures(mine), loadRecent(mine)]).catch((error: unknown) => {
      if (current(mine)) feedback.textContent = errorText(error);
    });
  }

  const refreshFiguresSoon = (): void => {
    if (figuresTimer !== undefined) return;
    const mine = token;
    figuresTimer = setTimeout(() => {
      figuresTimer = undefined;
      if (current(mine)) loadFigures(mine).catch(() => {});
    }, FIGURES_REFRESH_MS);
  };

  /** The monitor's locations: those it names, and those its latest results came from. */
  const readLocations = async (): Promise<void> => {
    const data = await ctx.api.query(ResultLocationsQuery, { id });
    const seen = new Set([...(monitor.locations ?? []), ...data.monitor.results.nodes.map((node) => node.location)]);
    locations = [...seen].sort();
    replace(
      locationSelect,
      h('option', { attrs: { value: '' } }, TEXT.allLocations),
      ...locations.map((where) => h('option', { attrs: { value: where } }, where)),
    );
    locationPicker.hidden = locations.length < 2;
    results.showLocations(locations.length > 1);
  };

  const latencyCard = h(
    'section',
    { class: 'card latency' },
    h('div', { class: 'card-head' }, h('h2', null, TEXT.latency), locationPicker, picker.el),
    picker.customForm,
    feedback,
    chart.el,
    figures,
    byLocation,
    exports.el,
  );

  return {
    latencyCard,
    phasesCard: phases.el,
    resultsCard: h('section', { class: 'card' }, h('h2', null, TEXT.results), results.el),
    async start() {
      await readLocations().catch(() => {});
      reload();
    },
    onCheck(result) {
      if (range.to !== null || (location !== null && result.location !== location)) return;
      chart.add(result);
      results.add(result);
      phases.add(result);
      refreshFiguresSoon();
    },
    destroy() {
      destroyed = true;
      clearTimeout(figuresTimer);
      chart.destroy();
    },
  };
}
