// Status pages: the public pages (/status/<slug>) with the monitors their sections list, and the incidents posted
// on them. Editors create and change pages, post incidents and move them on; viewers read.
import { errorText } from '../api/errors.ts';
import {
  CreateStatusPage,
  DeleteStatusPage,
  PostIncident,
  StatusPageQuery,
  StatusPagesQuery,
  UpdateIncident,
  UpdateStatusPage,
  type StatusPageInput,
  type StatusPageRow,
} from '../api/status-page-documents.ts';
import type { IncidentStatus, StatusPageIncident } from '../api/types.ts';
import type { AppContext } from '../context.ts';
import { formatDateTime } from '../format.ts';
import { canEdit } from '../state/session.ts';
import { h, replace, uniqueId } from '../ui/dom.ts';
import type { View } from '../ui/router.ts';
import { confirmPanel } from './confirm.ts';
import { errorsOf } from './small-form.ts';
import { labels, t, tn } from '../i18n/index.ts';

const STATUS_TEXT: Readonly<Record<IncidentStatus, string>> = labels({
  INVESTIGATING: 'incident.INVESTIGATING',
  IDENTIFIED: 'incident.IDENTIFIED',
  MONITORING: 'incident.MONITORING',
  RESOLVED: 'incident.RESOLVED',
});
const INCIDENT_STATUSES = Object.entries(STATUS_TEXT) as Array<[IncidentStatus, string]>;

/** A labelled control. */
function labelled(label: string, control: HTMLElement, hint?: string): HTMLElement {
  const id = uniqueId('field');
  control.id = id;
  return h(
    'div',
    { class: 'field' },
    h('label', { attrs: { for: id } }, label),
    control,
    hint ? h('p', { class: 'hint' }, hint) : null,
  );
}

const statusSelect = (selected: IncidentStatus): HTMLSelectElement => {
  const select = h(
    'select',
    null,
    ...INCIDENT_STATUSES.map(([value, text]) => h('option', { attrs: { value, selected: value === selected } }, text)),
  );
  select.value = selected;
  return select;
};

/** Shows a failed request's messages (by field and general) in one alert box. */
function showFailure(box: HTMLElement, error: unknown): void {
  const { fields, general } = errorsOf(error);
  box.textContent = [...Object.entries(fields).map(([field, message]) => `${field}: ${message}`), ...general].join(' ');
}

export function statusPagesView(ctx: AppContext): View {
  const editor = canEdit(ctx.session);
  const status = h('p', { class: 'muted', attrs: { role: 'status' } }, t('common.loading'));
  const list = h('ul', { class: 'page-list' });
  const load = async (): Promise<void> => {
    try {
      const { statusPages } = await ctx.api.query(StatusPagesQuery, {});
      status.textContent = statusPages.length ? '' : t('statusPages.none');
      replace(
        list,
        ...statusPages.map((page) =>
          h(
            'li',
            { class: 'page-item', attrs: { 'data-id': page.id } },
            h(
              'div',
              { class: 'page-main' },
              h('a', { class: 'page-name', attrs: { href: `/status-pages/${page.id}` } }, page.title),
              page.isDefault ? h('span', { class: 'role-badge' }, t('statusPages.default')) : null,
              h(
                'a',
                { class: 'muted', attrs: { href: `/status/${page.slug}`, target: '_blank', rel: 'noopener' } },
                `/status/${page.slug}`,
              ),
              h(
                'span',
                { class: 'muted' },
                `${tn('statusPages.sections', page.sections.length)}, ${tn('group.monitors', new Set(page.sections.flatMap((s) => s.monitorIds)).size)}`,
              ),
            ),
          ),
        ),
      );
    } catch (error) {
      status.textContent = t('statusPages.loadFailed', { reason: errorText(error) });
    }
  };
  void load();
  return {
    el: h(
      'section',
      { class: 'status-pages-view' },
      h(
        'div',
        { class: 'page-head' },
        h('h1', null, t('nav.statusPages')),
        editor ? h('a', { class: 'button primary', attrs: { href: '/status-pages/new' } }, t('statusPages.new')) : null,
      ),
      h('p', { class: 'muted' }, t('statusPages.intro')),
      status,
      list,
    ),
    refresh: () => void load(),
  };
}

/** The page's settings and sections: a form for editors. */
function pageForm(ctx: AppContext, page: StatusPageRow | null, saved: (page: StatusPageRow) => void): HTMLElement {
  const monitors = [...ctx.store.all()].sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
  const slug = h('input', {
    attrs: { type: 'text', name: 'slug', placeholder: t('statusPages.slugPlaceholder'), spellcheck: 'false' },
  });
  const title = h('input', { attrs: { type: 'text', name: 'title', placeholder: t('statusPages.titlePlaceholder') } });
  const description = h('textarea', { attrs: { name: 'description', rows: 2 } });
  const logoUrl = h('input', { attrs: { type: 'url', name: 'logoUrl', placeholder: 'https://example.com/logo.png' } });
  const defaultId = uniqueId('field');
  const isDefault = h('input', { attrs: { type: 'checkbox', name: 'isDefault', id: defaultId } });
  slug.value = page?.slug ?? '';
  title.value = page?.title ?? '';
  description.value = page?.description ?? '';
  logoUrl.value = page?.logoUrl ?? '';
  isDefault.checked = page?.isDefault ?? false;

  const sections = h('div', { class: 'section-editors' });
  const addSection = (name: string, monitorIds: string[]): void => {
    const nameInput = h('input', {
      class: 'section-name-input',
      attrs: { type: 'text', placeholder: t('statusPages.sectionPlaceholder') },
    });
    nameInput.value = name;
    const select = h(
      'select',
      { class: 'section-monitors', attrs: { multiple: true, size: Math.min(8, Math.max(3, monitors.length)) } },
      ...monitors.map((monitor) =>
        h('option', { attrs: { value: monitor.id, selected: monitorIds.includes(monitor.id) } }, monitor.name),
      ),
    );
    const remove = h('button', { class: 'button small', attrs: { type: 'button' } }, t('statusPages.removeSection'));
    const fieldset = h(
      'fieldset',
      { class: 'section-editor' },
      h('legend', null, t('statusPages.section')),
      labelled(t('statusPages.sectionName'), nameInput),
      labelled(t('statusPages.itsMonitors'), select, t('statusPages.multiHint')),
      remove,
    );
    remove.addEventListener('click', () => fieldset.remove());
    sections.append(fieldset);
  };
  for (const section of page?.sections ?? []) addSection(section.name, section.monitorIds);
  if (!page) addSection(t('statusPages.sectionPlaceholder'), []);
  const add = h('button', { class: 'button', attrs: { type: 'button' } }, t('statusPages.addSection'));
  add.addEventListener('click', () => addSection('', []));

  const failure = h('div', { class: 'form-errors', attrs: { role: 'alert' } });
  const submit = h(
    'button',
    { class: 'button primary', attrs: { type: 'submit' } },
    page ? t('statusPages.save') : t('statusPages.create'),
  );
  const form = h(
    'form',
    { class: 'card page-form', attrs: { novalidate: true } },
    failure,
    labelled(t('statusPages.title'), title),
    labelled(t('statusPages.address'), slug, t('statusPages.addressHint')),
    labelled(t('statusPages.description'), description),
    labelled(t('statusPages.logo'), logoUrl, t('statusPages.logoHint')),
    h(
      'div',
      { class: 'field checkbox' },
      isDefault,
      h('label', { attrs: { for: defaultId } }, t('statusPages.isDefault')),
    ),
    h('h2', null, t('statusPages.sectionsTitle')),
    sections,
    h('div', { class: 'actions' }, add, submit),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    failure.textContent = '';
    const input: StatusPageInput = {
      slug: slug.value.trim(),
      title: title.value.trim(),
      description: description.value.trim(),
      logoUrl: logoUrl.value.trim() || null,
      isDefault: isDefault.checked,
      sections: [...sections.querySelectorAll<HTMLFieldSetElement>('.section-editor')].map((fieldset) => ({
        name: fieldset.querySelector<HTMLInputElement>('.section-name-input')!.value.trim(),
        monitorIds: [...fieldset.querySelector<HTMLSelectElement>('.section-monitors')!.selectedOptions].map(
          (option) => option.value,
        ),
      })),
    };
    submit.disabled = true;
    const request = page
      ? ctx.api.mutate(UpdateStatusPage, { id: page.id, input }).then((data) => data.updateStatusPage)
      : ctx.api.mutate(CreateStatusPage, { input }).then((data) => data.createStatusPage);
    request.then(saved, (error: unknown) => showFailure(failure, error)).finally(() => (submit.disabled = false));
  });
  return form;
}

/** An incident with its messages, and for editors a form to move it on. */
function incidentCard(
  ctx: AppContext,
  incident: StatusPageIncident,
  editor: boolean,
  changed: () => void,
): HTMLElement {
  const card = h(
    'li',
    { class: 'page-incident', attrs: { 'data-id': incident.id, 'data-status': incident.status } },
    h(
      'div',
      { class: 'incident-head' },
      h('span', { class: 'incident-title' }, incident.title),
      h('span', { class: 'incident-status' }, STATUS_TEXT[incident.status]),
    ),
    h(
      'ol',
      { class: 'incident-messages' },
      ...[...incident.messages]
        .reverse()
        .map((message) =>
          h(
            'li',
            { class: 'incident-message' },
            h('strong', null, `${STATUS_TEXT[message.status]} — `),
            message.message,
            h('span', { class: 'muted incident-time' }, ` · ${formatDateTime(message.createdAt)}`),
          ),
        ),
    ),
  );
  if (!editor || incident.status === 'RESOLVED') return card;
  const next = INCIDENT_STATUSES.findIndex(([value]) => value === incident.status) + 1;
  const select = statusSelect(INCIDENT_STATUSES[Math.min(next, 3)]![0]);
  const message = h('textarea', { attrs: { rows: 2 } });
  const failure = h('p', { class: 'error-text', attrs: { role: 'alert' } });
  const post = h('button', { class: 'button primary', attrs: { type: 'submit' } }, t('statusPages.postUpdate'));
  const form = h(
    'form',
    { class: 'incident-update', attrs: { novalidate: true } },
    labelled(t('statusPages.newStatus'), select),
    labelled(t('statusPages.update'), message),
    failure,
    post,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!message.value.trim()) {
      failure.textContent = t('statusPages.writeWhatChanged');
      return;
    }
    post.disabled = true;
    ctx.api
      .mutate(UpdateIncident, {
        id: incident.id,
        input: { status: select.value as IncidentStatus, message: message.value.trim() },
      })
      .then(changed, (error: unknown) => showFailure(failure, error))
      .finally(() => (post.disabled = false));
  });
  card.append(form);
  return card;
}

function newIncidentForm(ctx: AppContext, pageId: string, posted: () => void): HTMLElement {
  const title = h('input', { attrs: { type: 'text', placeholder: t('statusPages.incidentPlaceholder') } });
  const select = statusSelect('INVESTIGATING');
  const message = h('textarea', { attrs: { rows: 3 } });
  const failure = h('p', { class: 'error-text', attrs: { role: 'alert' } });
  const post = h('button', { class: 'button primary', attrs: { type: 'submit' } }, t('statusPages.postIncident'));
  const form = h(
    'form',
    { class: 'card incident-form', attrs: { novalidate: true } },
    h('h2', null, t('statusPages.postAnIncident')),
    labelled(t('statusPages.incidentTitle'), title),
    labelled(t('list.status'), select),
    labelled(t('statusPages.message'), message, t('statusPages.messageHint')),
    failure,
    post,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!title.value.trim() || !message.value.trim()) {
      failure.textContent = t('statusPages.titleAndMessage');
      return;
    }
    post.disabled = true;
    ctx.api
      .mutate(PostIncident, {
        pageId,
        input: { title: title.value.trim(), status: select.value as IncidentStatus, message: message.value.trim() },
      })
      .then(
        () => {
          form.reset();
          posted();
        },
        (error: unknown) => showFailure(failure, error),
      )
      .finally(() => (post.disabled = false));
  });
  return form;
}

/** One page: its settings and sections (editors change them), its incidents, and deleting it. */
export function statusPageView(ctx: AppContext, id: string | null): View {
  const editor = canEdit(ctx.session);
  const el = h('section', { class: 'status-pages-view' });
  if (id === null) {
    if (!editor) {
      replace(el, h('h1', null, t('statusPages.new')), h('p', null, t('statusPages.editorsOnly')));
      return { el };
    }
    replace(
      el,
      h('div', { class: 'page-head' }, h('h1', null, t('statusPages.new'))),
      pageForm(ctx, null, (page) => {
        ctx.notify(t('statusPages.created', { title: page.title }));
        ctx.navigate(`/status-pages/${page.id}`);
      }),
    );
    return { el };
  }
  const load = async (): Promise<void> => {
    try {
      const { statusPage: page } = await ctx.api.query(StatusPageQuery, { id });
      const incidents = h(
        'ul',
        { class: 'incident-list' },
        ...page.incidents.map((incident) => incidentCard(ctx, incident, editor, () => void load())),
      );
      const remove = h('button', { class: 'button danger', attrs: { type: 'button' } }, t('statusPages.delete'));
      const confirmSlot = h('div');
      remove.addEventListener('click', () =>
        replace(
          confirmSlot,
          confirmPanel({
            question: [t('statusPages.confirmDelete', { title: page.title, slug: page.slug })],
            confirmLabel: t('common.deleteForGood'),
            danger: true,
            action: async () => {
              await ctx.api.mutate(DeleteStatusPage, { id: page.id });
              ctx.notify(t('statusPages.deleted', { title: page.title }));
              ctx.navigate('/status-pages');
            },
            onCancel: () => replace(confirmSlot),
          }),
        ),
      );
      replace(
        el,
        h(
          'div',
          { class: 'page-head' },
          h('h1', null, page.title),
          h(
            'a',
            { class: 'button', attrs: { href: `/status/${page.slug}`, target: '_blank', rel: 'noopener' } },
            t('statusPages.open'),
          ),
        ),
        editor
          ? pageForm(ctx, page, (saved) => {
              ctx.notify(t('statusPages.saved', { title: saved.title }));
              void load();
            })
          : null,
        h('h2', null, t('statusPages.incidents')),
        page.incidents.length ? incidents : h('p', { class: 'muted' }, t('statusPages.noIncidents')),
        editor ? newIncidentForm(ctx, page.id, () => void load()) : null,
        editor ? h('div', { class: 'danger-zone' }, remove, confirmSlot) : null,
      );
    } catch (error) {
      replace(el, h('p', { class: 'error-text' }, t('statusPages.loadOneFailed', { reason: errorText(error) })));
    }
  };
  replace(el, h('p', { class: 'muted' }, t('common.loading')));
  void load();
  return { el, refresh: () => void load() };
}
