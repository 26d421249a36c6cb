// Regular-expression keywords are refused at creation and update when the linear-time engine (RE2) cannot run
// them: backreferences and lookarounds, named in the error, over REST and GraphQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf, startGraphQLApp, type GraphQLTestApp } from '../helpers/graphql.ts';
import { call, createMoniteur, moniteurBody } from './support.ts';

let app: GraphQLTestApp;

beforeAll(async () => {
  app = await startGraphQLApp();
  await app.scheduler.stop();
});

afterAll(async () => {
  await app?.close();
});

async function monitorCount(): Promise<number> {
  const { rows } = await app.testDb.db.query<{ n: number }>('SELECT count(*)::int AS n FROM monitoring.moniteurs');
  return rows[0]!.n;
}

/** POST /api/moniteurs of a monitor whose keyword is the regular expression `pattern`. */
function postRegexKeyword(pattern: string) {
  return call(
    app,
    'POST',
    '/api/moniteurs',
    moniteurBody('http://127.0.0.1:9/', { parametres_http: { mot_cle: pattern, mot_cle_regex: true } }),
  );
}

const UNSUPPORTED = [
  ['a backreference', '(a)\\1', 'invalid escape sequence'],
  ['a lookahead', 'ok(?=!)', 'invalid or unsupported Perl syntax'],
  ['a lookbehind', '(?<=x)ok', 'invalid named capture'],
];

describe('regular-expression keywords RE2 cannot run', () => {
  it.each(UNSUPPORTED)('are refused at creation over REST: %s', async (_, pattern, reason) => {
    const before = await monitorCount();
    const response = await postRegexKeyword(pattern);
    expect(response.status).toBe(400);
    expect(response.body.erreur).toMatch(
      new RegExp(`^parametres_http\\.mot_cle: keyword is not a valid regular expression .*${reason}`),
    );
    expect(await monitorCount()).toBe(before);
  });

  it('are refused at update over REST, the stored keyword staying', async () => {
    const monitor = await createMoniteur(
      app,
      moniteurBody('http://127.0.0.1:9/', { en_pause: true, parametres_http: { mot_cle: '^ok', mot_cle_regex: true } }),
    );
    const response = await call(app, 'PATCH', `/api/moniteurs/${monitor.id}`, {
      parametres_http: { mot_cle: '(a)\\1' },
    });
    expect(response.status).toBe(400);
    expect(response.body.erreur).toMatch(/^parametres_http\.mot_cle: /);
    const stored = await call(app, 'GET', `/api/moniteurs/${monitor.id}`);
    expect(stored.body.moniteur.parametres_http.mot_cle).toBe('^ok');
    // The same text as a plain keyword is fine: it is not a pattern.
    expect(
      (
        await call(app, 'PATCH', `/api/moniteurs/${monitor.id}`, {
          parametres_http: { mot_cle: '(a)\\1', mot_cle_regex: false },
        })
      ).status,
    ).toBe(200);
  });

  it.each(UNSUPPORTED)('are refused over GraphQL with BAD_USER_INPUT naming the field: %s', async (_, pattern) => {
    const created = await app.gql(`mutation ($input: CreateMonitorInput!) { createMonitor(input: $input) { id } }`, {
      input: {
        name: 'regex',
        kind: 'HTTP',
        target: 'http://127.0.0.1:9/',
        http: { keyword: pattern, keywordIsRegex: true },
      },
    });
    const error = errorOf(created, 'BAD_USER_INPUT');
    expect(error.extensions?.field).toBe('http.keyword');
    expect(error.message).toMatch(/^http\.keyword: keyword is not a valid regular expression/);
  });

  it('accept the patterns RE2 runs', async () => {
    const created = await createMoniteur(
      app,
      moniteurBody('http://127.0.0.1:9/', {
        en_pause: true,
        parametres_http: { mot_cle: '(?i)status:\\s*(ok|up)\\b', mot_cle_regex: true },
      }),
    );
    expect(created.parametres_http).toMatchObject({ mot_cle: '(?i)status:\\s*(ok|up)\\b', mot_cle_regex: true });
  });
});

describe('regular expressions too large to compile quickly', () => {
  it('are refused at creation before they are compiled, naming the field and the size', async () => {
    // 110 × \pL{1000} compiles in about 150 ms on the main thread: refused from its expanded size instead.
    const pattern = `(?i)${'\\pL{1000}'.repeat(110)}`;
    const before = await monitorCount();
    const response = await postRegexKeyword(pattern);
    expect(response.status).toBe(400);
    expect(response.body.erreur).toBe(
      'parametres_http.mot_cle: keyword is too large a regular expression: 110111 characters once its repetitions {n,m} are expanded, at most 5000',
    );
    expect(await monitorCount()).toBe(before);
    // Up to the bound, counted repetitions nested or not are accepted.
    await createMoniteur(
      app,
      moniteurBody('http://127.0.0.1:9/', { parametres_http: { mot_cle: '((a{10}){10}){10}', mot_cle_regex: true } }),
    );
  });
});
