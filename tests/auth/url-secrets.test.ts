// Credentials written into targets and channel settings (user:password@, ?token=, webhook tokens, ntfy topics)
// are shown as "********" to every role, over REST and GraphQL; editors and admins edit by sending the shown value
// back, which keeps the stored secret, and checks and sends still use the real values.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../helpers/app.ts';
import { startHttpTarget, type HttpTarget } from '../helpers/targets.ts';
import { as, createActors, startAuthApp, type Actors } from './support.ts';

const SECRETS = [
  'monitor-pass',
  'ops-user',
  'tok-123',
  'sig-456',
  '0b7e8f1c2a4d4c3f9a515fb2a8d3c6e1',
  'vigie-alerts-topic-secret',
];

let app: TestApp;
let actors: Actors;
let target: HttpTarget;
let monitorId: number;
let webhookId: number;
let ntfyId: number;
let storedTarget: string;

beforeAll(async () => {
  [app, target] = await Promise.all([startAuthApp(), startHttpTarget()]);
  await app.scheduler.stop();
  actors = await createActors(app);
  const admin = as(app, actors.admin.token);
  const monitor = await admin.call('POST', '/api/moniteurs', {
    nom: 'with credentials',
    type: 'http',
    cible: `http://ops-user:monitor-pass@127.0.0.1:${target.port}/status/200?token=tok-123&page=1`,
    en_pause: true,
  });
  expect(monitor.status, JSON.stringify(monitor.body)).toBe(201);
  monitorId = monitor.body.moniteur.id;
  storedTarget = (await storedRow('moniteurs', monitorId)).cible as string;
  const webhook = await admin.call('POST', '/api/canaux', {
    nom: 'hook',
    type: 'webhook',
    parametres: { url: 'http://127.0.0.1:9/hooks/0b7e8f1c2a4d4c3f9a515fb2a8d3c6e1?sig=sig-456&format=json' },
  });
  expect(webhook.status, JSON.stringify(webhook.body)).toBe(201);
  webhookId = webhook.body.canal.id;
  const ntfy = await admin.call('POST', '/api/canaux', {
    nom: 'phone',
    type: 'ntfy',
    parametres: { server: 'http://127.0.0.1:9', topic: 'vigie-alerts-topic-secret' },
  });
  expect(ntfy.status, JSON.stringify(ntfy.body)).toBe(201);
  ntfyId = ntfy.body.canal.id;
  // A stored result carries the target too.
  const checked = await as(app, actors.editor.token).gql(`mutation ($id: ID!) { checkNow(id: $id) { isUp } }`, {
    id: String(monitorId),
  });
  expect(checked.data).toEqual({ checkNow: { isUp: true } });
});

afterAll(async () => {
  await Promise.all([app?.close(), target?.close()]);
});

async function storedRow(table: 'moniteurs' | 'canaux', id: number): Promise<Record<string, unknown>> {
  const { rows } = await app.testDb.db.query<Record<string, unknown>>(
    `SELECT * FROM monitoring.${table} WHERE id = $1`,
    [id],
  );
  return rows[0]!;
}

function expectNoSecret(what: string, body: unknown): void {
  const text = JSON.stringify(body);
  for (const secret of SECRETS) expect(text, `${what} shows ${secret}`).not.toContain(secret);
}

describe.each(['viewer', 'editor', 'admin'] as const)('as %s', (role) => {
  it('REST shows targets, results and channels with their credentials masked', async () => {
    const client = as(app, actors[role].token);
    const one = await client.call('GET', `/api/moniteurs/${monitorId}`);
    expect(one.status).toBe(200);
    expect(one.body.moniteur.cible).toBe(
      `http://********:********@127.0.0.1:${target.port}/status/200?token=********&page=1`,
    );
    const channel = await client.call('GET', `/api/canaux/${webhookId}`);
    expect(channel.body.canal.parametres.url).toBe('http://127.0.0.1:9/hooks/********?sig=********&format=json');
    const ntfy = await client.call('GET', `/api/canaux/${ntfyId}`);
    expect(ntfy.body.canal.parametres).toMatchObject({ server: 'http://127.0.0.1:9', topic: '********' });
    for (const path of [
      '/api/moniteurs',
      `/api/moniteurs/${monitorId}`,
      `/api/moniteurs/${monitorId}/resultats`,
      '/api/resultats',
      '/api/canaux',
    ]) {
      const response = await client.call('GET', path);
      expect(response.status, path).toBe(200);
      expectNoSecret(path, response.body);
    }
  });

  it('exports results without the credentials (they are masked when the result is stored)', async () => {
    const response = await app.request('/api/export?donnees=resultats&format=csv', {
      headers: { authorization: `Bearer ${actors[role].token}` },
    });
    expect(response.status).toBe(200);
    const csv = await response.text();
    expect(csv).toContain(`http://********:********@127.0.0.1:${target.port}/status/200?token=********&page=1`);
    expectNoSecret('export', csv);
  });

  it('GraphQL shows them masked too', async () => {
    const response = await as(app, actors[role].token).gql(
      `query ($id: ID!) {
        monitors { target }
        monitor(id: $id) { target lastResult { target } }
        results(monitorId: $id, first: 5) { nodes { target } }
        channels { settings }
      }`,
      { id: String(monitorId) },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data.monitor.target).toBe(
      `http://********:********@127.0.0.1:${target.port}/status/200?token=********&page=1`,
    );
    expect(response.data.results.nodes[0].target).toBe(response.data.monitor.target);
    expectNoSecret('GraphQL', response.data);
  });
});

describe('editing with the masked values', () => {
  it('keeps the stored credentials of a monitor target sent back as shown (REST and GraphQL), and checks use them', async () => {
    const editor = as(app, actors.editor.token);
    const shown = (await editor.call('GET', `/api/moniteurs/${monitorId}`)).body.moniteur.cible as string;
    const patched = await editor.call('PATCH', `/api/moniteurs/${monitorId}`, { nom: 'renamed', cible: shown });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect((await storedRow('moniteurs', monitorId)).cible).toBe(storedTarget);
    const updated = await editor.gql(
      `mutation ($id: ID!, $target: String!) { updateMonitor(id: $id, input: { target: $target }) { target } }`,
      {
        id: String(monitorId),
        target: shown.replace('page=1', 'page=2'),
      },
    );
    expect(updated.errors).toBeUndefined();
    expect((await storedRow('moniteurs', monitorId)).cible).toBe(storedTarget.replace('page=1', 'page=2'));

    const before = target.requests;
    await editor.gql(`mutation ($id: ID!) { checkNow(id: $id) { isUp } }`, { id: String(monitorId) });
    expect(target.requests).toBe(before + 1);
    const seen = target.seen.at(-1)!;
    expect(seen.path).toBe('/status/200?token=tok-123&page=2');
    expect(seen.headers.authorization).toBe(`Basic ${Buffer.from('ops-user:monitor-pass').toString('base64')}`);
  });

  it('refuses the masked credentials for another host, and stores nothing', async () => {
    const editor = as(app, actors.editor.token);
    const before = (await storedRow('moniteurs', monitorId)).cible;
    const moved = await editor.call('PATCH', `/api/moniteurs/${monitorId}`, {
      cible: `http://********:********@127.0.0.2:${target.port}/status/200?token=********`,
    });
    expect(moved.status).toBe(400);
    expect(moved.body.erreur).toMatch(
      /^cible: "\*{8}" stands for a secret stored for http:\/\/127\.0\.0\.1:\d+, not for http:\/\/127\.0\.0\.2:\d+: send the value$/,
    );
    expect((await storedRow('moniteurs', monitorId)).cible).toBe(before);
  });

  it('keeps a channel URL token and an ntfy topic sent back as shown', async () => {
    const admin = as(app, actors.admin.token);
    const webhookBefore = await storedRow('canaux', webhookId);
    const shownHook = (await admin.call('GET', `/api/canaux/${webhookId}`)).body.canal.parametres;
    const hook = await admin.call('PATCH', `/api/canaux/${webhookId}`, {
      nom: 'hook renamed',
      parametres: { url: shownHook.url },
    });
    expect(hook.status, JSON.stringify(hook.body)).toBe(200);
    expect((await storedRow('canaux', webhookId)).parametres).toEqual(webhookBefore.parametres);

    const ntfyBefore = await storedRow('canaux', ntfyId);
    const shownNtfy = (await admin.call('GET', `/api/canaux/${ntfyId}`)).body.canal.parametres;
    const viaGraphQL = await admin.gql(
      `mutation ($id: ID!, $input: ChannelInput!) { updateChannel(id: $id, input: $input) { id } }`,
      {
        id: String(ntfyId),
        input: { settings: { server: shownNtfy.server, topic: shownNtfy.topic, priority: 4 } },
      },
    );
    expect(viaGraphQL.errors).toBeUndefined();
    expect((await storedRow('canaux', ntfyId)).parametres).toEqual({
      ...(ntfyBefore.parametres as object),
      priority: 4,
    });
  });
});
