// Stale sessions are deleted on a schedule: the job the running app registers with node-schedule removes
// sessions that expired or were revoked more than a day ago, and keeps live ones and recently ended ones.
import { randomUUID } from 'node:crypto';
import schedule from 'node-schedule';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scheduleSessionCleanup, SESSION_CLEANUP_JOB } from '../../server/auth/index.ts';
import type { TestApp } from '../helpers/app.ts';
import { silentLogger } from '../helpers/logger.ts';
import { call } from '../rest/support.ts';
import { as, createActors, startAuthApp, type Actors } from './support.ts';

let app: TestApp;
let actors: Actors;

beforeAll(async () => {
  app = await startAuthApp();
  actors = await createActors(app);
});

afterAll(async () => {
  await app?.close();
});

const HOUR = "interval '1 hour'";
// Sessions of the viewer, ended (or not) at these times, named by what should happen to them.
const SESSIONS: Record<string, { expires: string; revoked: string | null }> = {
  expiredTwoDaysAgo: { expires: `now() - 48 * ${HOUR}`, revoked: null },
  revokedTwoDaysAgo: { expires: `now() + 24 * ${HOUR}`, revoked: `now() - 48 * ${HOUR}` },
  expiredAnHourAgo: { expires: `now() - ${HOUR}`, revoked: null },
  revokedAnHourAgo: { expires: `now() + 24 * ${HOUR}`, revoked: `now() - ${HOUR}` },
  live: { expires: `now() + 24 * ${HOUR}`, revoked: null },
};
const STALE = ['expiredTwoDaysAgo', 'revokedTwoDaysAgo'];

/** Inserts one session per entry of SESSIONS; returns their ids by name. Raw SQL: no login makes a session that ended in the past. */
async function insertSessions(): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  for (const [name, { expires, revoked }] of Object.entries(SESSIONS)) {
    ids[name] = randomUUID();
    await app.testDb.db.query(
      `INSERT INTO monitoring.sessions (id, utilisateur_id, cree_a, expire_a, revoquee_a)
       VALUES ($1, $2, now() - 72 * ${HOUR}, ${expires}, ${revoked ?? 'NULL'})`,
      [ids[name], actors.viewer.id],
    );
  }
  return ids;
}

async function remaining(ids: Record<string, string>): Promise<string[]> {
  const { rows } = await app.testDb.db.query<{ id: string }>(
    'SELECT id::text FROM monitoring.sessions WHERE id = ANY($1::uuid[])',
    [Object.values(ids)],
  );
  const kept = new Set(rows.map((row) => row.id));
  return Object.keys(ids)
    .filter((name) => kept.has(ids[name]!))
    .sort();
}

async function until(condition: () => Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const KEPT = Object.keys(SESSIONS)
  .filter((name) => !STALE.includes(name))
  .sort();

describe('stale sessions', () => {
  it('are deleted by the job the app scheduled, when its schedule fires; live and recent ones stay', async () => {
    const ids = await insertSessions();
    const job = schedule.scheduledJobs[SESSION_CLEANUP_JOB];
    expect(job, 'the app schedules the session cleanup').toBeDefined();
    expect(job!.nextInvocation()).not.toBeNull();
    job!.invoke();
    await until(async () => (await remaining(ids)).length === KEPT.length, 'the stale sessions to go');
    expect(await remaining(ids)).toEqual(KEPT);
    // The sessions the actors logged in with are live: they still work.
    expect((await as(app, actors.viewer.token).call('GET', '/api/moniteurs')).status).toBe(200);
    expect((await call(app, 'GET', '/api/etat')).status).toBe(200);
  });

  it('are deleted on the clock by the job, once a second here', async () => {
    const ids = await insertSessions();
    // node-schedule's six-field cron: every second.
    const job = scheduleSessionCleanup(app.testDb.db, silentLogger(), {
      cron: '* * * * * *',
      firstRunDelayMs: 3_600_000,
    });
    try {
      await until(async () => (await remaining(ids)).length === KEPT.length, 'the schedule to fire');
      expect(await remaining(ids)).toEqual(KEPT);
    } finally {
      await job.stop();
    }
  });

  it('runNow reports how many it deleted, and does nothing once stopped', async () => {
    const ids = await insertSessions();
    const job = scheduleSessionCleanup(app.testDb.db, silentLogger(), {
      cron: '0 0 1 1 *',
      firstRunDelayMs: 3_600_000,
    });
    expect(await job.runNow()).toBe(STALE.length);
    expect(await remaining(ids)).toEqual(KEPT);
    await job.stop();
    await insertSessions();
    expect(await job.runNow()).toBeNull();
  });
});
