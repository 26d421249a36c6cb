// DNS monitors over REST: parametres_dns with its French names, checked against a DNS server on loopback, and bad
// settings refused with a 400 naming the REST field.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { startDnsServer, type DnsServer } from '../helpers/dns.ts';
import { call, createMoniteur, waitFor } from './support.ts';

let app: TestApp;
let dns: DnsServer;

beforeAll(async () => {
  [app, dns] = await Promise.all([startTestApp(), startDnsServer()]);
  dns.records('vigie.test', 'MX', [{ preference: 10, exchange: 'mail.vigie.test' }]);
});

afterAll(async () => {
  await Promise.all([app?.close(), dns?.close()]);
});

describe('DNS monitors over REST', () => {
  it('are created with parametres_dns, shown with it, and checked', async () => {
    const moniteur = await createMoniteur(app, {
      nom: 'mail',
      type: 'dns',
      cible: 'vigie.test',
      intervalle_secondes: 60,
      timeout_secondes: 2,
      parametres_dns: {
        type_enregistrement: 'MX',
        valeurs_attendues: ['10 mail.vigie.test'],
        correspondance: 'contains',
        resolveur: dns.address,
      },
    });
    expect(moniteur).toMatchObject({
      type: 'dns',
      cible: 'vigie.test',
      url_ping: null,
      parametres_dns: {
        type_enregistrement: 'MX',
        valeurs_attendues: ['10 mail.vigie.test'],
        correspondance: 'contains',
        resolveur: dns.address,
      },
    });
    const [result] = await waitFor('its first result', async () => {
      const response = await call(app, 'GET', `/api/moniteurs/${moniteur.id}/resultats`);
      return response.body.resultats.length > 0 && response.body.resultats;
    });
    expect(result).toMatchObject({ est_disponible: true, cause: null, url: 'vigie.test' });
  });

  it('refuses bad settings with a 400 naming the REST field', async () => {
    const base = { nom: 'x', type: 'dns', cible: 'vigie.test', intervalle_secondes: 60 };
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [base, /parametres_dns\.type_enregistrement: is required for a DNS monitor/],
      [
        { ...base, parametres_dns: { type_enregistrement: 'SRV' } },
        /parametres_dns\.type_enregistrement: must be one of/,
      ],
      [{ ...base, parametres_dns: { type_enregistrement: 'A', resolveur: 'ns.example' } }, /parametres_dns\.resolveur/],
      [
        { ...base, parametres_dns: { type_enregistrement: 'A', correspondance: 'fuzzy' } },
        /parametres_dns\.correspondance/,
      ],
      [{ ...base, parametres_dns: { type: 'A' } }, /parametres_dns: unknown field "type"/],
    ];
    for (const [body, message] of cases) {
      const response = await call(app, 'POST', '/api/moniteurs', body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.erreur).toMatch(message);
    }
  });
});
