// Writes metric families in the Prometheus text exposition format (version 0.0.4). Used for the per-monitor
// families, which hold most of a scrape's samples: prom-client's generic serialiser formats every sample's
// labels anew, about three times slower than writing each monitor's label set once and reusing it (measured
// on 10,000 monitors × 13 samples). The service's own metrics go through prom-client.

/** A label value as the format wants it: backslash, double quote and line feed escaped. */
function escapeLabelValue(value: string): string {
  return value.replace(/[\\"\n]/g, (char) => (char === '\n' ? '\\n' : `\\${char}`));
}

function escapeHelp(text: string): string {
  return text.replace(/[\\\n]/g, (char) => (char === '\n' ? '\\n' : '\\\\'));
}

/** `name="value",...` for labels whose names are valid metric label names. */
export function formatLabels(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([name, value]) => `${name}="${escapeLabelValue(value)}"`)
    .join(',');
}

export class ExpositionWriter {
  private text = '';

  /** Starts a family; its samples follow before the next family starts. */
  family(name: string, type: 'gauge' | 'counter', help: string): void {
    this.text += `# HELP ${name} ${escapeHelp(help)}\n# TYPE ${name} ${type}\n`;
  }

  /** One sample; `labels` is already formatted (see formatLabels), so it can be shared by many samples. */
  sample(name: string, labels: string, value: number): void {
    this.text += `${name}{${labels}} ${formatValue(value)}\n`;
  }

  toString(): string {
    return this.text;
  }
}

function formatValue(value: number): string {
  if (Number.isFinite(value)) return String(value);
  if (Number.isNaN(value)) return 'NaN';
  return value > 0 ? '+Inf' : '-Inf';
}
