// Download the shown range's results (of the chosen location, if one is) as CSV or JSON: links to the streamed
// export (GET /api/export), which the browser saves under the name the server gives.
import type { ShownRange } from '../state/range.ts';
import { t } from '../i18n/index.ts';
import { h } from '../ui/dom.ts';

const FORMAT_NAME = { csv: 'CSV', json: 'JSON' };

export interface ExportLinks {
  el: HTMLElement;
  /** The range and location (null: every one) to export. */
  show(range: ShownRange, location: string | null): void;
}

export function exportLinks(monitorId: string): ExportLinks {
  const link = (format: 'csv' | 'json') =>
    h(
      'a',
      {
        class: 'button',
        attrs: { download: '', 'data-export': format, title: t('export.title', { format: FORMAT_NAME[format] }) },
      },
      FORMAT_NAME[format],
    );
  const csv = link('csv');
  const json = link('json');
  const el = h('div', { class: 'export-links' }, h('span', { class: 'muted' }, t('export.label')), csv, json);
  let shown: { from: number; to: number | null; spanMs: number; location: string | null } | null = null;
  const point = (): void => {
    if (!shown) return;
    // A window ending now is exported as it is at the moment of the click: its start moves along, `fin` stays open.
    const from = shown.to === null ? Date.now() - shown.spanMs : shown.from;
    for (const [anchor, format] of [
      [csv, 'csv'],
      [json, 'json'],
    ] as const) {
      const query = new URLSearchParams({
        format,
        donnees: 'resultats',
        moniteur_id: monitorId,
        debut: new Date(from).toISOString(),
      });
      if (shown.to !== null) query.set('fin', new Date(shown.to).toISOString());
      if (shown.location !== null) query.set('emplacement', shown.location);
      anchor.setAttribute('href', `/api/export?${query}`);
    }
  };
  csv.addEventListener('click', point);
  json.addEventListener('click', point);
  return {
    el,
    show(range, location) {
      shown = { from: range.from, to: range.to, spanMs: (range.to ?? Date.now()) - range.from, location };
      point();
    },
  };
}
