// The access policy, route by route and field by field: every REST route and every GraphQL root field declares
// who may call it, and with authentication on, each one refuses whoever is below that (401/UNAUTHENTICATED
// without credentials, 403/FORBIDDEN with too low a role) without changing anything. The lists come from the
// router's inventory and the schema: a route or field added later is exercised at once, and the reviewed-policy
// test fails until REVIEWED_POLICY lists it.
import {
  getNamedType,
  isAbstractType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLField,
  type GraphQLInputType,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roleAtLeast, type Access, type Role } from '../../server/auth/index.ts';
import { schema } from '../../server/graphql/schema.ts';
import { createRestRouter, type RestDeps } from '../../server/rest/index.ts';
import { insertResults } from '../../server/results/index.ts';
import type { TestApp } from '../helpers/app.ts';
import { raiseDownAlert, result } from '../helpers/factories.ts';
import { collect } from '../helpers/graphql.ts';
import { silentLogger } from '../helpers/logger.ts';
import {
  as,
  codesOf,
  createActors,
  createApiKey,
  liveClient,
  startAuthApp,
  unchanged,
  type Actors,
  type LiveClient,
} from './support.ts';

const ACCESS: readonly Access[] = ['public', 'viewer', 'editor', 'admin'];
const TARGET = 'http://127.0.0.1:9/';

// Registering routes does not touch their dependencies: placeholders are enough to read the inventory.
const ROUTES = createRestRouter({ logger: silentLogger() } as unknown as RestDeps).inventory();
const routeName = (route: { method: string; path: string }) => `${route.method} ${route.path}`;

type RootKind = 'Query' | 'Mutation' | 'Subscription';
interface RootField {
  kind: RootKind;
  name: string;
  field: GraphQLField<unknown, unknown>;
  /** The declared scopes (authScopes), as Pothos keeps them in the field's extensions. */
  scopes: Record<string, unknown> | undefined;
}

const ROOT_FIELDS: RootField[] = (['Query', 'Mutation', 'Subscription'] as const).flatMap((kind) => {
  const type =
    kind === 'Query'
      ? schema.getQueryType()
      : kind === 'Mutation'
        ? schema.getMutationType()
        : schema.getSubscriptionType();
  return Object.values(type?.getFields() ?? {}).map((field) => ({
    kind,
    name: field.name,
    field,
    scopes: (field.extensions as { pothosOptions?: { authScopes?: Record<string, unknown> } }).pothosOptions
      ?.authScopes,
  }));
});

/** The one access a root field declares. */
function accessOf(root: RootField): Access {
  const declared = Object.entries(root.scopes ?? {})
    .filter(([, value]) => value === true)
    .map(([scope]) => scope);
  expect(declared, `${root.kind}.${root.name} must declare exactly one of ${ACCESS.join(', ')}`).toHaveLength(1);
  return declared[0] as Access;
}

/** What someone with `role` (null: no credentials) must get from something requiring `access`. */
function refusalFor(access: Access, role: Role | null): 'UNAUTHENTICATED' | 'FORBIDDEN' | null {
  if (access === 'public') return null;
  if (role === null) return 'UNAUTHENTICATED';
  return roleAtLeast(role, access) ? null : 'FORBIDDEN';
}

// The policy as reviewed. Lowering a route's or a field's access, or adding one, must show up here in review:
// the enforcement tests below only check that each declared access is enforced.
const REVIEWED_POLICY: Record<string, Access> = {
  'POST /api/verifier': 'editor',
  'GET /api/resultats': 'viewer',
  'DELETE /api/resultats': 'admin',
  'GET /api/etat': 'public',
  'GET /badge/:ref/status.svg': 'public',
  'GET /badge/:ref/uptime.svg': 'public',
  'GET /badge/:ref/latency.svg': 'public',
  'GET /api/moniteurs': 'viewer',
  'POST /api/moniteurs': 'editor',
  'GET /api/moniteurs/:id': 'viewer',
  'PUT /api/moniteurs/:id': 'editor',
  'PATCH /api/moniteurs/:id': 'editor',
  'DELETE /api/moniteurs/:id': 'editor',
  'POST /api/moniteurs/:id/pause': 'editor',
  'POST /api/moniteurs/:id/reprise': 'editor',
  'POST /api/moniteurs/:id/jeton-ping': 'editor',
  // Heartbeat pings: the token in the path is the credential.
  'GET /api/ping/:token': 'public',
  'POST /api/ping/:token': 'public',
  'GET /api/ping/:token/start': 'public',
  'POST /api/ping/:token/start': 'public',
  'GET /api/ping/:token/fail': 'public',
  'POST /api/ping/:token/fail': 'public',
  'GET /api/moniteurs/:id/resultats': 'viewer',
  'GET /api/moniteurs/:id/stats': 'viewer',
  'GET /api/canaux': 'viewer',
  'POST /api/canaux': 'admin',
  'GET /api/canaux/:id': 'viewer',
  'PATCH /api/canaux/:id': 'admin',
  'DELETE /api/canaux/:id': 'admin',
  'POST /api/canaux/:id/test': 'admin',
  'GET /api/moniteurs/:id/canaux': 'viewer',
  'PUT /api/moniteurs/:id/canaux': 'editor',
  'GET /api/alertes': 'viewer',
  'POST /api/alertes/:id/acquitter': 'editor',
  'GET /api/alertes/:id/livraisons': 'viewer',
  'GET /api/livraisons': 'viewer',
  'POST /api/livraisons/:id/relancer': 'editor',
  'GET /api/maintenances': 'viewer',
  'POST /api/maintenances': 'editor',
  'PATCH /api/maintenances/:id': 'editor',
  'DELETE /api/maintenances/:id': 'editor',
  'GET /api/export': 'viewer',
  'GET /api/pages-statut': 'viewer',
  'POST /api/pages-statut': 'editor',
  'GET /api/pages-statut/:id': 'viewer',
  'PATCH /api/pages-statut/:id': 'editor',
  'DELETE /api/pages-statut/:id': 'editor',
  'GET /api/pages-statut/:id/incidents': 'viewer',
  'POST /api/pages-statut/:id/incidents': 'editor',
  'PATCH /api/pages-statut/:id/incidents/:incident_id': 'editor',
  'DELETE /api/pages-statut/:id/incidents/:incident_id': 'editor',
  'GET /api/auth': 'public',
  'POST /api/auth/installation': 'public',
  'POST /api/auth/connexion': 'public',
  'POST /api/auth/deconnexion': 'viewer',
  'PUT /api/auth/mot-de-passe': 'viewer',
  'GET /api/utilisateurs': 'admin',
  'POST /api/utilisateurs': 'admin',
  'PATCH /api/utilisateurs/:id': 'admin',
  'DELETE /api/utilisateurs/:id': 'admin',
  'GET /api/cles-api': 'viewer',
  'POST /api/cles-api': 'viewer',
  'DELETE /api/cles-api/:id': 'viewer',
  'Query.alerts': 'viewer',
  'Query.apiKeys': 'viewer',
  'Query.channels': 'viewer',
  'Query.deliveries': 'viewer',
  'Query.health': 'public',
  'Query.instances': 'viewer',
  'Query.maintenanceSchedule': 'viewer',
  'Query.maintenanceWindows': 'viewer',
  'Query.me': 'viewer',
  'Query.monitor': 'viewer',
  'Query.monitorStats': 'viewer',
  'Query.monitors': 'viewer',
  'Query.publicStatus': 'public',
  'Query.publicStatusPage': 'public',
  'Query.statusPage': 'viewer',
  'Query.statusPages': 'viewer',
  'Query.results': 'viewer',
  'Query.users': 'admin',
  'Mutation.acknowledgeAlert': 'editor',
  'Mutation.changePassword': 'viewer',
  'Mutation.checkNow': 'editor',
  'Mutation.regeneratePingToken': 'editor',
  'Mutation.checkUrl': 'editor',
  'Mutation.createApiKey': 'viewer',
  'Mutation.createChannel': 'admin',
  'Mutation.createMaintenanceWindow': 'editor',
  'Mutation.createMonitor': 'editor',
  'Mutation.createUser': 'admin',
  'Mutation.deleteChannel': 'admin',
  'Mutation.deleteMaintenanceWindow': 'editor',
  'Mutation.deleteMonitor': 'editor',
  'Mutation.deleteUser': 'admin',
  'Mutation.pauseMonitor': 'editor',
  'Mutation.resumeMonitor': 'editor',
  'Mutation.retryDelivery': 'editor',
  'Mutation.revokeApiKey': 'viewer',
  'Mutation.setMonitorChannels': 'editor',
  'Mutation.testChannel': 'admin',
  'Mutation.updateChannel': 'admin',
  'Mutation.updateMaintenanceWindow': 'editor',
  'Mutation.updateMonitor': 'editor',
  'Mutation.updateUser': 'admin',
  'Mutation.createStatusPage': 'editor',
  'Mutation.updateStatusPage': 'editor',
  'Mutation.deleteStatusPage': 'editor',
  'Mutation.postStatusPageIncident': 'editor',
  'Mutation.updateStatusPageIncident': 'editor',
  'Mutation.deleteStatusPageIncident': 'editor',
  'Subscription.alertRaised': 'viewer',
  'Subscription.checkCompleted': 'viewer',
  'Subscription.deliveryUpdated': 'viewer',
  'Subscription.statusPageChanged': 'public',
  'Subscription.monitorStatusChanged': 'viewer',
  'Subscription.monitorsChanged': 'viewer',
};

describe('every access is declared', () => {
  it('each REST route declares public, viewer, editor or admin', () => {
    expect(ROUTES.length).toBeGreaterThan(30);
    for (const route of ROUTES)
      expect(ACCESS, `${routeName(route)} declares ${String(route.access)}`).toContain(route.access);
  });

  it('only the login flow, the health endpoint, the opted-in badges and heartbeat pings are public over REST', () => {
    const open = ROUTES.filter((route) => route.access === 'public')
      .map(routeName)
      .sort();
    expect(open).toEqual([
      'GET /api/auth',
      'GET /api/etat',
      'GET /api/ping/:token',
      'GET /api/ping/:token/fail',
      'GET /api/ping/:token/start',
      'GET /badge/:ref/latency.svg',
      'GET /badge/:ref/status.svg',
      'GET /badge/:ref/uptime.svg',
      'POST /api/auth/connexion',
      'POST /api/auth/installation',
      'POST /api/ping/:token',
      'POST /api/ping/:token/fail',
      'POST /api/ping/:token/start',
    ]);
  });

  it('each GraphQL root field declares authScopes with one of public, viewer, editor or admin', () => {
    expect(ROOT_FIELDS.filter((root) => root.kind === 'Subscription').length).toBeGreaterThan(0);
    for (const root of ROOT_FIELDS) {
      expect(root.scopes, `${root.kind}.${root.name} has no authScopes`).toBeDefined();
      for (const scope of Object.keys(root.scopes!))
        expect(ACCESS, `${root.kind}.${root.name}: scope ${scope}`).toContain(scope);
      accessOf(root);
    }
  });

  it('matches the reviewed policy, route by route and field by field', () => {
    const declared = Object.fromEntries([
      ...ROUTES.map((route) => [routeName(route), route.access] as const),
      ...ROOT_FIELDS.filter((root) => root.scopes).map(
        (root) => [`${root.kind}.${root.name}`, accessOf(root)] as const,
      ),
    ]);
    expect(declared).toEqual(REVIEWED_POLICY);
  });

  it('only the status pages and health are public over GraphQL', () => {
    const open = ROOT_FIELDS.filter((root) => accessOf(root) === 'public')
      .map((root) => `${root.kind}.${root.name}`)
      .sort();
    expect(open).toEqual([
      'Query.health',
      'Query.publicStatus',
      'Query.publicStatusPage',
      'Subscription.statusPageChanged',
    ]);
  });
});

// --- Against a running app with authentication on ---

let app: TestApp;
let actors: Actors;
/** Real rows, so a refusal is never a 404 in disguise. */
const ids = {
  monitor: 0,
  alert: 0,
  channel: 0,
  delivery: 0,
  maintenance: 0,
  user: 0,
  apiKey: 0,
  page: 0,
  incident: 0,
};

beforeAll(async () => {
  app = await startAuthApp();
  actors = await createActors(app);
  const admin = as(app, actors.admin.token);
  const monitor = await admin.call('POST', '/api/moniteurs', {
    nom: 'access policy',
    type: 'http',
    cible: TARGET,
    intervalle_secondes: 60,
    en_pause: true,
  });
  expect(monitor.status, JSON.stringify(monitor.body)).toBe(201);
  ids.monitor = monitor.body.moniteur.id;
  ids.alert = await raiseDownAlert(app.testDb.db, ids.monitor);
  const channel = await admin.call('POST', '/api/canaux', {
    nom: 'access policy',
    type: 'webhook',
    parametres: { url: `${TARGET}hook` },
  });
  expect(channel.status, JSON.stringify(channel.body)).toBe(201);
  ids.channel = channel.body.canal.id;
  // A failed delivery: what "retry now" would send again if it let the wrong person through.
  const { rows } = await app.testDb.db.query<{ id: number }>(
    `INSERT INTO monitoring.livraisons (alerte_id, canal_id, statut, tentatives, derniere_erreur)
     VALUES ($1, $2, 'echouee', 3, 'HTTP 500') RETURNING id`,
    [ids.alert, ids.channel],
  );
  ids.delivery = Number(rows[0]!.id);
  const maintenance = await admin.call('POST', '/api/maintenances', {
    nom: 'access policy',
    debut: '2099-01-01T00:00:00Z',
    fin: '2099-01-01T01:00:00Z',
  });
  expect(maintenance.status, JSON.stringify(maintenance.body)).toBe(201);
  ids.maintenance = maintenance.body.maintenance.id;
  const page = await admin.call('POST', '/api/pages-statut', {
    slug: 'access-policy',
    titre: 'access policy',
    sections: [{ nom: 'Services', moniteurs: [ids.monitor] }],
  });
  expect(page.status, JSON.stringify(page.body)).toBe(201);
  ids.page = page.body.page.id;
  const incident = await admin.call('POST', `/api/pages-statut/${ids.page}/incidents`, {
    titre: 'access policy',
    message: 'posted by the admin',
  });
  expect(incident.status, JSON.stringify(incident.body)).toBe(201);
  ids.incident = incident.body.incident.id;
  // Routes and fields about a user target the viewer: a viewer promoting themselves is the attempt that matters.
  ids.user = actors.viewer.id;
  ids.apiKey = (await createApiKey(app, actors.admin, 'admin')).id;
});

afterAll(async () => {
  await app?.close();
});

// --- REST ---

/** The real id for a route's :id, by the collection it follows. */
function restPath(path: string): string {
  const byCollection: Record<string, number> = {
    moniteurs: ids.monitor,
    alertes: ids.alert,
    canaux: ids.channel,
    livraisons: ids.delivery,
    maintenances: ids.maintenance,
    utilisateurs: ids.user,
    'cles-api': ids.apiKey,
    'pages-statut': ids.page,
    incidents: ids.incident,
  };
  return path.replace(/\/([^/]+)\/:([a-z_]+)/g, (_, collection: string, param: string) => {
    const id = byCollection[collection];
    if (!id) throw new Error(`no real id known for :${param} after /${collection} (${path}): add it to restPath()`);
    return `/${collection}/${id}`;
  });
}

/** A body the route would accept from someone allowed to call it. */
function restBody(method: string, path: string): unknown {
  if (!['POST', 'PUT', 'PATCH'].includes(method)) return undefined;
  const monitor = { nom: 'intruder', type: 'http', cible: TARGET, intervalle_secondes: 60, en_pause: true };
  const bodies: Record<string, unknown> = {
    'POST /api/verifier': { url: TARGET },
    'POST /api/moniteurs': monitor,
    'PUT /api/moniteurs/:id': monitor,
    'PATCH /api/moniteurs/:id': { nom: 'renamed by an intruder' },
    'PUT /api/moniteurs/:id/canaux': { canaux: [ids.channel] },
    'POST /api/canaux': {
      nom: 'intruder',
      type: 'webhook',
      parametres: { url: `${TARGET}intruder` },
      par_defaut: true,
    },
    'PATCH /api/canaux/:id': { nom: 'renamed by an intruder', parametres: { url: `${TARGET}intruder` } },
    'POST /api/maintenances': { nom: 'intruder', debut: '2099-02-01T00:00:00Z', fin: '2099-02-01T01:00:00Z' },
    'PATCH /api/maintenances/:id': { nom: 'renamed by an intruder' },
    'POST /api/utilisateurs': { email: 'intruder@example.com', mot_de_passe: 'intruder password 123', role: 'admin' },
    'PATCH /api/utilisateurs/:id': { role: 'admin' },
    'PUT /api/auth/mot-de-passe': {
      mot_de_passe_actuel: actors.viewer.password,
      nouveau_mot_de_passe: 'a password of the intruder',
    },
    'POST /api/cles-api': { nom: 'intruder', role: 'admin' },
    'POST /api/pages-statut': {
      slug: 'intruder',
      titre: 'intruder',
      sections: [{ nom: 'x', moniteurs: [ids.monitor] }],
    },
    'PATCH /api/pages-statut/:id': { titre: 'renamed by an intruder' },
    'POST /api/pages-statut/:id/incidents': { titre: 'intruder', message: 'intruder' },
    'PATCH /api/pages-statut/:id/incidents/:incident_id': { statut: 'resolved', message: 'intruder' },
    'POST /api/auth/installation': {
      email: 'intruder@example.com',
      mot_de_passe: 'intruder password 123',
      nom: 'Intruder',
    },
    'POST /api/auth/connexion': { email: actors.viewer.email, mot_de_passe: actors.viewer.password },
  };
  return `${method} ${path}` in bodies ? bodies[`${method} ${path}`] : { nom: 'intruder' };
}

describe('REST: each route refuses whoever is below its access, and changes nothing', () => {
  const guarded = ROUTES.filter((route) => route.access !== 'public');

  it.each(guarded.map((route) => [routeName(route), route] as const))('%s', async (_name, route) => {
    const path = restPath(route.path);
    const body = restBody(route.method, route.path);
    await unchanged(app, routeName(route), async () => {
      const anonymous = await as(app, null).call(route.method, path, body);
      expect(anonymous.status, `anonymous ${routeName(route)}: ${JSON.stringify(anonymous.body)}`).toBe(401);
      expect(anonymous.body).toEqual({ erreur: expect.any(String) });
      for (const role of ['viewer', 'editor'] as const) {
        if (refusalFor(route.access, role) !== 'FORBIDDEN') continue;
        const refused = await as(app, actors[role].token).call(route.method, path, body);
        expect(refused.status, `${role} ${routeName(route)}: ${JSON.stringify(refused.body)}`).toBe(403);
        expect(refused.body).toEqual({ erreur: expect.any(String) });
      }
    });
  });

  // Setup is closed once an admin exists: 403 is its answer, not a demand for credentials.
  const PUBLIC_ANSWERS: Record<string, number> = {
    'GET /api/etat': 200,
    'GET /api/auth': 200,
    'POST /api/auth/installation': 403,
    'POST /api/auth/connexion': 200,
  };

  it.each(ROUTES.filter((route) => route.access === 'public').map((route) => [routeName(route), route] as const))(
    '%s answers without credentials',
    async (name, route) => {
      const response = await as(app, null).call(route.method, route.path, restBody(route.method, route.path));
      expect(response.status, `${name}: ${JSON.stringify(response.body)}`).not.toBe(401);
      if (name in PUBLIC_ANSWERS)
        expect(response.status, `${name}: ${JSON.stringify(response.body)}`).toBe(PUBLIC_ANSWERS[name]);
      expect(response.body).toBeTypeOf('object');
    },
  );
});

// --- GraphQL ---

/** A real id for an `id`-like argument, by the field (and argument) it belongs to. */
function graphqlId(field: string, arg: string): string {
  const byField: Array<[RegExp, number]> = [
    [/ApiKey/, ids.apiKey],
    [/Delivery/, ids.delivery],
    [/Incident/, ids.incident],
    [/StatusPage|^statusPage/, ids.page],
    [/User/, ids.user],
    [/Channel/, ids.channel],
    [/MaintenanceWindow/, ids.maintenance],
    [/Alert/, ids.alert],
    [/Monitor|^monitor|^checkNow$|^regeneratePingToken$/, ids.monitor],
  ];
  if (arg === 'monitorId' || arg === 'monitorIds') return String(ids.monitor);
  if (arg === 'pageId') return String(ids.page);
  if (arg === 'channelIds' || arg === 'channelId') return String(ids.channel);
  const found = byField.find(([pattern]) => pattern.test(field));
  if (!found) throw new Error(`no real id known for ${field}(${arg}): add it to graphqlId()`);
  return String(found[1]);
}

// Plausible values where a type's required fields alone would not make a request the resolver could accept.
const PLAUSIBLE_INPUTS: Record<string, Record<string, unknown>> = {
  CreateMonitorInput: { name: 'intruder', kind: 'HTTP', target: TARGET, intervalSeconds: 60, paused: true },
  UpdateMonitorInput: { name: 'renamed by an intruder' },
  ChannelInput: { name: 'intruder', kind: 'WEBHOOK', settings: { url: `${TARGET}intruder` }, isDefault: true },
  MaintenanceWindowInput: { name: 'intruder', startsAt: '2099-02-01T00:00:00Z', endsAt: '2099-02-01T01:00:00Z' },
  UpdateMaintenanceWindowInput: { name: 'renamed by an intruder' },
  CreateUserInput: { email: 'intruder@example.com', password: 'intruder password 123', role: 'ADMIN' },
  UpdateUserInput: { role: 'ADMIN' },
  CreateStatusPageInput: { slug: 'intruder', title: 'intruder' },
  UpdateStatusPageInput: { title: 'renamed by an intruder' },
  StatusPageIncidentUpdateInput: { status: 'RESOLVED', message: 'intruder' },
};

function stringFor(name: string): string {
  if (/url|target/i.test(name)) return TARGET;
  if (/email/i.test(name)) return 'intruder@example.com';
  if (/currentPassword/.test(name)) return actors.viewer.password;
  if (/password/i.test(name)) return 'a password of the intruder';
  return 'intruder';
}

/** A valid value of `type` for the argument or input field `name` of root field `field`. */
function valueFor(type: GraphQLInputType, name: string, field: string): unknown {
  if (isNonNullType(type)) return valueFor(type.ofType, name, field);
  if (isListType(type)) return [valueFor(type.ofType as GraphQLInputType, name, field)];
  if (isEnumType(type)) return type.getValues()[0]!.name;
  if (isInputObjectType(type)) {
    const value: Record<string, unknown> = {};
    for (const inner of Object.values(type.getFields())) {
      if (isNonNullType(inner.type)) value[inner.name] = valueFor(inner.type, inner.name, field);
    }
    return { ...value, ...PLAUSIBLE_INPUTS[type.name] };
  }
  if (isScalarType(type)) {
    switch (type.name) {
      case 'ID':
        return graphqlId(field, name);
      case 'String':
        return stringFor(name);
      case 'Int':
        return 1;
      case 'Float':
        return 1.5;
      case 'Boolean':
        return false;
      case 'DateTime':
        return new Date().toISOString();
      case 'JSON':
        return {};
    }
  }
  throw new Error(`no value known for ${String(type)} (${field}.${name}): add it to valueFor()`);
}

/** An operation calling one root field with its required arguments as variables, and those variables. */
function operationFor(root: RootField): { query: string; variables: Record<string, unknown> } {
  const required = root.field.args.filter((arg) => isNonNullType(arg.type));
  const definitions = required.map((arg) => `$${arg.name}: ${String(arg.type)}`).join(', ');
  const args = required.map((arg) => `${arg.name}: $${arg.name}`).join(', ');
  const result = getNamedType(root.field.type);
  const selection = isObjectType(result) || isAbstractType(result) ? ' { __typename }' : '';
  const operation = root.kind.toLowerCase();
  return {
    query: `${operation} Access${definitions ? `(${definitions})` : ''} { ${root.name}${args ? `(${args})` : ''}${selection} }`,
    variables: Object.fromEntries(required.map((arg) => [arg.name, valueFor(arg.type, arg.name, root.name)])),
  };
}

describe('a heartbeat’s ping URL is a secret: editors and admins see it, viewers do not', () => {
  it('over REST (url_ping) and GraphQL (pingUrl)', async () => {
    const created = await as(app, actors.admin.token).call('POST', '/api/moniteurs', {
      nom: 'access policy heartbeat',
      type: 'push',
      en_pause: true,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const { id, url_ping: pingUrl } = created.body.moniteur;
    expect(pingUrl).toMatch(/\/api\/ping\/[A-Za-z0-9_-]{32}$/);
    const query = 'query ($id: ID!) { monitor(id: $id) { pingUrl } }';
    for (const role of ['viewer', 'editor', 'admin'] as const) {
      const seen = role === 'viewer' ? undefined : pingUrl;
      const one = await as(app, actors[role].token).call('GET', `/api/moniteurs/${id}`);
      expect(one.body.moniteur.url_ping, role).toBe(seen);
      const all = await as(app, actors[role].token).call('GET', '/api/moniteurs');
      expect(all.body.moniteurs.find((m: { id: number }) => m.id === id).url_ping, role).toBe(seen);
      const graphql = await as(app, actors[role].token).gql(query, { id: String(id) });
      expect(graphql.errors, role).toBeUndefined();
      expect(graphql.data.monitor.pingUrl, role).toBe(seen ?? null);
    }
    // Nor does the list of monitors of a viewer mention the token anywhere.
    const token = pingUrl.split('/').pop();
    const text = JSON.stringify((await as(app, actors.viewer.token).call('GET', '/api/moniteurs')).body);
    expect(text).not.toContain(token);
    expect((await as(app, actors.admin.token).call('DELETE', `/api/moniteurs/${id}`)).status).toBe(204);
  });
});

describe('GraphQL: each query and mutation refuses whoever is below its access, and changes nothing', () => {
  const operations = ROOT_FIELDS.filter((root) => root.kind !== 'Subscription');

  it.each(
    operations
      .filter((root) => accessOf(root) !== 'public')
      .map((root) => [`${root.kind}.${root.name}`, root] as const),
  )('%s', async (name, root) => {
    const access = accessOf(root);
    const { query, variables } = operationFor(root);
    await unchanged(app, name, async () => {
      for (const role of [null, 'viewer', 'editor'] as const) {
        const expected = refusalFor(access, role);
        if (!expected) continue;
        const response = await as(app, role === null ? null : actors[role].token).gql(query, variables);
        expect(
          codesOf(response),
          `${role ?? 'anonymous'} ${query} ${JSON.stringify(variables)} → ${JSON.stringify(response)}`,
        ).toEqual([expected]);
        expect(response.data?.[root.name] ?? null).toBeNull();
      }
    });
  });

  it.each(
    operations
      .filter((root) => accessOf(root) === 'public')
      .map((root) => [`${root.kind}.${root.name}`, root] as const),
  )('%s answers without credentials', async (_name, root) => {
    const { query, variables } = operationFor(root);
    const response = await as(app, null).gql(query, variables);
    expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
    expect(response.data?.[root.name]).toBeDefined();
  });
});

describe('GraphQL subscriptions: the socket is authenticated at connection_init', () => {
  const clients: LiveClient[] = [];
  afterAll(async () => {
    await Promise.all(clients.map((live) => live.client.dispose()));
  });

  it.each(ROOT_FIELDS.filter((root) => root.kind === 'Subscription').map((root) => [root.name, root] as const))(
    'refuses %s without credentials (close 4403), changing nothing',
    async (_name, root) => {
      const live = liveClient(app);
      clients.push(live);
      const { query, variables } = operationFor(root);
      const collected = await unchanged(app, `subscribing to ${root.name} anonymously`, async () => {
        const subscription = collect(live.client, query, variables);
        expect(await live.closed).toBe(4403);
        return subscription;
      });
      expect(collected.events).toEqual([]);
      expect(app.events.subscriberCount).toBe(0);
    },
  );

  it('lets a viewer’s API key subscribe to checkCompleted and receive results', async () => {
    const key = await createApiKey(app, actors.viewer, 'viewer');
    const live = liveClient(app, `Bearer ${key.secret}`);
    clients.push(live);
    const results = collect(
      live.client,
      'subscription ($id: ID) { checkCompleted(monitorId: $id) { monitorId isUp } }',
      { id: String(ids.monitor) },
    );
    await live.connected;
    await expect.poll(() => app.events.subscriberCount, { timeout: 5000 }).toBe(1);
    await insertResults(app.testDb.db, [
      result(ids.monitor, true, { latencyMs: 12, checkedAt: new Date(), target: TARGET }),
    ]);
    await expect
      .poll(() => results.events, { timeout: 5000 })
      .toEqual([{ checkCompleted: { monitorId: String(ids.monitor), isUp: true } }]);
    expect(results.errors).toEqual([]);
    results.dispose();
  });
});
