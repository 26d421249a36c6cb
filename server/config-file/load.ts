// Reads a configuration file whole: YAML with line positions, ${VARIABLES} from the environment, the file's shape,
// then each object through its domain's own validation. Every problem is collected with its line; any problem
// refuses the whole file.
import { isMap, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import type { ChannelRecord } from '../db/index.ts';
import { parseChannelInput } from '../alerts/index.ts';
import type { AddressPolicy } from '../checks/index.ts';
import { ValidationError } from '../errors.ts';
import { parseMaintenanceInput, type MaintenanceWindowInput } from '../maintenance/index.ts';
import {
  completeMonitorSettings,
  refuseForbiddenAddress,
  type MonitorDefaults,
  type MonitorSettings,
} from '../monitors/index.ts';
import { parseStatusPageInput } from '../status-pages/index.ts';
import { rejectNulBytes } from '../validation.ts';
import { configFileSchema, type ConfigFile } from './schema.ts';

export interface ConfigProblem {
  /** 1-based; null when the source has no lines (an import's document). */
  line: number | null;
  /** Dotted path in the file, e.g. monitors.2.intervalSeconds. */
  path: string;
  message: string;
}

export class ConfigFileError extends Error {
  constructor(
    readonly source: string,
    readonly problems: ConfigProblem[],
  ) {
    super(
      `${source} is refused (${problems.length} problem${problems.length > 1 ? 's' : ''}, nothing applied):\n` +
        problems
          .map(
            (problem) =>
              `  ${source}${problem.line ? `:${problem.line}` : ''}: ${problem.path || '(file)'}: ${problem.message}`,
          )
          .join('\n'),
    );
    this.name = 'ConfigFileError';
  }
}

export interface DesiredMonitor {
  key: string;
  settings: MonitorSettings;
  /** Channel keys. */
  channels: string[];
  /** The key of the monitor it depends on; null: none. */
  dependsOn: string | null;
}
export interface DesiredChannel {
  key: string;
  record: ChannelRecord;
}
export interface DesiredMaintenance {
  key: string;
  /** The keys of the monitors it covers; with no tags either, it covers every monitor. */
  monitors: string[];
  window: Omit<MaintenanceWindowInput, 'monitorIds'>;
}
export interface DesiredStatusPage {
  key: string;
  slug: string;
  title: string;
  description: string;
  logoUrl: string | null;
  isDefault: boolean;
  sections: Array<{ name: string; monitors: string[] }>;
}

/** A file's objects, validated and completed with their defaults, referring to each other by key. */
export interface DesiredConfig {
  monitors: DesiredMonitor[];
  channels: DesiredChannel[];
  maintenance: DesiredMaintenance[];
  statusPages: DesiredStatusPage[];
}

export interface LoadOptions {
  monitorDefaults: MonitorDefaults;
  addressPolicy: AddressPolicy;
  /** Where ${NAME} values come from (process.env by default); null: strings are taken as they are (imports). */
  env?: Record<string, string | undefined> | null;
}

type Path = Array<string | number>;

/** A YAML or JSON text (JSON is YAML). */
export function loadConfigText(text: string, source: string, options: LoadOptions): DesiredConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const syntax = [...doc.errors, ...doc.warnings].map((error) => ({
    line: lineCounter.linePos(error.pos[0]).line,
    path: '',
    message: error.message.split('\n')[0]!,
  }));
  if (syntax.length) throw new ConfigFileError(source, syntax);
  return loadConfigValue(doc.toJS() ?? {}, source, options, (path) => lineOf(doc, lineCounter, path));
}

/** The line of the deepest node of the path the document has. */
function lineOf(doc: Document, lineCounter: LineCounter, path: Path): number | null {
  for (let length = path.length; length >= 0; length -= 1) {
    const node = length === 0 ? doc.contents : doc.getIn(path.slice(0, length), true);
    const range = (node as { range?: [number, number, number] } | undefined)?.range;
    if (range) {
      // A key the file has with an empty value: the key's line.
      if (length > 0 && isScalar(node) && node.value === null) {
        const parent = length === 1 ? doc.contents : doc.getIn(path.slice(0, length - 1), true);
        if (isMap(parent)) {
          const pair = parent.items.find((item) => isScalar(item.key) && item.key.value === path[length - 1]);
          const keyRange = (pair?.key as { range?: [number] } | undefined)?.range;
          if (keyRange) return lineCounter.linePos(keyRange[0]).line;
        }
      }
      return lineCounter.linePos(range[0]).line;
    }
  }
  return null;
}

/** Replaces ${NAME} in every string with the environment's value; $${ writes a literal ${. */
function interpolate(
  value: unknown,
  path: Path,
  env: LoadOptions['env'],
  missing: (path: Path, name: string) => void,
): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$?\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (match, name: string) => {
      if (match.startsWith('$$')) return match.slice(1);
      const found = env?.[name];
      if (found === undefined) {
        missing(path, name);
        return '';
      }
      return found;
    });
  }
  if (Array.isArray(value)) return value.map((item, index) => interpolate(item, [...path, index], env, missing));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([name, item]) => [name, interpolate(item, [...path, name], env, missing)]),
    );
  }
  return value;
}

/** A document already parsed (an import's); locate gives a path's line when the source has lines. */
export function loadConfigValue(
  value: unknown,
  source: string,
  options: LoadOptions,
  locate: (path: Path) => number | null = () => null,
): DesiredConfig {
  const problems: ConfigProblem[] = [];
  const report = (path: Path, message: string) => problems.push({ line: locate(path), path: path.join('.'), message });
  const fail = (): never => {
    problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    throw new ConfigFileError(source, problems);
  };

  const expanded =
    options.env === null
      ? value
      : interpolate(value, [], options.env ?? process.env, (path, name) =>
          report(path, `the environment variable ${name} is not set`),
        );
  try {
    rejectNulBytes(expanded);
  } catch (error) {
    report(((error as ValidationError).field ?? '').split('.'), (error as Error).message);
  }
  const parsed = configFileSchema.safeParse(expanded);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        for (const name of issue.keys) report([...issue.path.map(toKey), name], `unknown field ${name}`);
      } else report(issue.path.map(toKey), issue.message);
    }
  }
  if (problems.length || !parsed.success) return fail();
  const desired = completeObjects(parsed.data, options, report);
  if (problems.length) return fail();
  return desired;
}

const toKey = (part: PropertyKey): string | number => (typeof part === 'number' ? part : String(part));

/** Each object through its domain's validation (what spans fields, defaults), then the references between them. */
function completeObjects(
  file: ConfigFile,
  options: LoadOptions,
  report: (path: Path, message: string) => void,
): DesiredConfig {
  const checked = <T>(path: Path, fn: () => T): T | null => {
    try {
      return fn();
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      report([...path, ...(error.field ? error.field.split('.') : [])], error.message);
      return null;
    }
  };
  const uniqueKeys = (list: Array<{ key: string }> | undefined, kind: string) => {
    const seen = new Set<string>();
    (list ?? []).forEach((item, index) => {
      if (seen.has(item.key)) report([kind, index, 'key'], `another of the ${kind} has the key "${item.key}"`);
      seen.add(item.key);
    });
    return seen;
  };
  const monitorKeys = uniqueKeys(file.monitors, 'monitors');
  const channelKeys = uniqueKeys(file.channels, 'channels');
  uniqueKeys(file.maintenance, 'maintenance');
  uniqueKeys(file.statusPages, 'statusPages');
  const known = (keys: Set<string>, what: string, path: Path, key: string) => {
    if (!keys.has(key)) report(path, `no ${what} in this file has the key "${key}"`);
  };

  const desired: DesiredConfig = { monitors: [], channels: [], maintenance: [], statusPages: [] };
  (file.channels ?? []).forEach(({ key, ...fields }, index) => {
    const record = checked(['channels', index], () => parseChannelInput(fields));
    if (record) desired.channels.push({ key, record });
  });
  (file.monitors ?? []).forEach(({ key, channels = [], dependsOn = null, ...input }, index) => {
    channels.forEach((channel, at) => known(channelKeys, 'channel', ['monitors', index, 'channels', at], channel));
    if (dependsOn !== null) known(monitorKeys, 'monitor', ['monitors', index, 'dependsOn'], dependsOn);
    const settings = checked(['monitors', index], () =>
      refuseForbiddenAddress(completeMonitorSettings(input, options.monitorDefaults), options.addressPolicy),
    );
    if (settings) desired.monitors.push({ key, settings, channels, dependsOn });
  });
  (file.maintenance ?? []).forEach(({ key, monitor = null, monitors = null, ...fields }, index) => {
    if (monitor !== null && monitors !== null) {
      report(['maintenance', index, 'monitors'], 'give monitor or monitors, not both');
    }
    if (monitor !== null) known(monitorKeys, 'monitor', ['maintenance', index, 'monitor'], monitor);
    (monitors ?? []).forEach((name, at) => known(monitorKeys, 'monitor', ['maintenance', index, 'monitors', at], name));
    const window = checked(['maintenance', index], () => parseMaintenanceInput(fields));
    if (window) {
      const { monitorIds, ...rest } = window;
      const covered = [...new Set(monitor !== null ? [monitor] : (monitors ?? []))];
      desired.maintenance.push({ key, monitors: covered, window: rest });
    }
  });
  (file.statusPages ?? []).forEach(({ key, sections = [], ...fields }, index) => {
    sections.forEach((section, at) =>
      section.monitors.forEach((monitor, position) =>
        known(monitorKeys, 'monitor', ['statusPages', index, 'sections', at, 'monitors', position], monitor),
      ),
    );
    const page = checked(['statusPages', index], () =>
      parseStatusPageInput({ ...fields, sections: sections.map(({ name }) => ({ name, monitorIds: [] })) }),
    );
    if (page) {
      desired.statusPages.push({
        key,
        slug: page.slug,
        title: page.title,
        description: page.description ?? '',
        logoUrl: page.logoUrl ?? null,
        isDefault: page.isDefault ?? false,
        sections: (page.sections ?? []).map((section, at) => ({
          name: section.name,
          monitors: sections[at]!.monitors,
        })),
      });
    }
  });
  return desired;
}
