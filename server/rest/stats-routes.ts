// GET /api/moniteurs/:id/stats: a monitor's statistics over a window or debut/fin, with a chart series.
import type { MonitorService } from '../monitors/index.ts';
import {
  checkResolution,
  defaultResolutionSeconds,
  resolveRange,
  type CheckStats,
  type Incident,
  type StatsService,
} from '../stats/index.ts';
import { HttpError } from './http-error.ts';
import { parseId, parseInstant, parseLocation, parseWindow } from './params.ts';
import type { Router } from './router.ts';

function parseResolution(raw: string | null): number | null {
  if (raw === null || raw === '') return null;
  if (!/^\d{1,9}$/.test(raw.trim()))
    throw new HttpError(400, `resolution: expected a whole number of seconds, got "${raw.slice(0, 100)}"`);
  return Number(raw);
}

const roundTo = (value: number | null, digits: number) => (value === null ? null : Number(value.toFixed(digits)));

function countsShape(stats: CheckStats) {
  return {
    disponibilite: roundTo(stats.availability, 4),
    verifications: stats.checks,
    echecs: stats.failures,
  };
}

const incidentShape = (incident: Incident) => ({
  debut: incident.start.toISOString(),
  fin: incident.end?.toISOString() ?? null,
  duree_secondes: incident.durationSeconds,
});

export function registerStatsRoutes(router: Router, monitors: MonitorService, statistics: StatsService): void {
  router.on('GET', '/api/moniteurs/:id/stats', 'viewer', async ({ params, query }) => {
    const id = parseId(params.id);
    await monitors.get(id);
    const now = new Date();
    const range = resolveRange(
      {
        window: parseWindow('fenetre', query.get('fenetre')),
        from: parseInstant('debut', query.get('debut')),
        to: parseInstant('fin', query.get('fin')),
        location: parseLocation(query.get('emplacement')),
      },
      now,
      { window: 'fenetre', from: 'debut', to: 'fin' },
    );
    const resolution = parseResolution(query.get('resolution')) ?? defaultResolutionSeconds(range);
    checkResolution(range, resolution, 'resolution');
    const [stats, series] = await Promise.all([
      statistics.ofMonitor(id, range, now),
      statistics.seriesOfMonitor(id, range, resolution),
    ]);
    return {
      body: {
        stats: {
          moniteur_id: id,
          debut: range.from.toISOString(),
          fin: range.to.toISOString(),
          ...countsShape(stats),
          latence: {
            moyenne: roundTo(stats.latencyAvg, 3),
            min: stats.latencyMin,
            max: stats.latencyMax,
            p50: stats.percentiles.p50,
            p95: stats.percentiles.p95,
            p99: stats.percentiles.p99,
            percentiles_exacts: stats.percentiles.exact,
          },
          incidents: stats.incidents.map(incidentShape),
          indisponibilite_secondes: stats.downtimeSeconds,
          mttr_secondes: stats.mttrSeconds,
          resolution_secondes: resolution,
          serie: series.map((point) => ({
            debut: point.start.toISOString(),
            ...countsShape(point),
            latence_moyenne: roundTo(point.latencyAvg, 3),
            latence_min: point.latencyMin,
            latence_max: point.latencyMax,
          })),
        },
      },
    };
  });
}
