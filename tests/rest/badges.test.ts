// GET /badge/<id or slug>/status.svg, uptime.svg, latency.svg: opt-in per monitor, shields-style SVG, escaped
// text, a few seconds of cache; a monitor not opted in answers exactly like one that does not exist.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertResults } from '../../server/db/index.ts';
import { createMonitor, result } from '../helpers/factories.ts';
import { dataOf, startGraphQLApp, type GraphQLTestApp } from '../helpers/graphql.ts';
import { call, moniteurBody } from './support.ts';

let app: GraphQLTestApp;

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);

async function badge(path: string) {
  const response = await app.request(path);
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** What the badge says: its accessible name, "label: message". */
const titleOf = (svg: string) => /<title>([^<]*)<\/title>/.exec(svg)?.[1];

beforeAll(async () => {
  app = await startGraphQLApp();
  // Results are written by the tests only.
  await app.scheduler.stop();
}, 60_000);

afterAll(async () => {
  await app?.close();
});

describe('badges', () => {
  it('are off by default, and then answer exactly like a monitor that does not exist', async () => {
    const monitor = await createMonitor(app.testDb.db, { name: 'Private API', paused: true });
    expect(monitor.badgesEnabled).toBe(false);
    expect(monitor.slug).toBeNull();
    await call(app, 'PATCH', `/api/moniteurs/${monitor.id}`, { slug: 'private-api' });

    const missing = await badge('/badge/999999/status.svg');
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.text)).toEqual({ erreur: 'no such badge' });
    const headersOf = (headers: Headers) =>
      [...headers.entries()].filter(([name]) => name !== 'date' && name !== 'etag').sort();
    for (const kind of ['status', 'uptime', 'latency']) {
      for (const ref of [String(monitor.id), 'private-api']) {
        const hidden = await badge(`/badge/${ref}/${kind}.svg`);
        expect(hidden.status, `${ref}/${kind}`).toBe(404);
        expect(hidden.text).toBe(missing.text);
        expect(headersOf(hidden.headers)).toEqual(headersOf(missing.headers));
        expect(hidden.text).not.toContain('Private');
      }
    }
    expect((await badge('/badge/no-such-slug/uptime.svg')).text).toBe(missing.text);
  });

  it('are served for a monitor a status page lists, badges off, and no longer once no page lists it', async () => {
    const monitor = await createMonitor(app.testDb.db, { name: 'Listed API', paused: true });
    expect(monitor.badgesEnabled).toBe(false);
    expect((await badge(`/badge/${monitor.id}/status.svg`)).status).toBe(404);
    const created = await call(app, 'POST', '/api/pages-statut', {
      slug: 'badge-page',
      titre: 'Badges',
      sections: [{ nom: 'APIs', moniteurs: [monitor.id] }],
    });
    expect(created.status).toBe(201);
    const listed = await badge(`/badge/${monitor.id}/status.svg`);
    expect(listed.status).toBe(200);
    expect(titleOf(listed.text)).toBe('Listed API: paused');
    await call(app, 'PATCH', `/api/pages-statut/${created.body.page.id}`, { sections: [] });
    expect((await badge(`/badge/${monitor.id}/status.svg`)).status).toBe(404);
  });

  it('show the status under the monitor’s name, by id or by slug, as cacheable SVG', async () => {
    const created = await call(
      app,
      'POST',
      '/api/moniteurs',
      moniteurBody('http://127.0.0.1:9/', { nom: 'Shop', badges_actifs: true, slug: 'shop' }),
    );
    expect(created.status).toBe(201);
    expect(created.body.moniteur).toMatchObject({ badges_actifs: true, slug: 'shop' });
    const id = created.body.moniteur.id as number;

    const pending = await badge(`/badge/${id}/status.svg`);
    expect(pending.status).toBe(200);
    expect(pending.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    expect(pending.headers.get('cache-control')).toBe('public, max-age=10');
    expect(pending.text).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="\d+" height="20"/);
    expect(titleOf(pending.text)).toBe('Shop: pending');

    await insertResults(app.testDb.db, [result(id, true, { checkedAt: minutesAgo(2) })]);
    const up = await badge('/badge/shop/status.svg');
    expect(titleOf(up.text)).toBe('Shop: up');
    expect(up.text).toContain('fill="#4c1"');

    await insertResults(app.testDb.db, [result(id, false, { checkedAt: minutesAgo(1) })]);
    const down = await badge('/badge/shop/status.svg');
    expect(titleOf(down.text)).toBe('Shop: down');
    expect(down.text).toContain('fill="#e05d44"');
    // HEAD answers as GET does, without the body; other methods are refused with what is allowed.
    const head = await app.request('/badge/shop/status.svg', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    expect(head.headers.get('cache-control')).toBe('public, max-age=10');
    expect(head.headers.get('content-length')).toBe(String(Buffer.byteLength(down.text)));
    expect(await head.text()).toBe('');
    expect((await app.request('/badge/999999/status.svg', { method: 'HEAD' })).status).toBe(404);
    const posted = await app.request('/badge/shop/status.svg', { method: 'POST' });
    expect(posted.status).toBe(405);
    expect(posted.headers.get('allow')).toBe('GET, HEAD');
    // A longer message makes a wider badge.
    const widthOf = (svg: string) => Number(/width="(\d+)"/.exec(svg)![1]);
    expect(widthOf(pending.text)).toBeGreaterThan(widthOf(down.text));

    await call(app, 'POST', `/api/moniteurs/${id}/pause`);
    expect(titleOf((await badge('/badge/shop/status.svg')).text)).toBe('Shop: paused');

    await call(app, 'PATCH', `/api/moniteurs/${id}`, { badges_actifs: false });
    expect((await badge('/badge/shop/status.svg')).status).toBe(404);
  });

  it('give uptime and average latency over a window (30 days and 24 hours by default)', async () => {
    const monitor = await createMonitor(app.testDb.db, {
      name: 'Figures',
      paused: true,
      badgesEnabled: true,
      slug: 'figures',
      slowThresholdMs: 150,
    });
    expect(titleOf((await badge('/badge/figures/uptime.svg')).text)).toBe('uptime 30d: no data');
    expect(titleOf((await badge('/badge/figures/latency.svg')).text)).toBe('latency 24h: no data');

    await insertResults(app.testDb.db, [
      // Ten days ago: in 30 days, not in 24 hours.
      result(monitor.id, false, { checkedAt: minutesAgo(10 * 24 * 60) }),
      result(monitor.id, true, { checkedAt: minutesAgo(30), latencyMs: 100 }),
      result(monitor.id, true, { checkedAt: minutesAgo(20), latencyMs: 200 }),
      result(monitor.id, true, { checkedAt: minutesAgo(10), latencyMs: 300 }),
    ]);
    const month = await badge('/badge/figures/uptime.svg');
    expect(month.status).toBe(200);
    expect(titleOf(month.text)).toBe('uptime 30d: 75%');
    expect(month.text).toContain('fill="#e05d44"');
    const day = await badge(`/badge/${monitor.id}/uptime.svg?window=24h`);
    expect(titleOf(day.text)).toBe('uptime 24h: 100%');
    expect(day.text).toContain('fill="#4c1"');

    // 200 ms on average, above the monitor's 150 ms slow threshold.
    const latency = await badge('/badge/figures/latency.svg');
    expect(titleOf(latency.text)).toBe('latency 24h: 200 ms');
    expect(latency.text).toContain('fill="#dfb317"');
    expect(titleOf((await badge('/badge/figures/latency.svg?window=1h')).text)).toBe('latency 1h: 200 ms');

    const bad = await call(app, 'GET', '/badge/figures/uptime.svg?window=forever');
    expect(bad.status).toBe(400);
    expect(bad.body.erreur).toMatch(/^window: expected one of/);
    expect((await call(app, 'GET', '/badge/figures/uptime.svg?window=constructor')).status).toBe(400);
  });

  it('escape every text they draw', async () => {
    const hostile = `<script>alert("x")</script> & 'co'`;
    const monitor = await createMonitor(app.testDb.db, { name: hostile, paused: true, badgesEnabled: true });
    const svg = (await badge(`/badge/${monitor.id}/status.svg`)).text;
    expect(svg).not.toContain('<script');
    expect(svg).not.toContain(`"x"`);
    expect(svg).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &apos;co&apos;');

    const labelled = await badge(`/badge/${monitor.id}/status.svg?label=${encodeURIComponent('</text><a href="x">')}`);
    expect(titleOf(labelled.text)).toBe('&lt;/text&gt;&lt;a href=&quot;x&quot;&gt;: paused');
    expect(labelled.text).not.toContain('<a ');
    expect((await call(app, 'GET', `/badge/${monitor.id}/status.svg?label=${'x'.repeat(101)}`)).status).toBe(400);
  });

  it('refuse a slug that is taken, malformed or only digits, over REST and GraphQL', async () => {
    await createMonitor(app.testDb.db, { name: 'Taken', paused: true, slug: 'taken' });
    const other = await createMonitor(app.testDb.db, { name: 'Other', paused: true });

    const taken = await call(app, 'PATCH', `/api/moniteurs/${other.id}`, { slug: 'taken' });
    expect(taken.status).toBe(409);
    expect(taken.body.erreur).toBe('slug: already used by another monitor');
    const created = await call(app, 'POST', '/api/moniteurs', moniteurBody('http://127.0.0.1:9/', { slug: 'taken' }));
    expect(created.status).toBe(409);
    for (const slug of ['123', 'Upper', '-dash', 'dash-', 'a'.repeat(65), 'spa ce']) {
      const response = await call(app, 'PATCH', `/api/moniteurs/${other.id}`, { slug });
      expect(response.status, slug).toBe(400);
      expect(response.body.erreur).toMatch(/^slug: /);
    }

    const updated = dataOf(
      await app.gql(
        `mutation ($id: ID!) { updateMonitor(id: $id, input: { slug: "other", badgesEnabled: true }) { slug badgesEnabled } }`,
        { id: String(other.id) },
      ),
    );
    expect(updated.updateMonitor).toEqual({ slug: 'other', badgesEnabled: true });
    expect(titleOf((await badge('/badge/other/status.svg')).text)).toBe('Other: paused');
    const cleared = dataOf(
      await app.gql(`mutation ($id: ID!) { updateMonitor(id: $id, input: { slug: null }) { slug } }`, {
        id: String(other.id),
      }),
    );
    expect(cleared.updateMonitor.slug).toBeNull();
    expect((await badge('/badge/other/status.svg')).status).toBe(404);
  });
});
