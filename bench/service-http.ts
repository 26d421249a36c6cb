// Timed requests to the service under test, and a sampler that repeats one in the background.

export interface TimedResponse {
  /** performance.now() when the request was sent. */
  startedAt: number;
  ms: number;
  /** 0 when no answer came (refused, reset, or the client's own timeout). */
  status: number;
  retryAfter: string | null;
  body: unknown;
}

/** Sends one request and times it to the end of its body; never throws. */
export async function timedRequest(url: string, init: RequestInit = {}, timeoutMs = 30_000): Promise<TimedResponse> {
  const startedAt = performance.now();
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: kept as text
    }
    const retryAfter = response.headers.get('retry-after');
    return { startedAt, ms: performance.now() - startedAt, status: response.status, retryAfter, body };
  } catch (error) {
    return { startedAt, ms: performance.now() - startedAt, status: 0, retryAfter: null, body: String(error) };
  }
}

export function graphqlRequest(serviceUrl: string, query: string): Promise<TimedResponse> {
  return timedRequest(`${serviceUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
}

/** The subset of GET /api/etat the benchmark reads. */
export interface Etat {
  statut: string;
  base_de_donnees: { statut: string; raison?: string };
  planificateur: {
    moniteurs_actifs: number;
    verifications_en_cours: number;
    verifications_en_attente: number;
    sature: boolean;
    verifications_en_retard: number;
    retard_max_secondes: number;
    limite_par: string[];
    hotes_satures: string[];
  };
  resultats: { en_attente: number; perdus: number; refuses: number; ecartes: number; ecritures_en_panne: boolean };
}

export interface EtatSample extends TimedResponse {
  etat: Etat | null;
}

export async function etat(serviceUrl: string, timeoutMs = 5_000): Promise<EtatSample> {
  const response = await timedRequest(`${serviceUrl}/api/etat`, {}, timeoutMs);
  const body = response.body as Partial<Etat> | null;
  return { ...response, etat: body && typeof body === 'object' && body.planificateur ? (body as Etat) : null };
}

export interface Sampler<T> {
  /** Stops after the request in progress and returns every sample, oldest first. */
  stop(): Promise<T[]>;
}

/** Calls `take` every `everyMs` (measured from each start; one at a time) until stopped. */
export function sampleEvery<T>(everyMs: number, take: () => Promise<T>): Sampler<T> {
  const samples: T[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      samples.push(await take());
      const wait = everyMs - (performance.now() - started);
      if (running && wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return samples;
    },
  };
}

export async function waitUntil(condition: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
