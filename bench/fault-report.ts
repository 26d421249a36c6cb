// Printing a fault scenario's figures, each judged against its target of issue 13 (a measurement, not a test).
import { percentile } from './stats.ts';

export interface Figure {
  label: string;
  value: string;
  /** The target, in words; absent for context figures. */
  target?: string;
  pass?: boolean;
}

export interface ScenarioResult {
  title: string;
  /** What was run, one line each. */
  setup: string[];
  figures: Figure[];
}

export function formatScenario(result: ScenarioResult): string {
  const lines = [`== ${result.title}`, ...result.setup.map((line) => `   ${line}`)];
  for (const figure of result.figures) {
    const verdict = figure.pass === undefined ? '    ' : figure.pass ? 'PASS' : 'FAIL';
    const target = figure.target ? `   [target: ${figure.target}]` : '';
    lines.push(`   ${verdict}  ${figure.label}: ${figure.value}${target}`);
  }
  return lines.join('\n');
}

export function failures(results: ScenarioResult[]): string[] {
  return results.flatMap((result) =>
    result.figures.filter((figure) => figure.pass === false).map((figure) => `${result.title}: ${figure.label}`),
  );
}

export const seconds = (ms: number | null, digits = 2) =>
  ms === null || Number.isNaN(ms) ? 'n/a' : `${(ms / 1000).toFixed(digits)} s`;
export const millis = (ms: number | null) => (ms === null || Number.isNaN(ms) ? 'n/a' : `${Math.round(ms)} ms`);

/** "p50 12 ms · p99 30 ms · max 41 ms" of some durations (ms). */
export function spread(values: number[], show: (ms: number) => string = millis, quantiles = [50, 99]): string {
  if (values.length === 0) return 'none';
  const sorted = Float64Array.from(values).sort();
  return [...quantiles.map((q) => `p${q} ${show(percentile(sorted, q))}`), `max ${show(sorted.at(-1)!)}`].join(' · ');
}

/** "503 ×40, 200 ×2" */
export function tally(values: Array<string | number>): string {
  const counts = new Map<string | number, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].map(([value, count]) => `${value} ×${count}`).join(', ') || 'none';
}
