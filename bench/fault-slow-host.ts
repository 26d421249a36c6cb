// Scenario 3: hundreds of monitors on one host that answers slowly, a few on another host that answers at once,
// default WORKERS_MAX_PARALLELES and VERIFICATIONS_PAR_HOTE_MAX. Do the fast monitors keep their rhythm, and does
// /api/etat say the checker is saturated, by what, and where?
import { loadConfig } from '../server/config.ts';
import { createScenarioDatabase } from './fault-database.ts';
import { type FaultContext, logged, sleep, withService } from './fault-context.ts';
import { checkTimes, gaps } from './fault-history.ts';
import type { Figure, ScenarioResult } from './fault-report.ts';
import { seconds, spread } from './fault-report.ts';
import { pathStats } from './fault-targets.ts';
import { etat, sampleEvery, type EtatSample } from './service-http.ts';

const SLOW = 'slow host ';
const FAST = 'fast host ';

export async function runSlowHost(context: FaultContext): Promise<ScenarioResult> {
  const { cluster, targets, config } = context;
  const settings = config.slowHost;
  const defaults = loadConfig({});
  const slowUrl = targets.urls[1];
  const fastUrl = targets.urls[2];
  const interval = settings.intervalSeconds;
  const monitors = [
    ...Array.from({ length: settings.slowMonitors }, (_, i) => ({
      name: `${SLOW}${i + 1}`,
      target: `${slowUrl}/slow/${settings.slowAnswerMs}/${i + 1}`,
      intervalSeconds: interval,
      timeoutSeconds: interval - 1,
    })),
    ...Array.from({ length: settings.fastMonitors }, (_, i) => ({
      name: `${FAST}${i + 1}`,
      target: `${fastUrl}/ok/${i + 1}`,
      intervalSeconds: interval,
      timeoutSeconds: 1,
    })),
  ];
  const database = await createScenarioDatabase(cluster.urlFor, 'vigie_faults_slow_host', monitors);
  const run = await withService(context, 'slow-host', database.url, {}, async (service) => {
    const warmupMs = interval * 1500;
    context.progress(
      `slow host: ${monitors.length} monitors, warm-up ${seconds(warmupMs, 1)}, window ${settings.seconds} s`,
    );
    await sleep(warmupMs);
    await targets.resetPeaks();
    const from = Date.now();
    const sampler = sampleEvery(1_000, () => etat(service.url));
    await sleep(settings.seconds * 1000);
    const samples = await sampler.stop();
    const to = Date.now();
    const slowPeak = pathStats(await targets.stats(), `${new URL(slowUrl).hostname}/slow`).maxInFlight;
    await service.stop('SIGTERM');
    return { from, to, samples, slowPeak, saturationLogs: logged(service, 'checks are running late') };
  });
  const fast = await checkTimes(database.url, FAST, run.from - interval * 1000, run.to);
  const slow = await checkTimes(database.url, SLOW, run.from, run.to);
  await database.drop();
  const slowHost = new URL(slowUrl).hostname;
  return {
    title: '3. One slow host',
    setup: [
      `${settings.slowMonitors} monitors at ${interval} s on ${slowHost} answering in ${settings.slowAnswerMs} ms, ` +
        `${settings.fastMonitors} at ${interval} s on ${new URL(fastUrl).hostname} answering at once; defaults ` +
        `WORKERS_MAX_PARALLELES=${defaults.maxParallelChecks}, VERIFICATIONS_PAR_HOTE_MAX=${defaults.maxChecksPerHost}; ` +
        `measured over ${seconds(run.to - run.from, 1)} after ${interval * 1.5} s of warm-up`,
    ],
    figures: [
      ...fastFigures(fast, interval, run.from),
      ...slowFigures(slow, settings.slowMonitors, (run.to - run.from) / (interval * 1000), run.slowPeak, defaults),
      ...saturationFigures(run.samples, slowHost, run.saturationLogs),
    ],
  };
}

function fastFigures(history: Awaited<ReturnType<typeof checkTimes>>, interval: number, from: number): Figure[] {
  const intervalMs = interval * 1000;
  // Gaps that end inside the window (the first may start just before it).
  const all = history.flatMap((monitor) => gaps(monitor.times).filter((_, i) => monitor.times[i + 1]! >= from));
  const missed = all.reduce((sum, gap) => sum + Math.max(0, Math.round(gap / intervalMs) - 1), 0);
  const longest = Math.max(0, ...all);
  return [
    {
      label: `fast monitors: gap between checks (${all.length} gaps)`,
      value: spread(all, (ms) => seconds(ms)),
      target: `≈ ${interval} s (max ≤ ${interval * 1.5} s)`,
      pass: all.length > 0 && longest <= intervalMs * 1.5,
    },
    { label: 'fast monitors: missed checks', value: String(missed), target: '0', pass: all.length > 0 && missed === 0 },
  ];
}

function slowFigures(
  history: Awaited<ReturnType<typeof checkTimes>>,
  monitors: number,
  intervalsInWindow: number,
  peak: number,
  defaults: ReturnType<typeof loadConfig>,
): Figure[] {
  const done = history.reduce((sum, monitor) => sum + monitor.times.length, 0);
  return [
    {
      label: 'slow host: checks stored in the window',
      value: `${done} of ${Math.round(monitors * intervalsInWindow)} due (the host's cap, not the workers, is the limit)`,
    },
    {
      label: 'slow host: most checks in flight to it at once',
      value: String(peak),
      target: `≤ VERIFICATIONS_PAR_HOTE_MAX (${defaults.maxChecksPerHost})`,
      pass: peak > 0 && peak <= defaults.maxChecksPerHost,
    },
  ];
}

function saturationFigures(samples: EtatSample[], slowHost: string, logs: Array<Record<string, unknown>>): Figure[] {
  const read = samples.flatMap((sample) => (sample.etat ? [sample.etat.planificateur] : []));
  const saturated = read.filter((one) => one.sature);
  const last = read.at(-1);
  const named =
    last?.limite_par.includes('VERIFICATIONS_PAR_HOTE_MAX') && last.hotes_satures.includes(slowHost) === true;
  return [
    {
      label: '/api/etat planificateur.sature',
      value: `true in ${saturated.length} of ${read.length} samples`,
      target: 'true throughout',
      pass: read.length > 0 && saturated.length === read.length,
    },
    {
      label: '/api/etat at the end of the window',
      value: last
        ? `verifications_en_retard ${last.verifications_en_retard}, retard_max_secondes ${last.retard_max_secondes}, ` +
          `verifications_en_attente ${last.verifications_en_attente}, verifications_en_cours ${last.verifications_en_cours}, ` +
          `limite_par [${last.limite_par.join(', ')}], hotes_satures [${last.hotes_satures.join(', ')}]`
        : 'no sample',
      target: `names VERIFICATIONS_PAR_HOTE_MAX and ${slowHost}`,
      pass: named,
    },
    {
      label: 'log "checks are running late"',
      value: logs.length ? `${logs.length} line(s): ${String(logs[0]!.msg)}` : 'none',
      target: 'once per episode',
      pass: logs.length === 1,
    },
  ];
}
