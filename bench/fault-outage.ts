// Scenario 1: PostgreSQL stopped under ~50 monitors at 1–2 s, then started again. Are the outage's results all
// stored (no hole), none dropped, and is the DOWN of a target that failed during the outage timed at its first
// failing check?
import { createScenarioDatabase, type MonitorSeed } from './fault-database.ts';
import { type FaultContext, logged, problemsLogged, sleep, withService } from './fault-context.ts';
import { checkTimes, downAlertTiming, gaps } from './fault-history.ts';
import type { Figure, ScenarioResult } from './fault-report.ts';
import { millis, seconds } from './fault-report.ts';
import { etat, sampleEvery, timedRequest, waitUntil, type EtatSample } from './service-http.ts';

const STEADY = 'outage steady ';
const FAILING = 'outage failing';
/** Checks go on this long after the backlog is written, so the gaps just after recovery are measured too. */
const AFTER_RECOVERY_MS = 3_000;

function monitors(context: FaultContext): MonitorSeed[] {
  const { urls } = context.targets;
  const steady = Array.from({ length: context.config.outage.monitors }, (_, i) => ({
    name: `${STEADY}${i + 1}`,
    target: `${urls[i % urls.length]}/ok/${i + 1}`,
    intervalSeconds: 1 + (i % 2),
    timeoutSeconds: 0.5,
  }));
  return [...steady, { name: FAILING, target: `${urls[0]}/switch`, intervalSeconds: 1, timeoutSeconds: 0.5 }];
}

interface Timeline {
  stopBegin: number;
  /** PostgreSQL is down from here... */
  stopEnd: number;
  failingFrom: number;
  /** ...to here. */
  startBegin: number;
  startEnd: number;
  /** The service reports the backlog written. */
  recoveredAt: number;
  end: number;
}

export async function runOutage(context: FaultContext): Promise<ScenarioResult> {
  const { cluster, targets, config } = context;
  const settings = config.outage;
  const database = await createScenarioDatabase(cluster.urlFor, 'vigie_faults_outage', monitors(context));
  await targets.setFailing(false);
  const run = await withService(context, 'outage', database.url, {}, async (service) => {
    // A default channel, so that each alert gets a delivery row written in the alert's own transaction.
    const channel = await timedRequest(`${service.url}/api/canaux`, {
      method: 'POST',
      body: JSON.stringify({
        nom: 'bench',
        type: 'webhook',
        parametres: { url: `${targets.urls[0]}/ok/hook` },
        par_defaut: true,
      }),
    });
    if (channel.status !== 201) throw new Error(`creating the channel answered ${channel.status}`);
    context.progress(`outage: ${settings.monitors + 1} monitors checking, warm-up ${settings.warmupSeconds} s`);
    await sleep(settings.warmupSeconds * 1000);

    const sampler = sampleEvery(500, () => etat(service.url, 5_000));
    const stopBegin = Date.now();
    await cluster.stop();
    const stopEnd = Date.now();
    context.progress(`outage: PostgreSQL stopped (pg_ctl took ${stopEnd - stopBegin} ms) for ${settings.seconds} s`);
    await sleep(stopEnd + settings.failAfterSeconds * 1000 - Date.now());
    await targets.setFailing(true);
    const failingFrom = Date.now();
    await sleep(stopEnd + settings.seconds * 1000 - Date.now());
    const startBegin = Date.now();
    await cluster.start();
    const startEnd = Date.now();
    context.progress(`outage: PostgreSQL started again (pg_ctl took ${startEnd - startBegin} ms)`);
    await waitUntil(
      async () => {
        const sample = await etat(service.url);
        return (
          sample.etat?.statut === 'ok' &&
          sample.etat.resultats.en_attente === 0 &&
          !sample.etat.resultats.ecritures_en_panne
        );
      },
      120_000,
      'the backlog of the outage to be written',
    );
    const recoveredAt = Date.now();
    await sleep(AFTER_RECOVERY_MS);
    const samples = await sampler.stop();
    const last = await etat(service.url);
    const end = Date.now();
    const exit = await service.stop('SIGTERM');
    const timeline: Timeline = { stopBegin, stopEnd, failingFrom, startBegin, startEnd, recoveredAt, end };
    return {
      timeline,
      samples,
      last,
      exitCode: exit.code,
      outageLogs: logged(service, 'the database cannot take check results').length,
      problems: problemsLogged(service),
      backLog: logged(service, 'database back')[0] ?? null,
    };
  });
  const { timeline } = run;
  const history = await checkTimes(database.url, STEADY, timeline.stopBegin - 10_000, timeline.end);
  const alert = await downAlertTiming(database.url, FAILING);
  await database.drop();
  return {
    title: '1. PostgreSQL outage',
    setup: [
      `${settings.monitors} monitors at 1 s and 2 s (timeout 0.5 s) on 3 loopback hosts + 1 at 1 s whose target fails ` +
        `${settings.failAfterSeconds} s into the outage; PostgreSQL (private cluster) stopped ${seconds(timeline.startBegin - timeline.stopEnd, 1)}` +
        ` (pg_ctl stop -m fast), then started again`,
    ],
    figures: [...holeFigures(history, timeline), ...queueFigures(run), ...alertFigures(alert, timeline)],
  };
}

function holeFigures(history: Awaited<ReturnType<typeof checkTimes>>, timeline: Timeline): Figure[] {
  const downMs = timeline.startBegin - timeline.stopEnd;
  let stored = 0;
  let expected = 0;
  let worstIntervals = 0;
  let worstMs = 0;
  let holes = 0;
  for (const monitor of history) {
    const intervalMs = monitor.intervalSeconds * 1000;
    stored += monitor.times.filter((time) => time >= timeline.stopEnd && time < timeline.startBegin).length;
    expected += downMs / intervalMs;
    const longest = Math.max(0, ...gaps(monitor.times));
    if (longest > 2 * intervalMs) holes += 1;
    if (longest / intervalMs > worstIntervals) {
      worstIntervals = longest / intervalMs;
      worstMs = longest;
    }
  }
  const share = expected > 0 ? stored / expected : 0;
  return [
    {
      label: 'results stored from checks made while PostgreSQL was down',
      value: `${stored} of ~${Math.round(expected)} expected (${(share * 100).toFixed(1)} %), over ${history.length} monitors`,
      target: 'all of them (≥ 95 % allowing for window edges)',
      pass: share >= 0.95,
    },
    {
      label: 'hole: longest gap between consecutive stored results of a monitor',
      value: `${seconds(worstMs)} = ${worstIntervals.toFixed(2)} intervals; monitors with a gap over 2 intervals: ${holes}`,
      target: 'no gap beyond 2 intervals',
      pass: holes === 0,
    },
  ];
}

interface OutageRun {
  samples: EtatSample[];
  last: EtatSample;
  exitCode: number | null;
  outageLogs: number;
  problems: string;
  backLog: Record<string, unknown> | null;
  timeline: Timeline;
}

function queueFigures(run: OutageRun): Figure[] {
  const dropped = run.last.etat?.resultats.perdus ?? Number.NaN;
  const peak = Math.max(0, ...run.samples.map((sample) => sample.etat?.resultats.en_attente ?? 0));
  const during = run.samples.filter(
    (sample) => sample.etat && performance.timeOrigin + sample.startedAt < run.timeline.startBegin,
  );
  const etatMs = Math.max(0, ...during.map((sample) => sample.ms));
  const statuses = new Set(during.map((sample) => sample.etat?.statut ?? `HTTP ${sample.status}`));
  return [
    {
      label: 'results dropped (/api/etat resultats.perdus)',
      value: `${dropped}; log "database back": ${run.backLog ? `dropped ${run.backLog.dropped} after ${run.backLog.seconds} s` : 'missing'}`,
      target: '0',
      pass: dropped === 0 && run.backLog?.dropped === 0,
    },
    {
      label: 'results queued in memory at the peak (resultats.en_attente)',
      value: `${peak}; outage logged ${run.outageLogs} time(s)`,
    },
    { label: 'warnings and errors logged by the service', value: run.problems },
    {
      label: 'backlog written after PostgreSQL was started',
      value: seconds(run.timeline.recoveredAt - run.timeline.startEnd, 1),
    },
    {
      label: '/api/etat during the outage',
      value: `${[...statuses].join(', ')}, slowest ${millis(etatMs)} (${during.length} samples)`,
      target: '< 1 s',
      pass: during.length > 0 && etatMs < 1_000,
    },
  ];
}

function alertFigures(alert: Awaited<ReturnType<typeof downAlertTiming>>, timeline: Timeline): Figure[] {
  const { firstFailureAt, alertAt, raisedAt } = alert;
  const offBy = firstFailureAt !== null && alertAt !== null ? alertAt - firstFailureAt : null;
  return [
    {
      label: 'failing target: first failing check stored',
      value:
        firstFailureAt === null
          ? 'none'
          : `${seconds(firstFailureAt - timeline.stopEnd)} into the outage (target switched at ${seconds(timeline.failingFrom - timeline.stopEnd)})`,
    },
    {
      label: "failing target: DOWN alert's recorded time − first failing check",
      value: `${offBy === null ? 'no alert' : millis(offBy)}; DOWN alerts: ${alert.downAlerts}`,
      target: '0 ms, one alert',
      pass: offBy === 0 && alert.downAlerts === 1,
    },
    {
      label: 'failing target: alert raised (written) after the first failing check',
      value:
        raisedAt === null || firstFailureAt === null
          ? 'n/a'
          : `${seconds(raisedAt - firstFailureAt, 1)} late, ${seconds(raisedAt - timeline.startEnd, 1)} after PostgreSQL was back` +
            (alert.deliveredAt
              ? `; notification delivered ${seconds(alert.deliveredAt - raisedAt, 1)} after that`
              : ''),
    },
  ];
}
