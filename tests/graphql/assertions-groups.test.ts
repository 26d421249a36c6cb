// GraphQL: CreateMonitorInput.assertions/group/dependsOn and Monitor.assertions/group/dependsOn; a bad assertion
// or a cycle is BAD_USER_INPUT naming the field, the condition and the position.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataOf, errorOf, startGraphQLApp, type GraphQLTestApp } from '../helpers/graphql.ts';
import { startHttpTarget, type HttpTarget } from '../helpers/targets.ts';

let app: GraphQLTestApp;
let target: HttpTarget;

beforeAll(async () => {
  [app, target] = await Promise.all([startGraphQLApp(), startHttpTarget()]);
  target.setBody('{"status":"UP"}');
}, 60_000);

afterAll(async () => {
  await Promise.all([app?.close(), target?.close()]);
});

const FIELDS = 'id assertions group dependsOn lastResult { isUp error }';
const CREATE = `mutation ($input: CreateMonitorInput!) { createMonitor(input: $input) { ${FIELDS} } }`;
const UPDATE = `mutation ($id: ID!, $input: UpdateMonitorInput!) { updateMonitor(id: $id, input: $input) { ${FIELDS} } }`;
const READ = `query ($id: ID!) { monitor(id: $id) { ${FIELDS} } }`;

describe('assertions, groups and dependencies over GraphQL', () => {
  it('creates, reads and changes them', async () => {
    const base = { kind: 'HTTP', target: `${target.url}/`, intervalSeconds: 60, paused: true };
    const parent = dataOf(await app.gql(CREATE, { input: { ...base, name: 'parent' } })).createMonitor;
    const assertions = ['status == 200', 'body.$.status == "UP"', 'header.content-type contains text'];
    const child = dataOf(
      await app.gql(CREATE, { input: { ...base, name: 'child', assertions, group: 'Shop', dependsOn: parent.id } }),
    ).createMonitor;
    expect(child).toMatchObject({ assertions, group: 'Shop', dependsOn: parent.id });
    expect(dataOf(await app.gql(READ, { id: child.id })).monitor).toMatchObject({ assertions, group: 'Shop' });

    const cleared = dataOf(await app.gql(UPDATE, { id: child.id, input: { group: null, dependsOn: null } }));
    expect(cleared.updateMonitor).toMatchObject({ assertions, group: null, dependsOn: null });

    const self = errorOf(await app.gql(UPDATE, { id: parent.id, input: { dependsOn: parent.id } }), 'BAD_USER_INPUT');
    expect(self).toMatchObject({
      message: 'dependsOn: a monitor cannot depend on itself',
      extensions: { field: 'dependsOn' },
    });
  });

  it('refuses a bad assertion, naming it and the position', async () => {
    const input = {
      name: 'bad',
      kind: 'HTTP',
      target: `${target.url}/`,
      paused: true,
      assertions: ['status == 200', 'body.$.status === "UP"'],
    };
    const error = errorOf(await app.gql(CREATE, { input }), 'BAD_USER_INPUT');
    expect(error.message).toBe(
      'assertions.1: "body.$.status === "UP"" at position 15: unknown operator "===" (expected ==, !=, <, <=, >, >=, contains, !contains)',
    );
    expect(error.extensions?.field).toBe('assertions.1');
  });
});
