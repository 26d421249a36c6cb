// Maintenance windows: the list (what each covers, open now and until when, or when next), and for editors a form
// for one-off or recurring windows (cron, duration, time zone) that shows the next five occurrences as you type, for
// every monitor, some monitors, the monitors with some tags, or both some monitors and some tags; edit, delete. Editing
// never drops what a window covers: a window with both monitors and tags opens as such, and one saved unchanged
// keeps exactly its monitors and tags.
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

/** What a window covers, as the form chooses it ('both': some monitors and the monitors with some tags). */
type Scope = 'all' | 'monitors' | 'tags' | 'both';
const coversMonitors = (scope: Scope): boolean => scope === 'monitors' || scope === 'both';
const coversTags = (scope: Scope): boolean => scope === 'tags' || scope === 'both';

/** The scope a window opens with in the form: one that shows all it covers. */
export const scopeOf = (window: Pick<MaintenanceRow, 'monitorIds' | 'tags'>): Scope =>
  window.monitorIds.length && window.tags.length
    ? 'both'
    : window.monitorIds.length
      ? 'monitors'
      : window.tags.length
        ? 'tags'
        : 'all';

const sameSet = (a: readonly string[], b: readonly string[]): boolean => {
  const set = new Set(a);
  return set.size === new Set(b).size && b.every((item) => set.has(item));
};

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

function windowForm(ctx: AppContext, saved: () => void, monitorName: (id: string) => string) {
  /** The window the form edits; null: it creates one. */
  let editing: MaintenanceRow | null = null;
  const cancel = h('button', { class: 'button', attrs: { type: 'button' } }, t('maintenance.cancelEdit'));
  // Opened directly, the page may come before the list of monitors: the choices follow the list once it is read.
  const sortedMonitors = () =>
    [...ctx.store.all()].sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
  const tagsHint = (): string => {
    const knownTags = allTags(ctx.store.all()).slice(0, 20);
    return knownTags.length
      ? t('maintenance.tagsHintKnown', { tags: knownTags.join(', ') })
      : t('maintenance.tagsHint');
  };
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
          ['both', t('maintenance.monitorsAndTags')],
        ],
        hint: t('maintenance.bothHint'),
      }),
      selectField({
        name: 'monitorIds',
        label: t('nav.monitors'),
        hint: t('maintenance.monitorsHint'),
        choices: [],
      }),
      textField({
        name: 'tags',
        label: t('maintenance.tags'),
        placeholder: 'database, eu',
        hint: tagsHint(),
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
        monitorIds: !coversMonitors(scope) || selectedMonitors().length ? undefined : t('maintenance.monitorsProblem'),
        tags: !coversTags(scope) || tagsOf(values.tags).length ? undefined : t('maintenance.tagsProblem'),
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
      // recurring one, or one for some monitors into one for a tag. What the edit leaves as it was is sent back as
      // the window has it (its order, and tags the comma-separated field could not write back).
      const monitorIds = selectedMonitors();
      const input: MaintenanceInput = {
        name: values.name.trim(),
        monitorIds: !coversMonitors(scope)
          ? []
          : editing && sameSet(monitorIds, editing.monitorIds)
            ? editing.monitorIds
            : monitorIds,
        tags: !coversTags(scope)
          ? []
          : editing && values.tags === editing.tags.join(', ')
            ? editing.tags
            : tagsOf(values.tags),
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
  const selectedMonitors = (): string[] => [...monitorSelect.selectedOptions].map((option) => option.value);
  let shownChoices = '';
  /**
   * The monitors to pick from, as the list has them now, and the tags in use; what is picked stays picked, and a
   * picked monitor the list does not have (yet) stays a choice, so that saving does not drop it.
   */
  const refreshChoices = (selected: readonly string[] = selectedMonitors()): void => {
    const choices: Array<[string, string]> = sortedMonitors().map((monitor) => [monitor.id, monitor.name]);
    const listed = new Set(choices.map(([id]) => id));
    for (const id of selected) if (!listed.has(id)) choices.push([id, monitorName(id)]);
    const key = JSON.stringify([choices, selected]);
    if (key !== shownChoices) {
      shownChoices = key;
      const picked = new Set(selected);
      replace(monitorSelect, ...choices.map(([value, text]) => h('option', { attrs: { value } }, text)));
      for (const option of monitorSelect.options) option.selected = picked.has(option.value);
      monitorSelect.size = Math.min(Math.max(choices.length, 3), 8);
    }
    const hint = field('tags').wrapper.querySelector('.hint');
    const text = tagsHint();
    if (hint && hint.textContent !== text) hint.textContent = text;
  };
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
    // A window with both monitors and tags (made through the API, or here) opens with both.
    field('scope').control.value = scopeOf(window);
    refreshChoices(window.monitorIds);
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

  const scopeHint = field('scope').wrapper.querySelector<HTMLElement>('.hint')!;
  const showScope = (): void => {
    const scope = field('scope').control.value as Scope;
    field('monitorIds').wrapper.hidden = !coversMonitors(scope);
    field('tags').wrapper.hidden = !coversTags(scope);
    scopeHint.hidden = scope !== 'both';
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
  refreshChoices();
  showKind();
  showScope();
  return { form, edit, refreshChoices };
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

  const form = editor ? windowForm(ctx, () => void load(), monitorName) : null;

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

  let shown: MaintenanceRow[] | null = null;
  let drawnScopes = '';
  const scopesKey = (windows: MaintenanceRow[]): string => windows.map(scopeText).join('\n');
  const draw = (windows: MaintenanceRow[]): void => {
    drawnScopes = scopesKey(windows);
    replace(list, ...windows.map(item));
  };
  const load = async (): Promise<void> => {
    try {
      const { maintenanceWindows } = await ctx.api.query(MaintenanceWindowsQuery, {});
      status.textContent = maintenanceWindows.length ? '' : t('maintenance.none');
      // Open ones first, then by their next start.
      const order = (window: MaintenanceRow) =>
        window.activeUntil ? 0 : Date.parse(window.nextOccurrences[0]?.startsAt ?? '9999-12-31');
      shown = [...maintenanceWindows].sort((a, b) => order(a) - order(b));
      draw(shown);
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
  // Opened directly, the page may come before the list of monitors: the windows then name their monitors, and the
  // form offers them, once it is read.
  const unsubscribe = ctx.store.subscribe((changed) => {
    if (changed !== 'all') return;
    form?.refreshChoices();
    // Only when a name changes: drawing the list again would close a delete question left open.
    if (shown && scopesKey(shown) !== drawnScopes) draw(shown);
  });
  return {
    el,
    destroy: () => {
      clearInterval(refresh);
      unsubscribe();
    },
    refresh: () => void load(),
  };
}
