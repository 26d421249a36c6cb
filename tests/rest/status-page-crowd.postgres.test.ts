// A crowd of logged-out visitors on one status page, with authentication on (as in production): they share one
// execution, so a change of the page is read once rather than once per visitor, and one address cannot open
// live streams without end. Two instances on one database: an admin one without logins makes the page, the
// visitors follow it on the other.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MAX_ANONYMOUS_SUBSCRIPTIONS_PER_ADDRESS } from '../../server/graphql/server.ts';
import { createMonitor } from '../helpers/factories.ts';
import { startGraphQLApp, type GraphQLTestApp } from '../helpers/graphql.ts';
import { call, openSse, waitFor } from './support.ts';

let admin: GraphQLTestApp;
let visited: GraphQLTestApp;
const streams: AbortController[] = [];

beforeAll(async () => {
  admin = await startGraphQLApp();
  visited = await startGraphQLApp({ sharing: admin.testDb, env: { AUTH_DISABLED: 'false' } });
  await Promise.all([admin.scheduler.stop(), visited.scheduler.stop()]);
}, 60_000);

afterEach(() => {
  for (const stream of streams.splice(0)) stream.abort();
});

afterAll(async () => {
  for (const stream of streams.splice(0)) stream.abort();
  await visited?.close();
  await admin?.close();
});

const QUERY = 'subscription ($slug: String) { statusPageChanged(slug: $slug) { title incidents { title } } }';

describe('a crowd on a public status page', () => {
  it('is served from one read per change, and one address’s live streams are capped', async () => {
    const monitor = await createMonitor(admin.testDb.db, { name: 'Crowded API' });
    const page = (
      await call(admin, 'POST', '/api/pages-statut', {
        slug: 'crowded',
        titre: 'Crowded',
        sections: [{ nom: 'Services', moniteurs: [monitor.id] }],
      })
    ).body.page;
    const visitors: Array<() => any[]> = [];
    for (let i = 0; i < 40; i++) visitors.push(await openSse(visited, streams, QUERY, { slug: 'crowded' }));
    visited.resetStatements();
    await call(admin, 'POST', `/api/pages-statut/${page.id}/incidents`, { titre: 'Busy', message: 'Looking.' });
    await waitFor('the incident, to every visitor', () =>
      visitors.every((events) => events().some((event) => event.data?.statusPageChanged?.incidents?.[0]?.title)),
    );
    expect(visitors.every((events) => events().every((event) => event.errors === undefined))).toBe(true);
    // Read once for the change, whatever the number of visitors (40): one visitor's worth of statements.
    const pageReads = visited.statements.filter((statement) => /pages_statut/.test(statement.sql)).length;
    expect(pageReads).toBeGreaterThan(0);
    expect(pageReads).toBeLessThan(10);

    // All these requests come from one address: past the cap, the next live stream is declined.
    while (visitors.length < MAX_ANONYMOUS_SUBSCRIPTIONS_PER_ADDRESS) {
      visitors.push(await openSse(visited, streams, QUERY, { slug: 'crowded' }));
    }
    const declined = await openSse(visited, streams, QUERY, { slug: 'crowded' });
    await waitFor('the refusal', () => declined().length > 0);
    expect(declined()[0].errors[0].extensions.code).toBe('TOO_MANY_SUBSCRIPTIONS');
    // One leaving makes room for another.
    streams[0]!.abort();
    await waitFor('a stream accepted again', async () => {
      const again = await openSse(visited, streams, QUERY, { slug: 'crowded' });
      await new Promise((resolve) => setTimeout(resolve, 200));
      return again().every((event) => event.errors === undefined);
    });
  });
});
