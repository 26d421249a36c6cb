// monitors(status, tag) is filtered in the database: it must answer what filtering every monitor would, in every
// status, MAINTENANCE (decided by the clock, not stored) included.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertResults } from '../../server/db/index.ts';
import { createMaintenanceWindow, createMonitor, result } from '../helpers/factories.ts';
import { dataOf, startGraphQLApp, type GraphQLTestApp } from '../helpers/graphql.ts';

let app: GraphQLTestApp;

beforeAll(async () => {
  app = await startGraphQLApp();
  // The statuses come from the results inserted below: no check may change them.
  await app.scheduler.stop();
}, 60_000);

afterAll(async () => {
  await app?.close();
});

const HOUR = 3_600_000;
const STATUSES = ['UP', 'DOWN', 'DEGRADED', 'PENDING', 'PAUSED', 'MAINTENANCE'];

interface Listed {
  id: string;
  status: string;
  tags: string[];
}

describe('monitors(status, tag)', () => {
  it('lists the monitors that filtering every monitor would, in the same order', async () => {
    const tags = ['filtered'];
    const monitor = async (name: string, more: { paused?: boolean; tags?: string[] } = {}) =>
      (await createMonitor(app.db, { name, slowThresholdMs: 800, retries: 1, ...more })).id;
    const ids = {
      up: await monitor('up', { tags }),
      degraded: await monitor('degraded', { tags }),
      down: await monitor('down'),
      pending: await monitor('pending', { tags }),
      paused: await monitor('paused', { paused: true, tags }),
      maintained: await monitor('maintained', { tags }),
      pausedWithWindow: await monitor('paused with a window', { paused: true }),
      windowOver: await monitor('window over', { tags }),
    };
    await insertResults(app.testDb.db, [
      result(ids.up, true, { latencyMs: 100 }),
      result(ids.degraded, true, { latencyMs: 900 }),
      result(ids.down, false),
      result(ids.maintained, true, { latencyMs: 100 }),
      result(ids.windowOver, true, { latencyMs: 100 }),
    ]);
    const now = Date.now();
    const window = (monitorId: number, startsAt: number, endsAt: number) =>
      createMaintenanceWindow(app.testDb.db, {
        name: `window of ${monitorId}`,
        monitorId,
        startsAt: new Date(startsAt).toISOString(),
        endsAt: new Date(endsAt).toISOString(),
      });
    await window(ids.maintained, now - HOUR, now + HOUR);
    await window(ids.pausedWithWindow, now - HOUR, now + HOUR);
    await window(ids.windowOver, now - 2 * HOUR, now - HOUR);

    const selection = '{ id status tags }';
    const data = dataOf(
      await app.gql(`{
        all: monitors ${selection}
        tagged: monitors(tag: "filtered") ${selection}
        ${STATUSES.map((status) => `${status}: monitors(status: ${status}) ${selection}`).join('\n')}
        ${STATUSES.map((status) => `tagged${status}: monitors(status: ${status}, tag: "filtered") ${selection}`).join('\n')}
      }`),
    );
    const all: Listed[] = data.all;
    const statusOf = (id: number) => all.find((listed) => listed.id === String(id))?.status;
    expect(Object.fromEntries(Object.entries(ids).map(([name, id]) => [name, statusOf(id)]))).toEqual({
      up: 'UP',
      degraded: 'DEGRADED',
      down: 'DOWN',
      pending: 'PENDING',
      paused: 'PAUSED',
      maintained: 'MAINTENANCE',
      pausedWithWindow: 'PAUSED',
      windowOver: 'UP',
    });
    const tagged = (listed: Listed) => listed.tags.includes('filtered');
    expect(data.tagged).toEqual(all.filter(tagged));
    for (const status of STATUSES) {
      expect(data[status], status).toEqual(all.filter((listed) => listed.status === status));
      expect(data[`tagged${status}`], `tagged ${status}`).toEqual(
        all.filter((listed) => listed.status === status && tagged(listed)),
      );
    }
  });
});
