// GET /api/export: results or alerts of one or every monitor over a time range, streamed as CSV or JSON.
import type { MonitorService } from '../monitors/index.ts';
import type { ExportTable, ResultService } from '../results/index.ts';
import { HttpError } from './http-error.ts';
import { parseChoice, parseId, parseInstant, parseLocation } from './params.ts';
import type { Router } from './router.ts';

const PARAMETERS = ['format', 'donnees', 'moniteur_id', 'emplacement', 'debut', 'fin'];

const TABLES: Record<string, ExportTable> = { resultats: 'results', alertes: 'alerts' };

const CONTENT_TYPES = { csv: 'text/csv; charset=utf-8', json: 'application/json; charset=utf-8' };

export function registerExportRoutes(router: Router, monitors: MonitorService, results: ResultService): void {
  router.on('GET', '/api/export', 'viewer', async ({ query }) => {
    // A misspelt filter (?moniteur=3) would silently export everything: refuse what is not understood.
    const unknown = [...query.keys()].find((name) => !PARAMETERS.includes(name));
    if (unknown !== undefined) {
      throw new HttpError(400, `unknown parameter "${unknown.slice(0, 100)}"; expected ${PARAMETERS.join(', ')}`);
    }
    const format = parseChoice('format', query.get('format'), ['csv', 'json']);
    const donnees = parseChoice('donnees', query.get('donnees'), ['resultats', 'alertes']);
    const monitorParam = query.get('moniteur_id');
    const monitorId = monitorParam === null || monitorParam === '' ? null : parseId(monitorParam, 'moniteur_id');
    const location = parseLocation(query.get('emplacement'));
    if (location !== null && donnees !== 'resultats') {
      throw new HttpError(400, 'emplacement: only results have a location (donnees=resultats)');
    }
    const from = parseInstant('debut', query.get('debut'));
    const to = parseInstant('fin', query.get('fin'));
    if (from && to && to <= from) throw new HttpError(400, `fin: must be after debut (${from.toISOString()})`);
    if (monitorId !== null) await monitors.get(monitorId);

    const name = [
      'vigie',
      donnees,
      ...(monitorId === null ? [] : ['moniteur', monitorId]),
      compactTime(new Date()),
    ].join('-');
    return {
      stream: {
        headers: {
          'Content-Type': CONTENT_TYPES[format],
          'Content-Disposition': `attachment; filename="${name}.${format}"`,
          'Cache-Control': 'no-store',
        },
        chunks: results.export({ table: TABLES[donnees]!, format, monitorId, location, from, to }),
      },
    };
  });
}

/** 2025-01-10T14:30:00.000Z -> 20250110T143000Z, for file names. */
function compactTime(date: Date): string {
  return date.toISOString().replace(/\.\d+/, '').replace(/[-:]/g, '');
}
