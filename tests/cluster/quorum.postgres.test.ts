// Checks from several locations with a quorum, across real service processes on one real PostgreSQL: three
// instances with LOCATION a, b and c check the same monitors; one location failing raises nothing, two raise one
// DOWN naming both, and a location whose instances are all killed is reported once and drops out of the quorum.
//
// How a target fails from some locations only: like a name served by a different edge in each region, the target's
// host name resolves to another loopback address in each location (each instance runs in its own mount namespace
// with its own /etc/hosts), and the target answers 500 on the addresses the test marks failing.
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../helpers/db.ts';
import { startServiceProcess, type ServiceProcess } from '../helpers/process.ts';
import { PROCESS_WAIT, waitFor } from '../helpers/wait.ts';

/**
 * Heartbeats slower than in the leases test: no takeover is timed here, and a location (one instance) is gone after
 * 2 lease times of silence, 6 s, which a loaded machine's stalls do not reach.
 */
const HEARTBEAT_MS = 1_000;
const INTERVAL_MS = 2_000;
const HOST = 'vigie-quorum.test';
/** Where HOST resolves to in each location. */
const ADDRESSES: Record<string, string> = { a: '127.0.0.2', b: '127.0.0.3', c: '127.0.0.4' };

// Each instance gets its own /etc/hosts in a private mount namespace (an unprivileged user namespace).
const withHostsFile = (file: string) => [
  'unshare',
  '-rm',
  'sh',
  '-c',
  `mount --bind "${file}" /etc/hosts && exec "$0" "$@"`,
];
const probe = spawnSync('unshare', ['-rm', 'true']);
const unavailable = probe.status === 0 ? null : `unshare -rm is unavailable here: ${probe.stderr?.toString().trim()}`;
if (unavailable) console.warn(`skipping the locations test: ${unavailable}`);

/** One target on the three addresses (same port); it answers 500 on the addresses in `failing`. */
interface LocationTarget {
  port: number;
  failing: Set<string>;
  close(): Promise<void>;
}

async function startLocationTarget(): Promise<LocationTarget> {
  const failing = new Set<string>();
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const address = req.socket.localAddress ?? '';
    res.writeHead(failing.has(address) ? 500 : 200, { 'content-type': 'text/plain' }).end(address);
  };
  const servers: http.Server[] = [];
  let port = 0;
  for (const address of Object.values(ADDRESSES)) {
    const server = http.createServer(handler);
    server.listen(port, address);
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
    servers.push(server);
  }
  return {
    port,
    failing,
    close: async () => {
      for (const server of servers) server.closeAllConnections();
      await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
    },
  };
}

let testDb: TestDb;
let target: LocationTarget;
let hostsDir: string;
const instances = new Map<string, ServiceProcess>();

async function startInstance(location: string): Promise<ServiceProcess> {
  const hostsFile = join(hostsDir, `hosts-${location}`);
  await writeFile(hostsFile, `127.0.0.1 localhost\n${ADDRESSES[location]} ${HOST}\n`);
  const service = await startServiceProcess(
    {
      DATABASE_URL: testDb.url!,
      INSTANCE: `instance-${location}`,
      LOCATION: location,
      BATTEMENT_INSTANCE_MS: String(HEARTBEAT_MS),
      TIMEOUT_ARRET_SERVEUR_SECONDES: '5',
    },
    withHostsFile(hostsFile),
  );
  instances.set(location, service);
  return service;
}

async function dbNow(): Promise<Date> {
  const { rows } = await testDb.db.query<{ now: Date }>('SELECT clock_timestamp() AS now');
  return rows[0]!.now;
}

interface ResultRow {
  emplacement: string;
  est_disponible: boolean;
  verifie_a: Date;
}

async function resultsSince(monitorId: number, since: Date): Promise<ResultRow[]> {
  const { rows } = await testDb.db.query<ResultRow>(
    `SELECT emplacement, est_disponible, verifie_a FROM monitoring.statuts WHERE moniteur_id = $1 AND verifie_a >= $2
      ORDER BY verifie_a`,
    [monitorId, since],
  );
  return rows;
}

/** Waits until each location has written `count` results of the monitor since `since`, of the given outcome. */
function resultsFrom(monitorId: number, since: Date, expected: Record<string, boolean>, count = 1) {
  return async () => {
    const rows = await resultsSince(monitorId, since);
    return Object.entries(expected).every(
      ([location, isUp]) =>
        rows.filter((row) => row.emplacement === location && row.est_disponible === isUp).length >= count,
    );
  };
}

async function alertsOf(monitorId: number) {
  const { rows } = await testDb.db.query<{ type: string; cause: string; emplacements: string[] | null }>(
    `SELECT type, cause, emplacements FROM monitoring.alertes WHERE moniteur_id = $1 AND type IN ('DOWN', 'UP')
      ORDER BY id`,
    [monitorId],
  );
  return rows;
}

async function statusOf(monitorId: number): Promise<string> {
  const { rows } = await testDb.db.query<{ etat: string }>(
    'SELECT etat FROM monitoring.etats_moniteurs WHERE moniteur_id = $1',
    [monitorId],
  );
  return rows[0]!.etat;
}

async function createMonitorThrough(service: ServiceProcess, body: Record<string, unknown>): Promise<number> {
  const response = await fetch(`${service.url}/api/moniteurs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      type: 'http',
      cible: `http://${HOST}:${target.port}/`,
      intervalle_secondes: INTERVAL_MS / 1000,
      timeout_secondes: 1,
      ...body,
    }),
  });
  const answer = (await response.json()) as { moniteur: { id: number; emplacements: string[]; quorum: number } };
  expect(response.status).toBe(201);
  expect(answer.moniteur).toMatchObject({ emplacements: body.emplacements, quorum: body.quorum });
  return answer.moniteur.id;
}

beforeAll(async () => {
  if (unavailable) return;
  [testDb, target, hostsDir] = await Promise.all([
    createTestDb(),
    startLocationTarget(),
    mkdtemp(join(tmpdir(), 'vigie-locations-')),
  ]);
  await Promise.all(['a', 'b', 'c'].map((location) => startInstance(location)));
}, 60_000);

afterAll(async () => {
  await Promise.all([...instances.values()].map((service) => service.stop('SIGKILL')));
  await Promise.all([testDb?.drop(), target?.close(), hostsDir && rm(hostsDir, { recursive: true, force: true })]);
});

describe.skipIf(unavailable)('checks from several locations with a quorum', () => {
  // A test that failed midway leaves no location failing for the next.
  afterEach(() => target.failing.clear());

  // quorum 2 of a, b, c; and quorum 2 of b, c (which only c's disappearance lets b alone take DOWN).
  let everywhere: number;
  let twoPlaces: number;

  it('checks each monitor from each of its locations, the results carrying their location', {
    timeout: 60_000,
  }, async () => {
    const since = await dbNow();
    everywhere = await createMonitorThrough(instances.get('a')!, {
      nom: 'a, b, c',
      emplacements: ['a', 'b', 'c'],
      quorum: 2,
    });
    twoPlaces = await createMonitorThrough(instances.get('b')!, { nom: 'b, c', emplacements: ['b', 'c'], quorum: 2 });
    await waitFor(
      'a result from each location',
      async () => {
        const [first, second] = await Promise.all([
          resultsFrom(everywhere, since, { a: true, b: true, c: true })(),
          resultsFrom(twoPlaces, since, { b: true, c: true })(),
        ]);
        return first && second;
      },
      PROCESS_WAIT,
    );
    expect(new Set((await resultsSince(twoPlaces, since)).map((row) => row.emplacement))).toEqual(new Set(['b', 'c']));
    expect(await statusOf(everywhere)).toBe('UP');
    // One lease per monitor and location, held by the instance of that location.
    const { rows } = await testDb.db.query<{ moniteur_id: number; emplacement: string; nom: string }>(
      `SELECT b.moniteur_id, b.emplacement, i.nom FROM monitoring.baux b JOIN monitoring.instances i ON i.id = b.instance_id
        WHERE b.moniteur_id = ANY($1::int[]) ORDER BY 1, 2`,
      [[everywhere, twoPlaces]],
    );
    expect(rows.map((row) => [row.moniteur_id, row.emplacement, row.nom])).toEqual([
      [everywhere, 'a', 'instance-a'],
      [everywhere, 'b', 'instance-b'],
      [everywhere, 'c', 'instance-c'],
      [twoPlaces, 'b', 'instance-b'],
      [twoPlaces, 'c', 'instance-c'],
    ]);
    // Filtered by location through both APIs.
    const rest = await fetch(`${instances.get('c')!.url}/api/moniteurs/${everywhere}/resultats?emplacement=b`);
    const { resultats } = (await rest.json()) as { resultats: Array<{ emplacement: string }> };
    expect(resultats.length).toBeGreaterThan(0);
    expect(new Set(resultats.map((result) => result.emplacement))).toEqual(new Set(['b']));
  });

  it('one location failing raises nothing; two raise one DOWN naming both; UP when fewer', {
    timeout: 60_000,
  }, async () => {
    target.failing.add(ADDRESSES.a!);
    const aFails = await dbNow();
    // Two failed checks from a, and b and c up after the second: still UP, no alert. (The three locations check
    // within moments of each other: "after" is counted by time, not by position in the rows.)
    await waitFor(
      'two failures from a, then successes from b and c',
      async () => {
        const rows = await resultsSince(everywhere, aFails);
        const secondFailure = rows.filter((row) => row.emplacement === 'a' && !row.est_disponible)[1];
        if (!secondFailure) return false;
        const upAfter = (location: string) =>
          rows.some(
            (row) => row.emplacement === location && row.est_disponible && row.verifie_a > secondFailure.verifie_a,
          );
        return upAfter('b') && upAfter('c');
      },
      PROCESS_WAIT,
    );
    expect(await statusOf(everywhere)).toBe('UP');
    expect(await alertsOf(everywhere)).toEqual([]);

    target.failing.add(ADDRESSES.b!);
    const bFails = await dbNow();
    const [down] = await waitFor(
      'the DOWN alert',
      async () => {
        const alerts = await alertsOf(everywhere);
        return alerts.length ? alerts : false;
      },
      PROCESS_WAIT,
    );
    expect(down).toMatchObject({ type: 'DOWN', emplacements: ['a', 'b'] });
    expect(down!.cause).toContain('(down from a, b)');
    // More failed checks from both: still one alert.
    await waitFor(
      'two more failures from a and b',
      resultsFrom(everywhere, bFails, { a: false, b: false }, 3),
      PROCESS_WAIT,
    );
    expect((await alertsOf(everywhere)).map((alert) => alert.type)).toEqual(['DOWN']);
    // b also checks "b, c", where c alone still sees it up: b is one location of two, below the quorum.
    expect(await alertsOf(twoPlaces)).toEqual([]);

    target.failing.delete(ADDRESSES.b!);
    await waitFor('the UP alert', async () => (await alertsOf(everywhere)).length === 2, PROCESS_WAIT);
    expect((await alertsOf(everywhere)).map((alert) => alert.type)).toEqual(['DOWN', 'UP']);
    target.failing.delete(ADDRESSES.a!);
  });

  it('a location whose instances are all killed is reported once and drops out of the quorum', {
    timeout: 60_000,
  }, async () => {
    target.failing.add(ADDRESSES.b!);
    const bFails = await dbNow();
    await waitFor(
      'failures from b and successes from c',
      resultsFrom(twoPlaces, bFails, { b: false, c: true }, 2),
      PROCESS_WAIT,
    );
    expect(await statusOf(twoPlaces)).toBe('UP');

    await instances.get('c')!.stop('SIGKILL');
    instances.delete('c');
    // c held "b, c" hostage: without it, b alone is the quorum.
    const [down] = await waitFor(
      'the DOWN alert of "b, c"',
      async () => {
        const alerts = await alertsOf(twoPlaces);
        return alerts.length ? alerts : false;
      },
      { timeoutMs: 30_000 },
    );
    expect(down).toMatchObject({ type: 'DOWN', emplacements: ['b'] });
    // "a, b, c" still has a up: b alone is below its quorum of 2.
    expect(await statusOf(everywhere)).toBe('UP');

    // Every instance shows it from its next heartbeat on (whichever instance marked it).
    const etat = await waitFor(
      'a to list c as gone',
      async () => {
        const answer = (await (await fetch(`${instances.get('a')!.url}/api/etat`)).json()) as {
          emplacements_disparus: Array<{ emplacement: string }>;
          instances: Array<{ emplacement: string }>;
        };
        return answer.emplacements_disparus.length ? answer : false;
      },
      PROCESS_WAIT,
    );
    expect(etat.emplacements_disparus.map((gone) => gone.emplacement)).toEqual(['c']);
    expect(new Set(etat.instances.map((instance) => instance.emplacement))).toEqual(new Set(['a', 'b']));
    const reported = [...instances.values()].flatMap((service) =>
      service.logs.filter((line) => line.includes('location c is gone')),
    );
    expect(reported).toHaveLength(1);
    target.failing.delete(ADDRESSES.b!);
  });
});
