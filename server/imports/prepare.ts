// An import's document through the configuration file's validation: what the domain refuses (an invalid URL, a
// malformed token) is reported as not imported, with the reason, and the rest goes through.
import { ConfigFileError, loadConfigValue, type DesiredConfig, type LoadOptions } from '../config-file/index.ts';
import type { ImportResult, Skipped } from './types.ts';

export interface PreparedImport {
  desired: DesiredConfig;
  skipped: Skipped[];
  notes: Skipped[];
}

export function prepareImport(result: ImportResult, source: string, options: LoadOptions): PreparedImport {
  const monitors = [...result.document.monitors];
  const channels = [...result.document.channels];
  const skipped = [...result.skipped];
  const notes = [...result.notes];
  // Each round drops what was refused; a dropped channel may leave references to drop in the next.
  for (let round = 0; ; round += 1) {
    try {
      const desired = loadConfigValue({ monitors, channels }, source, { ...options, env: null });
      return { desired, skipped, notes };
    } catch (error) {
      if (!(error instanceof ConfigFileError) || round > 3) throw error;
      const dropMonitors = new Set<number>();
      const dropChannels = new Set<number>();
      for (const problem of error.problems) {
        const [list, index, field, at] = problem.path.split('.');
        const position = Number(index);
        if (list === 'monitors' && field === 'channels' && at !== undefined) {
          const monitor = monitors[position]!;
          const channel = monitor.channels?.[Number(at)];
          notes.push({
            what: `monitor "${monitor.name}"`,
            reason: `not linked to channel ${channel}: ${problem.message}`,
          });
          monitors[position] = { ...monitor, channels: monitor.channels?.filter((key) => key !== channel) };
        } else if (list === 'monitors') dropMonitors.add(position);
        else if (list === 'channels') dropChannels.add(position);
        else throw error;
      }
      const refused = (what: string, name: string, position: number, list: string) =>
        error.problems
          .filter((problem) => problem.path.startsWith(`${list}.${position}`))
          .map((problem) => ({
            what: `${what} "${name}"`,
            reason: `${problem.path.split('.').slice(2).join('.') || what}: ${problem.message}`,
          }));
      for (const position of dropMonitors)
        skipped.push(...refused('monitor', monitors[position]!.name, position, 'monitors'));
      for (const position of dropChannels)
        skipped.push(...refused('channel', channels[position]!.name, position, 'channels'));
      const kept = <T>(list: T[], drop: Set<number>) => list.filter((_, position) => !drop.has(position));
      const keptChannels = new Set(kept(channels, dropChannels).map((channel) => channel.key));
      monitors.splice(0, monitors.length, ...kept(monitors, dropMonitors));
      channels.splice(0, channels.length, ...kept(channels, dropChannels));
      for (const [position, monitor] of monitors.entries()) {
        const linked = monitor.channels?.filter((key) => keptChannels.has(key));
        if (linked && linked.length !== monitor.channels!.length) monitors[position] = { ...monitor, channels: linked };
      }
    }
  }
}
