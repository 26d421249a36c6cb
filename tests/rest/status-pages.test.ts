// Status pages over REST (/api/pages-statut) and GraphQL: sections of chosen monitors, one default page served at
// /status, incidents posted and updated by operators, the public view (only listed monitors), and its live
// subscription over SSE.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { insertResults } from '../../server/db/index.ts';
import { createMonitor, result } from '../helpers/factories.ts';
import { dataOf, errorOf, startGraphQLApp, type GraphQLTestApp } from '../helpers/graphql.ts';
import { call, openSse, waitFor } from './support.ts';

let app: GraphQLTestApp;
const streams: AbortController[] = [];

beforeAll(async () => {
  app = await startGraphQLApp();
  await app.scheduler.stop();
}, 60_000);

afterEach(() => {
  for (const stream of streams.splice(0)) stream.abort();
});

afterAll(async () => {
  await app?.close();
});

const PUBLIC_PAGE = `query ($slug: String) { publicStatusPage(slug: $slug) {
  slug title description logoUrl isDefault
  sections { name monitors { id name status } }
  incidents { title status resolvedAt messages { status message } } } }`;

async function publicPage(slug: string | null) {
  return dataOf(await app.gql(PUBLIC_PAGE, { slug })).publicStatusPage;
}

/** A subscription over SSE without credentials, as a logged-out visitor's page opens it; its `next` payloads. */
const sse = (query: string, variables: Record<string, unknown>) => openSse(app, streams, query, variables);

describe('status pages', () => {
  it('start with the default page at /status, listing the monitors an installation had (none here)', async () => {
    const response = await call(app, 'GET', '/api/pages-statut');
    expect(response.status).toBe(200);
    expect(response.body.pages).toEqual([
      expect.objectContaining({ slug: 'status', titre: 'Status', par_defaut: true, sections: [], logo_url: null }),
    ]);
    expect(await publicPage(null)).toMatchObject({ slug: 'status', isDefault: true, sections: [], incidents: [] });
  });

  it('show the monitors of their sections, in order, and only those', async () => {
    const api = await createMonitor(app.testDb.db, { name: 'API', paused: true });
    const web = await createMonitor(app.testDb.db, { name: 'Website', paused: true });
    const hidden = await createMonitor(app.testDb.db, { name: 'Internal billing', paused: true });
    const created = await call(app, 'POST', '/api/pages-statut', {
      slug: 'shop',
      titre: 'Shop status',
      description: 'Our shop, live.',
      logo_url: 'https://example.com/logo.png',
      sections: [
        { nom: 'Front', moniteurs: [web.id, api.id] },
        { nom: 'Back', moniteurs: [api.id] },
      ],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.page).toMatchObject({
      slug: 'shop',
      titre: 'Shop status',
      par_defaut: false,
      sections: [
        { nom: 'Front', moniteurs: [web.id, api.id] },
        { nom: 'Back', moniteurs: [api.id] },
      ],
    });

    const shown = await publicPage('shop');
    expect(shown).toEqual({
      slug: 'shop',
      title: 'Shop status',
      description: 'Our shop, live.',
      logoUrl: 'https://example.com/logo.png',
      isDefault: false,
      sections: [
        {
          name: 'Front',
          monitors: [
            { id: String(web.id), name: 'Website', status: 'PAUSED' },
            { id: String(api.id), name: 'API', status: 'PAUSED' },
          ],
        },
        { name: 'Back', monitors: [{ id: String(api.id), name: 'API', status: 'PAUSED' }] },
      ],
      incidents: [],
    });
    expect(JSON.stringify(shown)).not.toContain('Internal billing');
    expect(await publicPage('no-such-page')).toBeNull();

    // A listed monitor's badges are public; an unlisted one's are not.
    expect((await app.request(`/badge/${api.id}/status.svg`)).status).toBe(200);
    expect((await app.request(`/badge/${hidden.id}/status.svg`)).status).toBe(404);

    // A deleted monitor leaves its sections.
    await call(app, 'DELETE', `/api/moniteurs/${web.id}`);
    expect((await publicPage('shop')).sections[0].monitors).toEqual([
      { id: String(api.id), name: 'API', status: 'PAUSED' },
    ]);
  });

  it('move the default page, which publicStatus (/status) shows', async () => {
    const listed = await createMonitor(app.testDb.db, { name: 'Listed', paused: true });
    await createMonitor(app.testDb.db, { name: 'Not listed', paused: true });
    const created = dataOf(
      await app.gql(
        `mutation ($input: CreateStatusPageInput!) { createStatusPage(input: $input) { id slug isDefault sections { name monitorIds monitors { name } } } }`,
        {
          input: {
            slug: 'main',
            title: 'Main',
            isDefault: true,
            sections: [{ name: 'All', monitorIds: [String(listed.id)] }],
          },
        },
      ),
    ).createStatusPage;
    expect(created).toMatchObject({
      slug: 'main',
      isDefault: true,
      sections: [{ name: 'All', monitorIds: [String(listed.id)], monitors: [{ name: 'Listed' }] }],
    });
    const pages = (await call(app, 'GET', '/api/pages-statut')).body.pages;
    expect(
      pages.filter((page: { par_defaut: boolean }) => page.par_defaut).map((page: { slug: string }) => page.slug),
    ).toEqual(['main']);
    expect((await publicPage(null)).slug).toBe('main');
    const status = dataOf(await app.gql('{ publicStatus { name } }')).publicStatus;
    expect(status).toEqual([{ name: 'Listed' }]);

    const renamed = dataOf(
      await app.gql(
        `mutation ($id: ID!) { updateStatusPage(id: $id, input: { title: "Main status", logoUrl: null }) { title slug sections { name } } }`,
        {
          id: created.id,
        },
      ),
    ).updateStatusPage;
    expect(renamed).toEqual({ title: 'Main status', slug: 'main', sections: [{ name: 'All' }] });
  });

  it('refuse bad input with the field named, in each API’s words', async () => {
    const monitor = await createMonitor(app.testDb.db, { paused: true });
    const cases: Array<[unknown, number, RegExp]> = [
      [{ slug: 'Bad Slug', titre: 'x' }, 400, /^slug: must be lower-case/],
      [{ slug: 'status', titre: 'x' }, 409, /^slug: another status page is at \/status\/status$/],
      [{ slug: 'ok', titre: '' }, 400, /^titre: is required$/],
      [{ slug: 'ok' }, 400, /^titre: is required$/],
      [{ slug: 'ok', titre: 'x', logo_url: 'javascript:alert(1)' }, 400, /^logo_url: must be an http or https URL$/],
      [
        { slug: 'ok', titre: 'x', sections: [{ nom: 'a', moniteurs: [999999] }] },
        400,
        /^sections\.0\.moniteurs: monitor 999999 does not exist$/,
      ],
      [
        { slug: 'ok', titre: 'x', sections: [{ nom: 'a', moniteurs: [monitor.id, monitor.id] }] },
        400,
        /^sections\.0\.moniteurs: lists a monitor twice$/,
      ],
      [{ slug: 'ok', titre: 'x', sections: [{ name: 'a' }] }, 400, /^sections\.0: unknown field "name"/],
      [{ slug: 'ok', titre: 'x', theme: 'dark' }, 400, /^unknown field "theme"/],
      [[], 400, /^expected a JSON object describing a status page$/],
    ];
    for (const [body, status, message] of cases) {
      const response = await call(app, 'POST', '/api/pages-statut', body);
      expect(response.status, JSON.stringify(body)).toBe(status);
      expect(response.body.erreur).toMatch(message);
    }
    expect((await call(app, 'PATCH', '/api/pages-statut/999999', { titre: 'x' })).status).toBe(404);
    expect((await call(app, 'DELETE', '/api/pages-statut/999999')).status).toBe(404);

    const graphql = await app.gql(
      `mutation { createStatusPage(input: { slug: "g", title: "G", sections: [{ name: "a", monitorIds: ["999999"] }] }) { id } }`,
    );
    expect(errorOf(graphql, 'BAD_USER_INPUT').message).toMatch(/monitor 999999 does not exist/);
  });

  it('carry incidents from investigating to resolved, each message kept, resolved ones shown for a week', async () => {
    const page = (await call(app, 'POST', '/api/pages-statut', { slug: 'incidents', titre: 'Incidents' })).body.page;
    const other = (await call(app, 'POST', '/api/pages-statut', { slug: 'other', titre: 'Other' })).body.page;
    const posted = await call(app, 'POST', `/api/pages-statut/${page.id}/incidents`, {
      titre: 'Checkout errors',
      message: 'Some payments fail; we are looking into it.',
    });
    expect(posted.status, JSON.stringify(posted.body)).toBe(201);
    const incident = posted.body.incident;
    expect(incident).toMatchObject({
      page_id: page.id,
      titre: 'Checkout errors',
      statut: 'investigating',
      resolu_a: null,
      messages: [{ statut: 'investigating', message: 'Some payments fail; we are looking into it.' }],
    });

    const identified = await call(app, 'PATCH', `/api/pages-statut/${page.id}/incidents/${incident.id}`, {
      statut: 'identified',
      message: 'A certificate expired at the payment provider.',
    });
    expect(identified.status).toBe(200);
    expect(identified.body.incident.statut).toBe('identified');
    expect(identified.body.incident.messages.map((m: { statut: string }) => m.statut)).toEqual([
      'investigating',
      'identified',
    ]);
    // Another page's incident is not reachable through this one.
    expect(
      (await call(app, 'PATCH', `/api/pages-statut/${other.id}/incidents/${incident.id}`, { statut: 'resolved' }))
        .status,
    ).toBe(404);
    expect((await call(app, 'PATCH', `/api/pages-statut/${page.id}/incidents/${incident.id}`, {})).body.erreur).toBe(
      'give a status, a message or a title',
    );
    expect(
      (await call(app, 'PATCH', `/api/pages-statut/${page.id}/incidents/${incident.id}`, { statut: 'fixed' })).body
        .erreur,
    ).toMatch(/^statut: must be one of investigating, identified, monitoring, resolved$/);

    const resolved = dataOf(
      await app.gql(
        `mutation ($id: ID!) { updateStatusPageIncident(id: $id, input: { status: RESOLVED, message: "Fixed." }) { status resolvedAt } }`,
        { id: String(incident.id) },
      ),
    ).updateStatusPageIncident;
    expect(resolved.status).toBe('RESOLVED');
    expect(Date.parse(resolved.resolvedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect((await publicPage('incidents')).incidents).toEqual([
      {
        title: 'Checkout errors',
        status: 'RESOLVED',
        resolvedAt: resolved.resolvedAt,
        messages: [
          { status: 'INVESTIGATING', message: 'Some payments fail; we are looking into it.' },
          { status: 'IDENTIFIED', message: 'A certificate expired at the payment provider.' },
          { status: 'RESOLVED', message: 'Fixed.' },
        ],
      },
    ]);

    // Resolved more than a week ago: off the public page, still in the page's history.
    await app.testDb.db.query(
      `UPDATE monitoring.incidents_page SET resolu_a = now() - interval '8 days' WHERE id = $1`,
      [incident.id],
    );
    expect((await publicPage('incidents')).incidents).toEqual([]);
    expect((await call(app, 'GET', `/api/pages-statut/${page.id}/incidents`)).body.incidents).toHaveLength(1);

    expect((await call(app, 'DELETE', `/api/pages-statut/${page.id}/incidents/${incident.id}`)).status).toBe(204);
    expect((await call(app, 'GET', `/api/pages-statut/${page.id}/incidents`)).body.incidents).toEqual([]);
    expect((await call(app, 'DELETE', `/api/pages-statut/${page.id}`)).status).toBe(204);
    expect(await publicPage('incidents')).toBeNull();
  });

  it('follow a page live without credentials: its incidents, its settings, its monitors’ states and names', async () => {
    const monitor = await createMonitor(app.testDb.db, { name: 'Live API' });
    const page = (
      await call(app, 'POST', '/api/pages-statut', {
        slug: 'live',
        titre: 'Live',
        sections: [{ nom: 'Services', moniteurs: [monitor.id] }],
      })
    ).body.page;
    const events = await sse(
      `subscription ($slug: String) { statusPageChanged(slug: $slug) { title sections { monitors { name status } } incidents { title status } } }`,
      { slug: 'live' },
    );

    await call(app, 'POST', `/api/pages-statut/${page.id}/incidents`, { titre: 'Slow pages', message: 'Looking.' });
    await waitFor('the incident, live', () =>
      events().some((event) => event.data?.statusPageChanged?.incidents?.[0]?.title === 'Slow pages'),
    );

    await insertResults(app.testDb.db, [result(monitor.id, false, { checkedAt: new Date() })]);
    await waitFor('the monitor going down, live', () =>
      events().some((event) => event.data?.statusPageChanged?.sections?.[0]?.monitors?.[0]?.status === 'DOWN'),
    );

    const renamed = await call(app, 'PATCH', `/api/moniteurs/${monitor.id}`, { nom: 'Live API v2' });
    expect(renamed.status).toBe(200);
    await waitFor('the monitor’s new name, live', () =>
      events().some((event) => event.data?.statusPageChanged?.sections?.[0]?.monitors?.[0]?.name === 'Live API v2'),
    );

    await call(app, 'PATCH', `/api/pages-statut/${page.id}`, { titre: 'Live status' });
    await waitFor('the new title, live', () =>
      events().some((event) => event.data?.statusPageChanged?.title === 'Live status'),
    );
    expect(events().every((event) => event.errors === undefined)).toBe(true);

    // Another page's changes do not wake this one.
    const count = events().length;
    const other = (await call(app, 'POST', '/api/pages-statut', { slug: 'quiet', titre: 'Quiet' })).body.page;
    await call(app, 'POST', `/api/pages-statut/${other.id}/incidents`, { titre: 'Elsewhere', message: 'x' });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(events().length).toBe(count);

    const missing = await sse('subscription { statusPageChanged(slug: "nope") { title } }', {});
    await waitFor('the refusal', () => missing().length > 0);
    expect(missing()[0].errors[0].extensions.code).toBe('NOT_FOUND');
  });
});
