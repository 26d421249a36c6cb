// /graphql over HTTP reads at most 1 MiB of body, like the REST API: 413 beyond, declared or streamed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_GRAPHQL_REQUEST_BYTES } from '../../server/graphql/server.ts';
import { startGraphQLApp, type GraphQLTestApp } from '../helpers/graphql.ts';

const MIB = 1024 * 1024;

let app: GraphQLTestApp;

beforeAll(async () => {
  app = await startGraphQLApp();
});

afterAll(async () => {
  await app?.close();
});

/** A valid query padded with spaces to exactly `bytes` bytes of JSON. */
function paddedQuery(bytes: number): string {
  const body = JSON.stringify({ query: '{ health { ok } }' });
  return `${body.slice(0, -1)}${' '.repeat(bytes - body.length)}}`;
}

const post = (body: BodyInit, init: RequestInit = {}) =>
  app.request('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body, ...init });

describe('GraphQL request body size', () => {
  it('is 1 MiB', () => {
    expect(MAX_GRAPHQL_REQUEST_BYTES).toBe(MIB);
  });

  it('answers a body of exactly 1 MiB', async () => {
    const response = await post(paddedQuery(MIB));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { health: { ok: true } } });
  });

  it('refuses a larger one with 413, by its Content-Length', async () => {
    const response = await post(paddedQuery(MIB + 1));
    expect(response.status).toBe(413);
    const body = await response.json();
    expect(body.errors[0]).toMatchObject({
      message: 'Request body too large',
      extensions: { code: 'REQUEST_ENTITY_TOO_LARGE' },
    });
    expect(body.data).toBeUndefined();
  });

  it('refuses a larger one sent without a length (chunked) once it passes 1 MiB', async () => {
    const chunk = new TextEncoder().encode(' '.repeat(64 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent === 0) controller.enqueue(new TextEncoder().encode('{"query": "{ health { ok } }"'));
        if (sent > 2 * MIB) {
          controller.enqueue(new TextEncoder().encode('}'));
          controller.close();
          return;
        }
        controller.enqueue(chunk);
        sent += chunk.length;
      },
    });
    const response = await post(stream, { duplex: 'half' } as RequestInit);
    expect(response.status).toBe(413);
    // the server still answers afterwards
    expect((await app.gql('{ health { ok } }')).data).toEqual({ health: { ok: true } });
  });
});
