// Scenario 4: SIGTERM while checks hang on a target that never answers, with a short TIMEOUT_ARRET_SERVEUR_SECONDES.
// Does the service count the checks it abandons, exit 0, and exit on time?
import { createScenarioDatabase } from './fault-database.ts';
import { type FaultContext, logged, withService } from './fault-context.ts';
import type { ScenarioResult } from './fault-report.ts';
import { seconds } from './fault-report.ts';
import { pathStats } from './fault-targets.ts';
import { timedRequest, waitUntil } from './service-http.ts';

/** How long the service may take past its shutdown timeout (closing pools, the last log lines). */
const SLACK_MS = 1_000;

export async function runShutdown(context: FaultContext): Promise<ScenarioResult> {
  const { cluster, targets, config } = context;
  const settings = config.shutdown;
  const steady = Array.from({ length: 10 }, (_, i) => ({
    name: `steady ${i + 1}`,
    target: `${targets.urls[i % 3]}/ok/${i}`,
    intervalSeconds: 1,
    timeoutSeconds: 0.5,
  }));
  const database = await createScenarioDatabase(cluster.urlFor, 'vigie_faults_shutdown', steady);
  const env = { TIMEOUT_ARRET_SERVEUR_SECONDES: String(settings.timeoutSeconds) };
  const run = await withService(context, 'shutdown', database.url, env, async (service) => {
    const hangingBefore = pathStats(await targets.stats(), 'hang').requests;
    for (let i = 1; i <= settings.hangingChecks; i++) {
      // Created over REST so that their first check starts at once (seeded monitors spread over their interval).
      const created = await timedRequest(`${service.url}/api/moniteurs`, {
        method: 'POST',
        body: JSON.stringify({
          nom: `hanging ${i}`,
          type: 'http',
          cible: `${targets.urls[0]}/hang/${i}`,
          intervalle_secondes: 60,
          timeout_secondes: 30,
        }),
      });
      if (created.status !== 201) throw new Error(`creating a monitor answered ${created.status}`);
    }
    await waitUntil(
      async () => pathStats(await targets.stats(), 'hang').requests - hangingBefore >= settings.hangingChecks,
      10_000,
      'the hanging checks to reach their target',
    );
    context.progress(`shutdown: ${settings.hangingChecks} check(s) hanging, SIGTERM`);
    const exit = await service.stop('SIGTERM');
    // The target sees the sockets close a moment after the process is gone.
    const stillHanging = async () => pathStats(await targets.stats(), 'hang').inFlight;
    await waitUntil(async () => (await stillHanging()) === 0, 2_000, 'closed sockets').catch(() => undefined);
    return {
      ...exit,
      stillHanging: await stillHanging(),
      deadline: logged(service, 'shutdown deadline reached')[0] ?? null,
      stopped: logged(service, 'stopped')[0] ?? null,
      lingered: logged(service, 'still running after stopped').length > 0,
    };
  });
  await database.drop();
  const limitMs = settings.timeoutSeconds * 1000;
  const abandoned = run.deadline?.abandonedChecks;
  return {
    title: '4. Shutdown with checks in flight',
    setup: [
      `${settings.hangingChecks} check(s) in flight to a target that never answers (timeout 30 s) + 10 monitors at 1 s; ` +
        `TIMEOUT_ARRET_SERVEUR_SECONDES=${settings.timeoutSeconds}; SIGTERM`,
    ],
    figures: [
      { label: 'exit code', value: String(run.code), target: '0', pass: run.code === 0 },
      {
        label: 'time from SIGTERM to exit',
        value: seconds(run.ms),
        target: `the ${settings.timeoutSeconds} s deadline, ≤ ${seconds(limitMs + SLACK_MS, 1)}`,
        pass: run.ms <= limitMs + SLACK_MS,
      },
      {
        label: 'abandoned checks logged ("shutdown deadline reached")',
        value: `${abandoned ?? 'no such line'}; "stopped" logs abandonedChecks ${run.stopped?.abandonedChecks ?? 'n/a'}`,
        target: String(settings.hangingChecks),
        pass: abandoned === settings.hangingChecks && run.stopped?.abandonedChecks === settings.hangingChecks,
      },
      {
        label: 'held after "stopped"',
        value: `${run.lingered ? 'yes (lingered)' : 'no'}; connections left open at the hanging target: ${run.stillHanging}`,
        target: 'no, 0',
        pass: !run.lingered && run.stillHanging === 0,
      },
    ],
  };
}
