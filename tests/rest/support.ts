// Shared by the REST suites: JSON requests, row counts, and polling until a condition holds.
import { expect } from 'vitest';
import type { TestApp } from '../helpers/app.ts';

/** The exact keys of the original service's `statut` object. */
export const STATUT_KEYS = ['code_http', 'est_disponible', 'latence_ms', 'url', 'verifie_a'];
/** "2025-01-10T14:30:00Z": UTC, to the second, no fraction. */
export const ISO_SECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

export interface JsonResponse {
  status: number;
  headers: Headers;
  body: any;
}

/** Sends `body` as JSON (a string is sent as is, so tests can send broken JSON) and parses the answer. */
export async function call(
  app: Pick<TestApp, 'request'>,
  method: string,
  path: string,
  body?: unknown,
): Promise<JsonResponse> {
  const init: RequestInit = { method };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    init.headers = { 'content-type': 'application/json' };
  }
  const response = await app.request(path, init);
  const text = await response.text();
  let parsed: unknown;
  if (text !== '') {
    expect(response.headers.get('content-type'), `${method} ${path} answered non-JSON: ${text}`).toMatch(
      /application\/json/,
    );
    parsed = JSON.parse(text);
  }
  return { status: response.status, headers: response.headers, body: parsed };
}

/** Row counts of the tables a request could write to. */
export async function counts(app: TestApp): Promise<Record<string, number>> {
  const { rows } = await app.testDb.db.query<Record<string, number>>(
    `SELECT (SELECT count(*)::int FROM monitoring.moniteurs) AS moniteurs,
            (SELECT count(*)::int FROM monitoring.statuts) AS statuts,
            (SELECT count(*)::int FROM monitoring.alertes) AS alertes,
            (SELECT count(*)::int FROM monitoring.etats_moniteurs) AS etats_moniteurs`,
  );
  return rows[0]!;
}

export { waitFor } from '../helpers/wait.ts';

/** A valid monitor body in REST form; tests override what they exercise. */
export function moniteurBody(cible: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { nom: 'rest test', type: 'http', cible, intervalle_secondes: 60, ...overrides };
}

/** Creates a monitor through the API and returns its REST shape. */
export async function createMoniteur(app: Pick<TestApp, 'request'>, body: Record<string, unknown>): Promise<any> {
  const response = await call(app, 'POST', '/api/moniteurs', body);
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body.moniteur;
}

export async function activeMonitors(app: TestApp): Promise<number> {
  const response = await call(app, 'GET', '/api/etat');
  expect(response.status).toBe(200);
  return response.body.planificateur.moniteurs_actifs;
}

/**
 * A subscription over SSE without credentials, as a logged-out visitor's page opens it (its controller is added to
 * `streams`, for the test to abort); answers a function that gives its `next` payloads so far.
 */
export async function openSse(
  app: Pick<TestApp, 'request'>,
  streams: AbortController[],
  query: string,
  variables: Record<string, unknown>,
): Promise<() => any[]> {
  const controller = new AbortController();
  streams.push(controller);
  const response = await app.request('/graphql', {
    method: 'POST',
    headers: { accept: 'text/event-stream', 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
    signal: controller.signal,
  });
  expect(response.status).toBe(200);
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = (await reader.read()).value ?? '';
  void (async () => {
    for (;;) {
      const chunk = await reader.read();
      if (chunk.done) return;
      text += chunk.value;
    }
  })().catch(() => undefined);
  return () => [...text.matchAll(/^event: next\ndata: (.+)$/gm)].map((match) => JSON.parse(match[1]!));
}
