// Bad monitor settings through POST, PUT and PATCH /api/moniteurs: a 400 naming the field, nothing written or
// changed, the server still answering; and SQL-shaped text stored literally.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { startHttpTarget, type HttpTarget } from '../helpers/targets.ts';
import { call, counts, createMoniteur, moniteurBody } from './support.ts';

const HTTP = 'http://127.0.0.1:9/';

let app: TestApp;
let target: HttpTarget;
let existing: any;
let snapshot: Record<string, number>;

beforeAll(async () => {
  [app, target] = await Promise.all([startTestApp(), startHttpTarget()]);
  // Paused, so the scheduler writes nothing while these tests count rows.
  existing = await createMoniteur(
    app,
    moniteurBody(`${target.url}/`, { nom: 'untouched', en_pause: true, timeout_secondes: 5 }),
  );
});

afterAll(async () => {
  await Promise.all([app?.close(), target?.close()]);
});

/** [what, body fields over a valid http monitor, the error it must name]. */
type Case = [string, Record<string, unknown>, RegExp];

const cases: Case[] = [
  ['a missing nom', { nom: undefined }, /^nom: is required/],
  ['a missing type', { type: undefined }, /^type: is required/],
  ['a missing cible', { cible: undefined }, /^cible: is required/],
  ['an empty nom', { nom: '   ' }, /^nom: is required/],
  ['a 201-character nom', { nom: 'n'.repeat(201) }, /^nom: must be at most 200 characters/],
  ['an unknown type', { type: 'udp' }, /^type: must be one of http, tcp, icmp/],
  ...[0, 0.5, -5].map(
    (value): Case => [`intervalle_secondes ${value}`, { intervalle_secondes: value }, /^intervalle_secondes: /],
  ),
  ['intervalle_secondes above a day', { intervalle_secondes: 86_401 }, /^intervalle_secondes: must be at most 86400/],
  ['intervalle_secondes as a string', { intervalle_secondes: '60' }, /^intervalle_secondes: must be a number/],
  ['intervalle_secondes null', { intervalle_secondes: null }, /^intervalle_secondes: must be a number/],
  [
    'a timeout equal to the interval',
    { intervalle_secondes: 5, timeout_secondes: 5 },
    /^timeout_secondes: must be below the interval/,
  ],
  [
    'a timeout above the interval',
    { intervalle_secondes: 5, timeout_secondes: 30 },
    /^timeout_secondes: must be below the interval/,
  ],
  ['a zero timeout', { timeout_secondes: 0 }, /^timeout_secondes: must be above 0/],
  ['a negative timeout', { timeout_secondes: -1 }, /^timeout_secondes: must be above 0/],
  ['tentatives 0', { tentatives: 0 }, /^tentatives: must be at least 1/],
  ['tentatives 2.5', { tentatives: 2.5 }, /^tentatives: must be a whole number/],
  ['seuil_lent_ms as a string', { seuil_lent_ms: '800' }, /^seuil_lent_ms: /],
  ['en_pause as a string', { en_pause: 'yes' }, /^en_pause: must be true or false/],
  ['etiquettes as a string', { etiquettes: 'prod' }, /^etiquettes: must be a list of strings/],
  ['etiquettes holding a number', { etiquettes: ['prod', 5] }, /^etiquettes(\.1)?: /],
  ['nom as a number', { nom: 5 }, /^nom: must be a string/],
  ['cible as an object', { cible: { host: 'x' } }, /^cible: must be a string/],
  ['an unknown field', { couleur: 'bleu' }, /unknown field "couleur"/],
  ['an English field name', { name: 'x' }, /unknown field "name"/],
  [
    'an unknown parametres_http field',
    { parametres_http: { verbe: 'GET' } },
    /^parametres_http: unknown field "verbe"/,
  ],
  ['parametres_http as a string', { parametres_http: 'GET' }, /^parametres_http: expected an object/],
  ['parametres_http null', { parametres_http: null }, /^parametres_http: expected an object/],
  ['an unknown HTTP method', { parametres_http: { methode: 'FETCH' } }, /^parametres_http\.methode: must be one of/],
  [
    'codes_attendus not a range',
    { parametres_http: { codes_attendus: '2xx' } },
    /^parametres_http\.codes_attendus: .*2xx/,
  ],
  [
    'codes_attendus out of range',
    { parametres_http: { codes_attendus: '200-700' } },
    /^parametres_http\.codes_attendus: /,
  ],
  [
    'an invalid regular expression',
    { parametres_http: { mot_cle: '(', mot_cle_regex: true } },
    /^parametres_http\.mot_cle: .*regular expression/,
  ],
  [
    'a header name with a space',
    { parametres_http: { entetes: { 'X Bad': 'v' } } },
    /^parametres_http\.entetes\.X Bad: header names must be HTTP tokens/,
  ],
  [
    'a header value with a line break',
    { parametres_http: { entetes: { 'X-A': 'v\r\nX-Injected: 1' } } },
    /^parametres_http\.entetes.*line breaks/,
  ],
  // Locations and quorum.
  ['quorum 0', { quorum: 0 }, /^quorum: must be at least 1/],
  ['quorum 1.5', { quorum: 1.5 }, /^quorum: must be a whole number/],
  ['quorum as a string', { quorum: '2' }, /^quorum: must be a number/],
  [
    'a quorum above the locations named',
    { emplacements: ['paris', 'tokyo'], quorum: 3 },
    /^quorum: must be at most the number of locations named \(2\), got 3/,
  ],
  ['emplacements as a string', { emplacements: 'paris' }, /^emplacements: must be a list of location names/],
  ['a location named twice', { emplacements: ['paris', 'paris'] }, /^emplacements: must not name a location twice/],
  ['a location starting with "-"', { emplacements: ['-x'] }, /^emplacements\.0: each location must start/],
  ['a 101-character location', { emplacements: ['l'.repeat(101)] }, /^emplacements\.0: must be at most 100/],
  // Targets, per kind.
  ...['file:///etc/passwd', 'gopher://127.0.0.1/', 'ftp://127.0.0.1/', 'data:,x', 'javascript:alert(1)'].map(
    (cible): Case => [`an http cible ${cible}`, { cible }, /^cible: URL scheme ".*" is not allowed/],
  ),
  ['an http cible with no host', { cible: 'http://' }, /^cible: .*not a valid URL/],
  [
    'an http cible with a 300-character host',
    { cible: `http://${'h'.repeat(300)}/` },
    /^cible: host is longer than 253/,
  ],
  ...['127.0.0.1:0', '127.0.0.1:70000', '127.0.0.1:abc', '127.0.0.1:-1', '127.0.0.1:'].map(
    (cible): Case => [
      `the TCP cible ${cible}`,
      { type: 'tcp', cible },
      /^cible: TCP port ".*" must be an integer from 1 to 65535/,
    ],
  ),
  ['a TCP cible with no port', { type: 'tcp', cible: '127.0.0.1' }, /^cible: TCP target must be host:port/],
  [
    'a TCP cible with a shell command',
    { type: 'tcp', cible: '$(reboot):80' },
    /^cible: host .* forbidden character "\$"/,
  ],
  ['the ICMP cible "-c 1000"', { type: 'icmp', cible: '-c 1000' }, /^cible: host "-c 1000" must not start with "-"/],
  ['the ICMP cible "--help"', { type: 'icmp', cible: '--help' }, /^cible: .*must not start with "-"/],
  [
    'an ICMP cible with "; rm -rf /"',
    { type: 'icmp', cible: '127.0.0.1; rm -rf /' },
    /^cible: host .*(whitespace|forbidden)/,
  ],
  [
    'an ICMP cible with ";" and no space',
    { type: 'icmp', cible: 'localhost;reboot' },
    /^cible: host .*forbidden character ";"/,
  ],
  ['an ICMP cible with $( )', { type: 'icmp', cible: '$(reboot)' }, /^cible: host .*forbidden character "\$"/],
  ['an ICMP cible with backticks', { type: 'icmp', cible: '`id`' }, /^cible: host .*forbidden character "`"/],
  ['an ICMP cible with a pipe', { type: 'icmp', cible: 'example.com|id' }, /^cible: host .*forbidden character "\|"/],
  // NUL bytes, wherever they hide.
  ['a NUL byte in nom', { nom: 'a\u0000b' }, /^nom: cannot contain a NUL byte/],
  ['a NUL byte in cible', { cible: `${HTTP}\u0000` }, /^cible: .*NUL byte/],
  ['a NUL byte in etiquettes', { etiquettes: ['ok', 'b\u0000d'] }, /^etiquettes\.1: cannot contain a NUL byte/],
  [
    'a NUL byte in the HTTP body',
    { parametres_http: { corps: 'x\u0000' } },
    /^parametres_http\.corps: cannot contain a NUL byte/,
  ],
  [
    'a NUL byte in a header value',
    { parametres_http: { entetes: { 'X-A': '\u0000' } } },
    /^parametres_http\.entetes.*NUL byte/,
  ],
];

const body = (fields: Record<string, unknown>) => JSON.stringify({ ...moniteurBody(HTTP), ...fields });

describe('rejected monitor settings', () => {
  beforeEach(async () => {
    snapshot = await counts(app);
  });

  afterEach(async () => {
    expect((await call(app, 'GET', '/api/etat')).status).toBe(200);
    expect(await counts(app)).toEqual(snapshot);
    // The existing monitor is exactly as it was.
    expect((await call(app, 'GET', `/api/moniteurs/${existing.id}`)).body).toEqual({ moniteur: existing });
  });

  it.each(cases)('POST rejects %s', async (_what, fields, erreur) => {
    const response = await call(app, 'POST', '/api/moniteurs', body(fields));
    expect(response.status, JSON.stringify(response.body)).toBe(400);
    expect(Object.keys(response.body)).toEqual(['erreur']);
    expect(response.body.erreur).toMatch(erreur);
  });

  it.each(cases)('PUT rejects %s and changes nothing', async (_what, fields, erreur) => {
    const response = await call(app, 'PUT', `/api/moniteurs/${existing.id}`, body(fields));
    expect(response.status, JSON.stringify(response.body)).toBe(400);
    expect(response.body.erreur).toMatch(erreur);
  });

  it.each(cases.filter(([, fields]) => !Object.values(fields).includes(undefined)))(
    'PATCH rejects %s and changes nothing',
    async (_what, fields, erreur) => {
      const response = await call(app, 'PATCH', `/api/moniteurs/${existing.id}`, fields);
      expect(response.status, JSON.stringify(response.body)).toBe(400);
      expect(response.body.erreur).toMatch(erreur);
    },
  );

  it('PATCH rejects an interval that the kept timeout no longer fits', async () => {
    const response = await call(app, 'PATCH', `/api/moniteurs/${existing.id}`, { intervalle_secondes: 5 });
    expect(response.status).toBe(400);
    expect(response.body.erreur).toMatch(/^timeout_secondes: must be below the interval \(5 s\), got 5 s/);
  });
});

describe('text shaped like SQL', () => {
  const nasty = "x'); DROP TABLE monitoring.moniteurs; --";
  const tags = ["'; DELETE FROM monitoring.statuts; --", 'Robert"); DROP TABLE x;--', '$1', "\\'"];

  it('is stored literally and read back identically', async () => {
    const created = await createMoniteur(
      app,
      moniteurBody(`${target.url}/`, {
        nom: nasty,
        etiquettes: tags,
        en_pause: true,
        parametres_http: { mot_cle: "' OR 1=1 --", entetes: { 'X-Sql': "'; SELECT pg_sleep(10); --" } },
      }),
    );
    expect(created.nom).toBe(nasty);
    expect(created.etiquettes).toEqual(tags);

    const read = (await call(app, 'GET', `/api/moniteurs/${created.id}`)).body.moniteur;
    expect(read).toEqual(created);
    expect(read.parametres_http.mot_cle).toBe("' OR 1=1 --");
    expect(read.parametres_http.entetes).toEqual({ 'X-Sql': "'; SELECT pg_sleep(10); --" });

    const { rows } = await app.testDb.db.query<any>(`SELECT nom, etiquettes FROM monitoring.moniteurs WHERE id = $1`, [
      created.id,
    ]);
    expect(rows).toEqual([{ nom: nasty, etiquettes: tags }]);
    // The table is still there, with every monitor in it.
    const list = await call(app, 'GET', '/api/moniteurs');
    expect(list.body.moniteurs.map((m: { id: number }) => m.id)).toEqual(
      expect.arrayContaining([existing.id, created.id]),
    );

    const renamed = await call(app, 'PATCH', `/api/moniteurs/${created.id}`, { nom: `${nasty} 2` });
    expect(renamed.body.moniteur.nom).toBe(`${nasty} 2`);
    await call(app, 'DELETE', `/api/moniteurs/${created.id}`);
  });

  it('in a URL given to /api/verifier is checked and stored as that URL', async () => {
    // Already in the canonical form the URL parser gives, so it comes back character for character.
    const url = new URL(`${target.url}/?q=${encodeURIComponent("'); DROP TABLE monitoring.statuts; --")}`).href;
    const response = await call(app, 'POST', '/api/verifier', { url });
    expect(response.status).toBe(200);
    expect(response.body.statut.url).toBe(url);
    const { rows } = await app.testDb.db.query(`SELECT url FROM monitoring.statuts WHERE url = $1`, [url]);
    expect(rows).toHaveLength(1);
    expect(target.seen.at(-1)?.path).toBe(url.slice(target.url.length));
  });
});
