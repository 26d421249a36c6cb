// REST assertions, groups and dependencies on /api/moniteurs: stored and shown, checked by the scheduler, and bad
// values refused with a 400 naming the condition and the position (assertions) or the cycle (depend_de).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { startHttpTarget, type HttpTarget } from '../helpers/targets.ts';
import { call, createMoniteur, moniteurBody, waitFor } from './support.ts';

let app: TestApp;
let target: HttpTarget;

beforeAll(async () => {
  [app, target] = await Promise.all([startTestApp(), startHttpTarget()]);
  target.setBody(JSON.stringify({ status: 'UP', db: 'DOWN' }));
});

afterAll(async () => {
  await Promise.all([app?.close(), target?.close()]);
});

const paused = (overrides: Record<string, unknown> = {}) =>
  moniteurBody(`${target.url}/`, { en_pause: true, ...overrides });

describe('assertions', () => {
  it('are stored, shown, and evaluated on each check, each failure named in the result', async () => {
    const assertions = ['status == 200', 'body.$.status == "UP"', 'body.$.db == "UP"', 'response_time < 5000'];
    const created = await createMoniteur(app, moniteurBody(`${target.url}/`, { assertions }));
    expect(created.assertions).toEqual(assertions);
    expect((await call(app, 'GET', `/api/moniteurs/${created.id}`)).body.moniteur.assertions).toEqual(assertions);

    const result = await waitFor('a result', async () => {
      const { body } = await call(app, 'GET', `/api/moniteurs/${created.id}/resultats`);
      return body.resultats[0];
    });
    expect(result).toMatchObject({
      est_disponible: false,
      code_http: 200,
      cause: 'assertion',
      erreur: 'assertion failed: `body.$.db == "UP"`: got "DOWN"',
    });
    await call(app, 'DELETE', `/api/moniteurs/${created.id}`);
  });

  it.each([
    ['POST', ['status == 200', 'status = 200'], 'assertions.1: "status = 200" at position 8: unknown operator "="'],
    ['POST', ['body.$..x[?(@.a)] == 1'], 'assertions.0: "body.$..x[?(@.a)] == 1" at position 11: JSONPath filter'],
    ['POST', ['response_time < soon'], 'assertions.0: "response_time < soon" at position 17: < needs a number'],
    ['POST', 'status == 200', 'assertions: must be a list of conditions'],
    [
      'POST',
      ['len([BODY].items) > 0', 'has([BODY].errors) == 0'],
      'assertions.1: "has([BODY].errors) == 0" at position 23: has(...) is true or false',
    ],
    [
      'POST',
      ['body.$.took < 300ms'],
      'assertions.0: "body.$.took < 300ms" at position 15: a duration (300ms, 1s) compares only with response_time',
    ],
  ])('%s refuses %j with a 400 naming the condition and the position', async (method, assertions, message) => {
    const before = (await call(app, 'GET', '/api/moniteurs')).body.moniteurs.length;
    const response = await call(app, method, '/api/moniteurs', paused({ assertions }));
    expect(response.status).toBe(400);
    expect(response.body.erreur).toContain(message);
    expect((await call(app, 'GET', '/api/moniteurs')).body.moniteurs.length).toBe(before);
  });

  it('are refused on a PATCH as on a creation, and only HTTP monitors have them', async () => {
    const created = await createMoniteur(app, paused());
    const patch = await call(app, 'PATCH', `/api/moniteurs/${created.id}`, { assertions: ['header.x == '] });
    expect(patch).toMatchObject({
      status: 400,
      body: { erreur: expect.stringMatching(/^assertions\.0: "header\.x ==" at position 12: missing value/) },
    });
    const tcp = await call(
      app,
      'POST',
      '/api/moniteurs',
      paused({ type: 'tcp', cible: '127.0.0.1:9', assertions: ['status == 200'] }),
    );
    expect(tcp).toMatchObject({ status: 400, body: { erreur: 'assertions: only HTTP monitors have assertions' } });
    await call(app, 'DELETE', `/api/moniteurs/${created.id}`);
  });
});

describe('groups and dependencies', () => {
  it('keep a group and a parent; refuse self-dependency, cycles and unknown parents with a 400', async () => {
    const parent = await createMoniteur(app, paused({ nom: 'router', groupe: 'Réseau' }));
    const child = await createMoniteur(app, paused({ nom: 'api', groupe: 'Réseau', depend_de: parent.id }));
    const grandchild = await createMoniteur(app, paused({ nom: 'front', depend_de: child.id }));
    expect(parent).toMatchObject({ groupe: 'Réseau', depend_de: null });
    expect(child).toMatchObject({ groupe: 'Réseau', depend_de: parent.id });

    const self = await call(app, 'PATCH', `/api/moniteurs/${child.id}`, { depend_de: child.id });
    expect(self).toMatchObject({ status: 400, body: { erreur: 'depend_de: a monitor cannot depend on itself' } });
    const cycle = await call(app, 'PATCH', `/api/moniteurs/${parent.id}`, { depend_de: grandchild.id });
    expect(cycle).toMatchObject({
      status: 400,
      body: {
        erreur: `depend_de: would make a cycle of dependencies (${parent.id} → ${grandchild.id} → ${child.id} → ${parent.id})`,
      },
    });
    const unknown = await call(app, 'POST', '/api/moniteurs', paused({ depend_de: 999_999 }));
    expect(unknown).toMatchObject({ status: 400, body: { erreur: 'depend_de: monitor 999999 does not exist' } });
    const bad = await call(app, 'POST', '/api/moniteurs', paused({ depend_de: 'router' }));
    expect(bad).toMatchObject({ status: 400, body: { erreur: 'depend_de: must be the id of another monitor' } });
    expect((await call(app, 'GET', `/api/moniteurs/${parent.id}`)).body.moniteur.depend_de).toBeNull();

    // The database refuses a cycle a concurrent change would close (the service's check is only the first line).
    await expect(
      app.testDb.db.query('UPDATE monitoring.moniteurs SET depend_de = $1 WHERE id = $2', [grandchild.id, parent.id]),
    ).rejects.toThrow(/depend on itself/);

    const cleared = await call(app, 'PATCH', `/api/moniteurs/${child.id}`, { groupe: null, depend_de: null });
    expect(cleared.body.moniteur).toMatchObject({ groupe: null, depend_de: null });
    await call(app, 'PATCH', `/api/moniteurs/${child.id}`, { depend_de: parent.id });
    // Deleting a parent leaves its children without one.
    await call(app, 'DELETE', `/api/moniteurs/${parent.id}`);
    expect((await call(app, 'GET', `/api/moniteurs/${child.id}`)).body.moniteur.depend_de).toBeNull();
    for (const id of [child.id, grandchild.id]) await call(app, 'DELETE', `/api/moniteurs/${id}`);
  });
});
