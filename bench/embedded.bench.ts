// npm run bench:embedded: memory, start time and crash safety of the embedded database (PGlite), measured on the
// service process as `npm start` runs it, on a throwaway data folder, with loopback HTTP targets.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServiceProcess, type ServiceProcess } from '../tests/helpers/process.ts';
import { integer } from './config.ts';
import { runBench } from './run.ts';
import { processMemory, processTreeRssBytes } from './system.ts';

const TARGETS = { firstStartMb: 400, steadyMb: 250, startSeconds: 3 };

const loadConfig = () => ({
  monitors: integer('BENCH_EMBEDDED_MONITORS', 200, 1, 100_000),
  intervalSeconds: integer('BENCH_EMBEDDED_INTERVAL_SECONDS', 5, 1, 3_600),
  steadySeconds: integer('BENCH_EMBEDDED_SECONDS', 300, 1, 86_400),
  settleSeconds: integer('BENCH_EMBEDDED_SETTLE_SECONDS', 10, 0, 3_600),
  kills: integer('BENCH_EMBEDDED_KILLS', 3, 0, 100),
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const mb = (bytes: number) => Math.round(bytes / 1048576);
const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');

function startTargets(): Promise<Server> {
  const server = createServer((_request, response) => response.end('ok'));
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function startService(dataDir: string): Promise<{ service: ServiceProcess; startMs: number }> {
  const started = performance.now();
  const service = await startServiceProcess({ DATABASE_URL: '', DATA_DIR: dataDir });
  return { service, startMs: performance.now() - started };
}

async function api<T>(service: ServiceProcess, path: string, body?: unknown): Promise<T> {
  const response = await fetch(service.url + path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** Ids of every stored result, read through the export (one consistent read of the committed rows). */
async function storedResultIds(service: ServiceProcess): Promise<Set<number>> {
  const response = await fetch(`${service.url}/api/export?format=json&donnees=resultats`);
  if (!response.ok) throw new Error(`export: ${response.status} ${await response.text()}`);
  const rows = JSON.parse(await response.text()) as { id: number }[];
  return new Set(rows.map((row) => row.id));
}

function pid(service: ServiceProcess): number {
  return service.child.pid!;
}

async function main(): Promise<void> {
  const config = loadConfig();
  const dataDir = mkdtempSync(join(tmpdir(), 'vigie-bench-embedded-'));
  const targets = await startTargets();
  const targetPort = (targets.address() as { port: number }).port;
  console.log(
    `bench:embedded: ${config.monitors} HTTP monitors at ${config.intervalSeconds} s, ${config.steadySeconds} s ` +
      `steady window, ${config.kills} kill -9 under load; data folder ${dataDir}`,
  );

  try {
    // 1. First start: PGlite creates the cluster (initdb) in the fresh folder.
    const first = await startService(dataDir);
    await sleep(config.settleSeconds * 1000);
    const firstMemory = processMemory(pid(first.service));
    const firstTree = processTreeRssBytes(pid(first.service));
    const firstStop = await first.service.stop('SIGTERM');

    // 2. Start on the existing folder.
    const second = await startService(dataDir);
    let service = second.service;
    const secondMemory = processMemory(pid(service));

    // 3. Steady state under load.
    for (let i = 0; i < config.monitors; i++) {
      await api(service, '/api/moniteurs', {
        nom: `bench ${i}`,
        type: 'http',
        cible: `http://127.0.0.1:${targetPort}/${i}`,
        intervalle_secondes: config.intervalSeconds,
        timeout_secondes: Math.max(1, Math.min(5, config.intervalSeconds - 1)),
      });
    }
    const idsBefore = (await storedResultIds(service)).size;
    const samples: number[] = [];
    const windowStarted = performance.now();
    while (performance.now() - windowStarted < config.steadySeconds * 1000) {
      await sleep(1000);
      samples.push(processTreeRssBytes(pid(service)));
    }
    const windowSeconds = (performance.now() - windowStarted) / 1000;
    const stored = (await storedResultIds(service)).size - idsBefore;
    const lastThird = samples.slice(Math.floor((samples.length * 2) / 3));
    const steadyMean = lastThird.reduce((sum, value) => sum + value, 0) / Math.max(1, lastThird.length);
    const steadyMax = Math.max(0, ...lastThird);
    const steadyPeak = processMemory(pid(service)).peak;

    // 4. kill -9 under load: every result committed before the kill is there after the restart.
    const kills: { committed: number; lost: number; restartMs: number }[] = [];
    for (let k = 0; k < config.kills; k++) {
      await sleep(2000 + Math.random() * 3000);
      const committed = await storedResultIds(service);
      await service.stop('SIGKILL');
      const restarted = await startService(dataDir);
      service = restarted.service;
      const after = await storedResultIds(service);
      const lost = [...committed].filter((id) => !after.has(id)).length;
      kills.push({ committed: committed.size, lost, restartMs: restarted.startMs });
    }
    await service.stop('SIGTERM');

    const expected = (config.monitors / config.intervalSeconds) * windowSeconds;
    console.log('');
    console.log(
      `first start (fresh folder): ready in ${(first.startMs / 1000).toFixed(2)} s; peak RSS ${mb(firstMemory.peak)} MB, ` +
        `${mb(firstMemory.rss)} MB ${config.settleSeconds} s after (whole tree ${mb(firstTree)} MB); ` +
        `stopped with ${firstStop.code} in ${firstStop.ms} ms — target peak < ${TARGETS.firstStartMb} MB: ` +
        verdict(firstMemory.peak < TARGETS.firstStartMb * 1048576),
    );
    console.log(
      `start on the existing folder: ready in ${(second.startMs / 1000).toFixed(2)} s (target < ${TARGETS.startSeconds} s: ` +
        `${verdict(second.startMs < TARGETS.startSeconds * 1000)}); RSS then ${mb(secondMemory.rss)} MB`,
    );
    console.log(
      `steady, ${config.monitors} monitors at ${config.intervalSeconds} s for ${Math.round(windowSeconds)} s: ` +
        `RSS mean ${mb(steadyMean)} MB, max ${mb(steadyMax)} MB over the last third, peak since start ${mb(steadyPeak)} MB ` +
        `— target < ${TARGETS.steadyMb} MB: ${verdict(steadyMax < TARGETS.steadyMb * 1048576)}; ` +
        `${stored} results stored (${((stored / expected) * 100).toFixed(1)} % of ${Math.round(expected)} expected)`,
    );
    for (const [index, kill] of kills.entries()) {
      console.log(
        `kill -9 #${index + 1} under load: ${kill.committed} results committed before, ${kill.lost} lost ` +
          `(target 0: ${verdict(kill.lost === 0)}); restart ready in ${(kill.restartMs / 1000).toFixed(2)} s`,
      );
    }
  } finally {
    targets.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await runBench(main);
