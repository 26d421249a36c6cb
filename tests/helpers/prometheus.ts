// Scrapes /metrics and parses it with a Prometheus text-format parser (parse-prometheus-text-format).
// @ts-expect-error the package ships no types; its shape is declared below.
import parsePrometheusTextFormat from 'parse-prometheus-text-format';

export interface PromSample {
  labels?: Record<string, string>;
  /** Counters, gauges and untyped samples. */
  value?: string;
  /** Histograms. */
  buckets?: Record<string, string>;
  count?: string;
  sum?: string;
}

export interface PromFamily {
  name: string;
  help: string;
  type: 'COUNTER' | 'GAUGE' | 'HISTOGRAM' | 'SUMMARY' | 'UNTYPED';
  metrics: PromSample[];
}

export interface Scrape {
  status: number;
  contentType: string | null;
  text: string;
  families: Map<string, PromFamily>;
  /** The samples of a family whose labels include `labels` (all of them when none are given). */
  samples(name: string, labels?: Record<string, string>): PromSample[];
  /** The value of the one sample of `name` with these labels; undefined when there is none. */
  value(name: string, labels?: Record<string, string>): number | undefined;
}

export function parseExposition(text: string): PromFamily[] {
  return (parsePrometheusTextFormat as (text: string) => PromFamily[])(text);
}

/** GET /metrics, with an API key when given. */
/** Scrapes /metrics; `collect`: only these groups (`?collect[]=`), else all. */
export async function scrape(baseUrl: string, apiKey?: string, collect: string[] = []): Promise<Scrape> {
  const query = collect.map((group) => `collect[]=${encodeURIComponent(group)}`).join('&');
  const response = await fetch(
    `${baseUrl}/metrics${query ? `?${query}` : ''}`,
    apiKey ? { headers: { authorization: `Bearer ${apiKey}` } } : {},
  );
  const text = await response.text();
  const families = new Map(parseExposition(text).map((family) => [family.name, family]));
  const samples = (name: string, labels: Record<string, string> = {}) =>
    (families.get(name)?.metrics ?? []).filter((sample) =>
      Object.entries(labels).every(([label, value]) => sample.labels?.[label] === value),
    );
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    text,
    families,
    samples,
    value(name, labels) {
      const found = samples(name, labels);
      if (found.length > 1) throw new Error(`${found.length} samples of ${name} match ${JSON.stringify(labels)}`);
      return found[0] ? Number(found[0].value) : undefined;
    },
  };
}
