// Maintenance windows: the list (what each covers, open now and until when, or when next), and for editors a form
// for one-off or recurring windows (cron, duration, time zone) that shows the next five occurrences as you type, for
// every monitor, some monitors or the monitors with some tags; edit, delete.
import {
  CreateMaintenanceWindow,
  DeleteMaintenanceWindow,
  MaintenanceScheduleQuery,
  MaintenanceWindowsQuery,
  UpdateMaintenanceWindow,
  type MaintenanceInput,
  type MaintenanceRow,
} from '../api/maintenance-documents.ts';
import { errorText } from '../api/errors.ts';
import type { AppContext } from '../context.ts';
import { formatDateTime } from '../format.ts';
import { allTags } from '../state/filter.ts';
import { canEdit } from '../state/session.ts';
import { h, replace } from '../ui/dom.ts';
import type { View } from '../ui/router.ts';
import { confirmPanel } from './confirm.ts';
import { selectField, textField } from './form-fields.ts';
import { smallForm } from './small-form.ts';
import { t } from '../i18n/index.ts';

type FieldName =
  | 'name'
  | 'scope'
  | 'monitorIds'
  | 'tags'
  | 'kind'
  | 'startsAt'
  | 'endsAt'
  | 'cron'
  | 'durationMinutes'
  | 'timeZone';

const PREVIEW_DELAY_MS = 300;

/** What a window covers, as the form chooses it. */
type Scope = 'all' | 'monitors' | 'tags';

/** Tags as typed: separated by commas, trimmed, each once. */
const tagsOf = (text: string): string[] => [
  ...new Set(
    text
      .split(',')
      .map((tag) => tag.trim())
      .filter(Boolean),
  ),
];
const localZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

function scheduleText(window: MaintenanceRow): string {
  if (window.cron) {
    return t('maintenance.recurring', {
      cron: window.cron,
      zone: window.timeZone,
      minutes: window.durationMinutes ?? 0,
    });
  }
  return t('maintenance.oneOff', { from: formatDateTime(window.startsAt), to: formatDateTime(window.endsAt) });
}

function stateOf(window: MaintenanceRow): { state: 'active' | 'next' | 'over'; text: string } {
  if (window.activeUntil)
    return { state: 'active', text: t('maintenance.activeUntil', { until: formatDateTime(window.activeUntil) }) };
  const next = window.nextOccurrences[0];
  if (next) {
    const text = t('maintenance.next', { from: formatDateTime(next.startsAt), to: formatDateTime(next.endsAt) });
    return { state: 'next', text };
  }
  return { state: 'over', text: t('maintenance.over') };
}

/** A datetime-local value (the browser's time) as an instant; empty or invalid: null. */
const instant = (value: string): string | null => {
  const date = new Date(value);
  return value && !Number.isNaN(date.getTime()) ? date.toISOString() : null;
};

/** An instant as a datetime-local value (the browser's time); null: empty. */
const localInput = (iso: string | null): string => {
  if (!iso) return '';
  const date = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
};

function windowForm(ctx: AppContext, saved: () => void) {
  /** The window the form edits; null: it creates one. */
  let editing: MaintenanceRow | null = null;
  const cancel = h('button', { class: 'button', attrs: { type: 'button' } }, t('maintenance.cancelEdit'));
  const monitors = [...ctx.store.all()].sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
  const knownTags = allTags(monitors).slice(0, 20);
  const preview = h('ol', {
    class: 'occurrences',
    attrs: { 'aria-live': 'polite', 'aria-label': t('maintenance.nextOccurrences') },
  });
  const previewNote = h('p', { class: 'hint preview-note' });
  const form = smallForm<FieldName>({
    className: 'card maintenance-form',
    fields: [
      textField({ name: 'name', label: t('users.name'), placeholder: t('maintenance.namePlaceholder') }),
      selectField({
        name: 'scope',
        label: t('maintenance.covers'),
        choices: [
          ['all', t('maintenance.allMonitors')],
          ['monitors', t('maintenance.someMonitors')],
          ['tags', t('maintenance.tagsChoice')],
        ],
      }),
      selectField({
        name: 'monitorIds',
        label: t('nav.monitors'),
        hint: t('maintenance.monitorsHint'),
        choices: monitors.map((monitor): [string, string] => [monitor.id, monitor.name]),
      }),
      textField({
        name: 'tags',
        label: t('maintenance.tags'),
        placeholder: 'database, eu',
        hint: knownTags.length
          ? t('maintenance.tagsHintKnown', { tags: knownTags.join(', ') })
          : t('maintenance.tagsHint'),
      }),
      selectField({
        name: 'kind',
        label: t('maintenance.when'),
        choices: [
          ['once', t('maintenance.once')],
          ['recurring', t('maintenance.recurringChoice')],
        ],
      }),
      textField({ name: 'startsAt', label: t('maintenance.starts'), type: 'datetime-local' }),
      textField({ name: 'endsAt', label: t('maintenance.ends'), type: 'datetime-local' }),
      textField({
        name: 'cron',
        label: t('maintenance.cron'),
        placeholder: '0 3 * * 0',
        hint: t('maintenance.cronHint'),
      }),
      textField({ name: 'durationMinutes', label: t('maintenance.duration'), type: 'number', inputmode: 'numeric' }),
      textField({ name: 'timeZone', label: t('maintenance.timeZone'), hint: t('maintenance.timeZoneHint') }),
    ],
    submitLabel: t('maintenance.create'),
    extra: [cancel],
    validate: (values) => {
      const recurring = values.kind === 'recurring';
      const scope = values.scope as Scope;
      const start = instant(values.startsAt);
      const end = instant(values.endsAt);
      const minutes = Number(values.durationMinutes);
      return {
        name: values.name.trim() ? undefined : t('maintenance.nameProblem'),
        monitorIds: scope !== 'monitors' || selectedMonitors().length ? undefined : t('maintenance.monitorsProblem'),
        tags: scope !== 'tags' || tagsOf(values.tags).length ? undefined : t('maintenance.tagsProblem'),
        startsAt: recurring || start ? undefined : t('maintenance.startsProblem'),
        endsAt: recurring
          ? undefined
          : !end
            ? t('maintenance.endsProblem')
            : start && end <= start
              ? t('maintenance.afterStart')
              : undefined,
        cron: !recurring || values.cron.trim() ? undefined : t('maintenance.cronProblem'),
        durationMinutes:
          !recurring || (Number.isInteger(minutes) && minutes >= 1 && minutes <= 10_080)
            ? undefined
            : t('maintenance.durationProblem'),
      };
    },
    submit: async (values) => {
      const recurring = values.kind === 'recurring';
      const scope = values.scope as Scope;
      // Every field, the other kind's and the other scope's cleared: an edit may turn a one-off window into a
      // recurring one, or one for some monitors into one for a tag.
      const input: MaintenanceInput = {
        name: values.name.trim(),
        monitorIds: scope === 'monitors' ? selectedMonitors() : [],
        tags: scope === 'tags' ? tagsOf(values.tags) : [],
        cron: recurring ? values.cron.trim() : null,
        durationMinutes: recurring ? Number(values.durationMinutes) : null,
        timeZone: recurring ? values.timeZone.trim() || 'UTC' : 'UTC',
        startsAt: recurring ? null : instant(values.startsAt)!,
        endsAt: recurring ? null : instant(values.endsAt)!,
      };
      if (editing) {
        await ctx.api.mutate(UpdateMaintenanceWindow, { id: editing.id, input });
        ctx.notify(t('maintenance.saved', { name: input.name }));
      } else {
        await ctx.api.mutate(CreateMaintenanceWindow, { input });
        ctx.notify(t('maintenance.created', { name: input.name }));
      }
      startOver();
      saved();
    },
  });
  const monitorSelect = form.field('monitorIds').control as HTMLSelectElement;
  monitorSelect.multiple = true;
  monitorSelect.size = Math.min(Math.max(monitors.length, 3), 8);
  const selectedMonitors = (): string[] => [...monitorSelect.selectedOptions].map((option) => option.value);
  const submitButton = form.el.querySelector<HTMLButtonElement>('button[type="submit"]')!;
  const startOver = (): void => {
    editing = null;
    form.reset();
    field('timeZone').control.value = localZone();
    field('durationMinutes').control.value = '60';
    submitButton.textContent = t('maintenance.create');
    cancel.hidden = true;
    showKind();
    showScope();
  };
  cancel.addEventListener('click', startOver);
  /** Fills the form with a window to change it. */
  const edit = (window: MaintenanceRow): void => {
    form.reset();
    editing = window;
    field('name').control.value = window.name;
    // The form offers one scope: a window made elsewhere with both monitors and tags opens as its monitors.
    field('scope').control.value = window.allMonitors ? 'all' : window.monitorIds.length ? 'monitors' : 'tags';
    for (const option of monitorSelect.options) option.selected = window.monitorIds.includes(option.value);
    field('tags').control.value = window.tags.join(', ');
    field('kind').control.value = window.cron ? 'recurring' : 'once';
    field('startsAt').control.value = localInput(window.startsAt);
    field('endsAt').control.value = localInput(window.endsAt);
    field('cron').control.value = window.cron ?? '';
    field('durationMinutes').control.value = String(window.durationMinutes ?? 60);
    field('timeZone').control.value = window.timeZone;
    submitButton.textContent = t('maintenance.saveChanges');
    cancel.hidden = false;
    showKind();
    showScope();
    field('name').control.focus();
  };
  const field = (name: FieldName) => form.field(name);
  field('timeZone').control.value = localZone();
  field('durationMinutes').control.value = '60';
  field('timeZone').wrapper.after(
    h('div', { class: 'preview' }, h('p', { class: 'label' }, t('maintenance.nextFive')), previewNote, preview),
  );
  const previewBox = preview.parentElement!;

  const showScope = (): void => {
    const scope = field('scope').control.value as Scope;
    field('monitorIds').wrapper.hidden = scope !== 'monitors';
    field('tags').wrapper.hidden = scope !== 'tags';
  };

  const showKind = (): void => {
    const recurring = field('kind').control.value === 'recurring';
    for (const name of ['startsAt', 'endsAt'] as const) field(name).wrapper.hidden = recurring;
    for (const name of ['cron', 'durationMinutes', 'timeZone'] as const) field(name).wrapper.hidden = !recurring;
    previewBox.hidden = !recurring;
    schedulePreview();
  };

  // The server computes the occurrences (the same cron library and time zones as the windows themselves).
  let timer: ReturnType<typeof setTimeout> | undefined;
  let asked = 0;
  const schedulePreview = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => void showPreview(), PREVIEW_DELAY_MS);
  };
  const showPreview = async (): Promise<void> => {
    const cron = field('cron').control.value.trim();
    const durationMinutes = Number(field('durationMinutes').control.value);
    const timeZone = field('timeZone').control.value.trim() || 'UTC';
    const request = ++asked;
    if (
      field('kind').control.value !== 'recurring' ||
      !cron ||
      !Number.isInteger(durationMinutes) ||
      durationMinutes < 1
    ) {
      replace(preview);
      previewNote.textContent = t('maintenance.previewNote');
      return;
    }
    try {
      const { maintenanceSchedule } = await ctx.api.query(MaintenanceScheduleQuery, {
        cron,
        durationMinutes,
        timeZone,
      });
      if (request !== asked) return;
      previewNote.textContent = '';
      replace(
        preview,
        ...maintenanceSchedule.map((occurrence) =>
          h('li', null, `${formatDateTime(occurrence.startsAt)} → ${formatDateTime(occurrence.endsAt)}`),
        ),
      );
    } catch (error) {
      if (request !== asked) return;
      replace(preview);
      previewNote.textContent = errorText(error);
    }
  };
  form.el.addEventListener('input', (event) => {
    const name = (event.target as HTMLInputElement).name;
    if (name === 'kind') showKind();
    else if (name === 'scope') showScope();
    else if (['cron', 'durationMinutes', 'timeZone'].includes(name)) schedulePreview();
  });
  field('kind').control.addEventListener('change', showKind);
  field('scope').control.addEventListener('change', showScope);
  cancel.hidden = true;
  showKind();
  showScope();
  return { form, edit };
}

export function maintenanceView(ctx: AppContext): View {
  const editor = canEdit(ctx.session);
  const status = h('p', { class: 'muted', attrs: { role: 'status' } }, t('common.loading'));
  const list = h('ul', { class: 'maintenance-list' });
  const monitorName = (id: string): string =>
    ctx.store.all().find((monitor) => monitor.id === id)?.name ?? t('alerts.monitorId', { id });
  /** What a window covers: every monitor, its monitors by name, its tags. */
  const scopeText = (window: MaintenanceRow): string => {
    if (window.allMonitors) return t('maintenance.allMonitors');
    const parts: string[] = [];
    if (window.monitorIds.length) parts.push(window.monitorIds.map(monitorName).join(', '));
    if (window.tags.length) parts.push(t('maintenance.withTags', { tags: window.tags.join(', ') }));
    return parts.join(' · ');
  };

  const form = editor ? windowForm(ctx, () => void load()) : null;

  const item = (window: MaintenanceRow): HTMLLIElement => {
    const { state, text } = stateOf(window);
    const change = form ? h('button', { class: 'button small', attrs: { type: 'button' } }, t('common.edit')) : null;
    change?.addEventListener('click', () => form?.edit(window));
    const panel = h('div', { class: 'confirm-slot' });
    const remove = editor
      ? h('button', { class: 'button small danger', attrs: { type: 'button' } }, t('common.delete'))
      : null;
    remove?.addEventListener('click', () => {
      remove.disabled = true;
      replace(
        panel,
        confirmPanel({
          question: [t('maintenance.confirmDelete', { name: window.name })],
          confirmLabel: t('maintenance.delete'),
          danger: true,
          action: async () => {
            await ctx.api.mutate(DeleteMaintenanceWindow, { id: window.id });
            ctx.notify(t('maintenance.deleted', { name: window.name }));
            void load();
          },
          onCancel: () => {
            replace(panel);
            remove.disabled = false;
            remove.focus();
          },
        }),
      );
    });
    return h(
      'li',
      { class: 'maintenance-item', attrs: { 'data-id': window.id, 'data-state': state } },
      h(
        'div',
        { class: 'maintenance-main' },
        h('span', { class: 'maintenance-name' }, window.name),
        h('span', { class: 'muted maintenance-scope' }, scopeText(window)),
        h('span', { class: 'maintenance-schedule' }, scheduleText(window)),
        h('span', { class: 'maintenance-state', attrs: { 'data-state': state } }, text),
      ),
      change,
      remove,
      panel,
    );
  };

  const load = async (): Promise<void> => {
    try {
      const { maintenanceWindows } = await ctx.api.query(MaintenanceWindowsQuery, {});
      status.textContent = maintenanceWindows.length ? '' : t('maintenance.none');
      // Open ones first, then by their next start.
      const order = (window: MaintenanceRow) =>
        window.activeUntil ? 0 : Date.parse(window.nextOccurrences[0]?.startsAt ?? '9999-12-31');
      replace(list, ...[...maintenanceWindows].sort((a, b) => order(a) - order(b)).map(item));
    } catch (error) {
      status.textContent = t('maintenance.loadFailed', { reason: errorText(error) });
    }
  };

  const el = h(
    'section',
    { class: 'maintenance-view' },
    h('div', { class: 'page-head' }, h('h1', null, t('nav.maintenance'))),
    h('p', { class: 'muted' }, t('maintenance.intro')),
    form ? form.form.el : h('p', { class: 'muted' }, t('maintenance.editorsOnly')),
    h('h2', null, t('maintenance.windows')),
    status,
    list,
  );
  void load();
  // "Open now" changes with the clock: read it again every minute while the page shows.
  const refresh = setInterval(() => void load(), 60_000);
  return { el, destroy: () => clearInterval(refresh), refresh: () => void load() };
}
