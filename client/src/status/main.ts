// A public, read-only status page at /status (the default page) or /status/<slug>: the monitors its sections
// list with their 90-day bars, and the incidents its operators post, all followed live without logging in.
import '../styles.css';
import type { PublicStatusPage } from '../api/types.ts';
import { t } from '../i18n/index.ts';
import { connectionIndicator } from '../ui/connection.ts';
import { h, replace } from '../ui/dom.ts';
import { inNextFrame } from '../ui/frame.ts';
import { languageSwitch, translateDocument } from '../ui/language.ts';
import { followPage, loadPage, slugOf } from './data.ts';
import { incidentsBlock, monitorRow, overall, pageHeader } from './view.ts';

translateDocument();
document.getElementById('language-slot')!.replaceWith(languageSwitch());
const main = document.getElementById('main')!;
const connection = connectionIndicator();
document.getElementById('connection-slot')!.replaceWith(connection.el);
const slug = slugOf(location.pathname);

function render(page: PublicStatusPage | null): void {
  if (!page) {
    document.title = t('statusPage.brand');
    replace(main, h('h1', null, t('statusPage.notFound')), h('p', { class: 'muted' }, t('statusPage.checkAddress')));
    return;
  }
  const now = Date.now();
  // A monitor listed in two sections counts once in the banner.
  const statuses = new Map(page.sections.flatMap((section) => section.monitors.map((m) => [m.id, m.status])));
  const { level, text } = overall([...statuses.values()]);
  document.title = level === 'major' ? `${text} · ${page.title}` : page.title;
  replace(
    main,
    pageHeader(page),
    h('div', { class: 'banner', attrs: { role: 'status', 'data-level': level } }, text),
    incidentsBlock(page.incidents),
    ...page.sections.map((section) =>
      h(
        'section',
        { class: 'status-section', attrs: { 'aria-label': section.name } },
        h('h2', { class: 'section-name' }, section.name),
        h('ul', { class: 'services' }, ...section.monitors.map((monitor) => monitorRow(monitor, now).el)),
      ),
    ),
    h('p', { class: 'muted footnote' }, t('statusPage.footnote')),
  );
}

// Versions pushed while one waits for its frame: only the newest is drawn.
let pending: PublicStatusPage | null | undefined;
const drawPending = (): void => {
  if (pending === undefined) return;
  const page = pending;
  pending = undefined;
  render(page);
};
const reload = (): Promise<void> =>
  loadPage(slug).then(
    (page) => render(page),
    (error: unknown) =>
      replace(main, h('p', { class: 'error-text' }, t('statusPage.loadFailed', { reason: (error as Error).message }))),
  );

replace(main, h('p', { class: 'muted' }, t('common.loading')));
void reload();
followPage(slug, {
  onPage(page) {
    pending = page;
    inNextFrame(drawPending, drawPending);
  },
  onState: (live) => connection.set(live ? 'live' : 'reconnecting'),
  // Changes made while the stream was down were not pushed: read the page again.
  onReconnect: () => void reload(),
  onEnded: (reason) => connection.set('reconnecting', t('statusPage.noLiveUpdates', { reason })),
});
