// Scenario 2: monitoring.statuts locked (ACCESS EXCLUSIVE) by other sessions while clients keep reading it over
// REST and GraphQL. Do they get 503 / DATABASE_UNAVAILABLE within the configured timeouts, and does /api/etat
// keep answering within a second?
import { loadConfig } from '../server/config.ts';
import { createScenarioDatabase } from './fault-database.ts';
import { type FaultContext, problemsLogged, sleep, withService } from './fault-context.ts';
import { checkTimes, gaps } from './fault-history.ts';
import type { Figure, ScenarioResult } from './fault-report.ts';
import { millis, seconds, spread, tally } from './fault-report.ts';
import { etat, graphqlRequest, sampleEvery, timedRequest, waitUntil, type TimedResponse } from './service-http.ts';
import { lockTable } from './table-lock.ts';

const REST_PATH = '/api/resultats?limit=5';
const GRAPHQL_QUERY = '{ results(first: 5) { nodes { id } } }';
/** Scheduling noise on a shared machine, on top of the configured timeouts. */
const SLACK_MS = 500;
const INTERVAL_SECONDS = 2;

interface ClientRun {
  rest: TimedResponse[];
  graphql: TimedResponse[];
  etat: TimedResponse[];
  /** performance.now() times. */
  lockedAt: number;
  releasedAt: number;
  recoveryMs: number;
  /** Date.now() when the lock was taken and when it was released. */
  lockedAtMs: number;
  releasedAtMs: number;
  problems: string;
}

/** Sends `request` back to back until `until` (performance.now()). */
async function repeatUntil(until: number, request: () => Promise<TimedResponse>): Promise<TimedResponse[]> {
  const responses: TimedResponse[] = [];
  while (performance.now() < until) responses.push(await request());
  return responses;
}

export async function runStuck(context: FaultContext): Promise<ScenarioResult> {
  const { cluster, targets, config } = context;
  const settings = config.stuck;
  const timeouts = loadConfig({}).database;
  const monitors = Array.from({ length: 20 }, (_, i) => ({
    name: `stuck ${i + 1}`,
    target: `${targets.urls[i % 3]}/ok/${i}`,
    intervalSeconds: INTERVAL_SECONDS,
    timeoutSeconds: 1,
  }));
  const database = await createScenarioDatabase(cluster.urlFor, 'vigie_faults_stuck', monitors);
  const run = await withService(context, 'stuck', database.url, {}, async (service): Promise<ClientRun> => {
    await waitUntil(async () => (await timedRequest(service.url + REST_PATH)).status === 200, 10_000, 'REST reads');
    await sleep(3_000);
    const lock = await lockTable(database.url, 'monitoring.statuts', settings.lockers);
    const lockedAt = performance.now();
    const lockedAtMs = Date.now();
    context.progress(`stuck: monitoring.statuts locked by ${settings.lockers} session(s) for ${settings.seconds} s`);
    const until = lockedAt + settings.seconds * 1000;
    const etatSampler = sampleEvery(250, () => timedRequest(`${service.url}/api/etat`, {}, 10_000));
    const restClients = Math.ceil(settings.clients / 2);
    const loops = Array.from({ length: settings.clients }, (_, i) =>
      i < restClients
        ? repeatUntil(until, () => timedRequest(service.url + REST_PATH))
        : repeatUntil(until, () => graphqlRequest(service.url, GRAPHQL_QUERY)),
    );
    const answered = await Promise.all(loops);
    const etatSamples = await etatSampler.stop();
    await lock.release();
    const releasedAt = performance.now();
    const releasedAtMs = Date.now();
    await waitUntil(async () => (await timedRequest(service.url + REST_PATH)).status === 200, 30_000, 'recovery');
    const recoveryMs = performance.now() - releasedAt;
    // The results held up by the lock are written, then one more round of checks.
    await waitUntil(async () => (await etat(service.url)).etat?.resultats.en_attente === 0, 30_000, 'the backlog');
    await sleep(INTERVAL_SECONDS * 1000);
    await service.stop('SIGTERM');
    return {
      rest: answered.slice(0, restClients).flat(),
      graphql: answered.slice(restClients).flat(),
      etat: etatSamples,
      lockedAt,
      releasedAt,
      recoveryMs,
      lockedAtMs,
      releasedAtMs,
      problems: problemsLogged(service),
    };
  });
  const history = await checkTimes(
    database.url,
    'stuck ',
    run.lockedAtMs - INTERVAL_SECONDS * 1000,
    run.releasedAtMs + 1_000,
  );
  await database.drop();
  const boundMs = timeouts.acquireTimeoutMs + timeouts.lockTimeoutMs;
  return {
    title: '2. Stuck database (ACCESS EXCLUSIVE on monitoring.statuts)',
    setup: [
      `${settings.lockers} session(s) ask for the lock (one holds it, the rest queue) for ${settings.seconds} s; ` +
        `${Math.ceil(settings.clients / 2)} REST clients (GET ${REST_PATH}) and ${Math.floor(settings.clients / 2)} GraphQL ` +
        `clients (results(first: 5)) back to back, API pool of 10; 20 monitors at 2 s keep writing`,
      `configured (defaults): BASE_TIMEOUT_CONNEXION_MS ${timeouts.acquireTimeoutMs}, BASE_TIMEOUT_VERROU_MS ` +
        `${timeouts.lockTimeoutMs}, BASE_TIMEOUT_REQUETE_MS ${timeouts.statementTimeoutMs}: a read waits at most ` +
        `${boundMs} ms (a connection, then the lock)`,
    ],
    figures: [
      ...restFigures(run, boundMs),
      ...graphqlFigures(run, boundMs),
      ...etatFigures(run),
      ...checkingFigures(history, run),
    ],
  };
}

const duringLock = (run: ClientRun, responses: TimedResponse[]) =>
  responses.filter(
    (response) => response.startedAt >= run.lockedAt && response.startedAt + response.ms <= run.releasedAt,
  );

function restFigures(run: ClientRun, boundMs: number): Figure[] {
  const rest = duringLock(run, run.rest);
  const clear = rest.filter(
    (response) =>
      response.status === 503 &&
      /^\d+$/.test(response.retryAfter ?? '') &&
      (response.body as { erreur?: string }).erreur === 'base de données indisponible',
  );
  const slowest = Math.max(0, ...rest.map((response) => response.ms));
  return [
    {
      label: 'REST answers',
      value: `${rest.length}: ${tally(rest.map((response) => response.status))}; with Retry-After (${tally(rest.map((response) => response.retryAfter ?? 'none'))}) and "base de données indisponible": ${clear.length}`,
      target: 'every one 503 + Retry-After',
      pass: rest.length > 0 && clear.length === rest.length,
    },
    {
      label: 'REST latency',
      value: spread(rest.map((response) => response.ms)),
      target: `≤ ${boundMs} ms (+${SLACK_MS} ms slack)`,
      pass: rest.length > 0 && slowest <= boundMs + SLACK_MS,
    },
  ];
}

function graphqlFigures(run: ClientRun, boundMs: number): Figure[] {
  const answers = duringLock(run, run.graphql);
  const codes = answers.map((response) => {
    const body = response.body as { errors?: Array<{ extensions?: { code?: string } }> };
    return body?.errors?.[0]?.extensions?.code ?? (body?.errors ? 'error without code' : 'data');
  });
  const unavailable = codes.filter((code) => code === 'DATABASE_UNAVAILABLE').length;
  const slowest = Math.max(0, ...answers.map((response) => response.ms));
  return [
    {
      label: 'GraphQL answers',
      value: `${answers.length}: ${tally(codes)}; HTTP ${tally(answers.map((response) => response.status))}; Retry-After ${tally(answers.map((response) => response.retryAfter ?? 'none'))}`,
      target: 'every one DATABASE_UNAVAILABLE',
      pass: answers.length > 0 && unavailable === answers.length,
    },
    {
      label: 'GraphQL latency',
      value: spread(answers.map((response) => response.ms)),
      target: `≤ ${boundMs} ms (+${SLACK_MS} ms slack)`,
      pass: answers.length > 0 && slowest <= boundMs + SLACK_MS,
    },
  ];
}

function etatFigures(run: ClientRun): Figure[] {
  const samples = duringLock(run, run.etat);
  const slowest = Math.max(0, ...samples.map((sample) => sample.ms));
  const statuts = samples.map((sample) => {
    const body = sample.body as { statut?: string; base_de_donnees?: { raison?: string } } | null;
    return `${sample.status} ${body?.statut ?? '?'}${body?.base_de_donnees?.raison ? ` (${body.base_de_donnees.raison})` : ''}`;
  });
  return [
    {
      label: '/api/etat while locked',
      value: `${samples.length} samples: ${tally(statuts)}; ${spread(
        samples.map((sample) => sample.ms),
        millis,
        [50],
      )}`,
      target: '< 1 s',
      pass: samples.length > 0 && slowest < 1_000,
    },
    { label: 'reads answer 200 again after the lock is released', value: `within ${millis(run.recoveryMs)}` },
  ];
}

function checkingFigures(history: Awaited<ReturnType<typeof checkTimes>>, run: ClientRun): Figure[] {
  const longest = Math.max(0, ...history.flatMap((monitor) => gaps(monitor.times)));
  const stored = history.reduce(
    (sum, monitor) => sum + monitor.times.filter((time) => time >= run.lockedAtMs && time < run.releasedAtMs).length,
    0,
  );
  const expected = (history.length * (run.releasedAtMs - run.lockedAtMs)) / (INTERVAL_SECONDS * 1000);
  return [
    {
      label: 'checks while locked (results stored once it was released)',
      value: `${stored} of ~${Math.round(expected)} due; longest gap between a monitor's results ${seconds(longest)}`,
      target: `no gap beyond 2 intervals (${2 * INTERVAL_SECONDS} s)`,
      pass: history.length > 0 && longest <= 2 * INTERVAL_SECONDS * 1000,
    },
    { label: 'warnings and errors logged by the service', value: run.problems },
  ];
}
