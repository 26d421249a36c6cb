// Maintenance windows: the list (open now and until when, or when next), and for editors a form for one-off or
// recurring windows (cron, duration, time zone) that shows the next five occurrences as you type; delete.
import {
  CreateMaintenanceWindow,
  DeleteMaintenanceWindow,
  MaintenanceScheduleQuery,
  MaintenanceWindowsQuery,
  type MaintenanceInput,
  type MaintenanceRow,
} from '../api/maintenance-documents.ts';
import { errorText } from '../api/errors.ts';
import type { AppContext } from '../context.ts';
import { formatDateTime } from '../format.ts';
import { canEdit } from '../state/session.ts';
import { h, replace } from '../ui/dom.ts';
import type { View } from '../ui/router.ts';
import { confirmPanel } from './confirm.ts';
import { selectField, textField } from './form-fields.ts';
import { smallForm } from './small-form.ts';

type FieldName = 'name' | 'scope' | 'kind' | 'startsAt' | 'endsAt' | 'cron' | 'durationMinutes' | 'timeZone';

const PREVIEW_DELAY_MS = 300;
const localZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

function scheduleText(window: MaintenanceRow): string {
  if (window.cron) return `Recurring: “${window.cron}” (${window.timeZone}), ${window.durationMinutes} min each`;
  return `One-off: ${formatDateTime(window.startsAt)} → ${formatDateTime(window.endsAt)}`;
}

function stateOf(window: MaintenanceRow): { state: 'active' | 'next' | 'over'; text: string } {
  if (window.activeUntil)
    return { state: 'active', text: `In maintenance now, until ${formatDateTime(window.activeUntil)}` };
  const next = window.nextOccurrences[0];
  if (next) return { state: 'next', text: `Next: ${formatDateTime(next.startsAt)} → ${formatDateTime(next.endsAt)}` };
  return { state: 'over', text: 'Over' };
}

/** A datetime-local value (the browser's time) as an instant; empty or invalid: null. */
const instant = (value: string): string | null => {
  const date = new Date(value);
  return value && !Number.isNaN(date.getTime()) ? date.toISOString() : null;
};

function windowForm(ctx: AppContext, created: () => void) {
  const monitors = [...ctx.store.all()].sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
  const preview = h('ol', { class: 'occurrences', attrs: { 'aria-live': 'polite', 'aria-label': 'Next occurrences' } });
  const previewNote = h('p', { class: 'hint preview-note' });
  const form = smallForm<FieldName>({
    className: 'card maintenance-form',
    fields: [
      textField({ name: 'name', label: 'Name', placeholder: 'Weekly database upgrade' }),
      selectField({
        name: 'scope',
        label: 'Monitors',
        choices: [['', 'All monitors'], ...monitors.map((monitor): [string, string] => [monitor.id, monitor.name])],
      }),
      selectField({
        name: 'kind',
        label: 'When',
        choices: [
          ['once', 'Once'],
          ['recurring', 'Recurring'],
        ],
      }),
      textField({ name: 'startsAt', label: 'Starts', type: 'datetime-local' }),
      textField({ name: 'endsAt', label: 'Ends', type: 'datetime-local' }),
      textField({
        name: 'cron',
        label: 'Starts at (cron)',
        placeholder: '0 3 * * 0',
        hint: 'Minute, hour, day of month, month, day of week: “0 3 * * 0” is Sundays at 03:00.',
      }),
      textField({ name: 'durationMinutes', label: 'Duration (minutes)', type: 'number', inputmode: 'numeric' }),
      textField({ name: 'timeZone', label: 'Time zone', hint: 'An IANA name, e.g. Europe/Paris or UTC.' }),
    ],
    submitLabel: 'Create window',
    validate: (values) => {
      const recurring = values.kind === 'recurring';
      const start = instant(values.startsAt);
      const end = instant(values.endsAt);
      const minutes = Number(values.durationMinutes);
      return {
        name: values.name.trim() ? undefined : 'A name, e.g. “Weekly database upgrade”.',
        startsAt: recurring || start ? undefined : 'When it starts.',
        endsAt: recurring ? undefined : !end ? 'When it ends.' : start && end <= start ? 'After it starts.' : undefined,
        cron: !recurring || values.cron.trim() ? undefined : 'A cron expression, e.g. “0 3 * * 0”.',
        durationMinutes:
          !recurring || (Number.isInteger(minutes) && minutes >= 1 && minutes <= 10_080)
            ? undefined
            : 'Whole minutes, from 1 to 10080 (a week).',
      };
    },
    submit: async (values) => {
      const input: MaintenanceInput = { name: values.name.trim(), monitorId: values.scope || null };
      if (values.kind === 'recurring') {
        input.cron = values.cron.trim();
        input.durationMinutes = Number(values.durationMinutes);
        input.timeZone = values.timeZone.trim() || 'UTC';
      } else {
        input.startsAt = instant(values.startsAt)!;
        input.endsAt = instant(values.endsAt)!;
      }
      await ctx.api.mutate(CreateMaintenanceWindow, { input });
      ctx.notify(`Created the maintenance window “${input.name}”.`);
      form.reset();
      form.field('timeZone').control.value = localZone();
      showKind();
      created();
    },
  });
  const field = (name: FieldName) => form.field(name);
  field('timeZone').control.value = localZone();
  field('durationMinutes').control.value = '60';
  field('timeZone').wrapper.after(
    h('div', { class: 'preview' }, h('p', { class: 'label' }, 'Next five occurrences'), previewNote, preview),
  );
  const previewBox = preview.parentElement!;

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
      previewNote.textContent = 'Type a cron expression and a duration to see when it happens.';
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
    else if (['cron', 'durationMinutes', 'timeZone'].includes(name)) schedulePreview();
  });
  field('kind').control.addEventListener('change', showKind);
  showKind();
  return form;
}

export function maintenanceView(ctx: AppContext): View {
  const editor = canEdit(ctx.session);
  const status = h('p', { class: 'muted', attrs: { role: 'status' } }, 'Loading…');
  const list = h('ul', { class: 'maintenance-list' });
  const monitorName = (id: string | null): string =>
    id === null ? 'All monitors' : (ctx.store.all().find((monitor) => monitor.id === id)?.name ?? `Monitor ${id}`);

  const item = (window: MaintenanceRow): HTMLLIElement => {
    const { state, text } = stateOf(window);
    const panel = h('div', { class: 'confirm-slot' });
    const remove = editor ? h('button', { class: 'button small danger', attrs: { type: 'button' } }, 'Delete') : null;
    remove?.addEventListener('click', () => {
      remove.disabled = true;
      replace(
        panel,
        confirmPanel({
          question: [`Delete “${window.name}”? Notifications it holds back are sent again from now on.`],
          confirmLabel: 'Delete window',
          danger: true,
          action: async () => {
            await ctx.api.mutate(DeleteMaintenanceWindow, { id: window.id });
            ctx.notify(`Deleted the maintenance window “${window.name}”.`);
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
        h('span', { class: 'muted maintenance-scope' }, monitorName(window.monitorId)),
        h('span', { class: 'maintenance-schedule' }, scheduleText(window)),
        h('span', { class: 'maintenance-state', attrs: { 'data-state': state } }, text),
      ),
      remove,
      panel,
    );
  };

  const load = async (): Promise<void> => {
    try {
      const { maintenanceWindows } = await ctx.api.query(MaintenanceWindowsQuery, {});
      status.textContent = maintenanceWindows.length ? '' : 'No maintenance windows yet.';
      // Open ones first, then by their next start.
      const order = (window: MaintenanceRow) =>
        window.activeUntil ? 0 : Date.parse(window.nextOccurrences[0]?.startsAt ?? '9999-12-31');
      replace(list, ...[...maintenanceWindows].sort((a, b) => order(a) - order(b)).map(item));
    } catch (error) {
      status.textContent = `Could not load the maintenance windows: ${errorText(error)}`;
    }
  };

  const el = h(
    'section',
    { class: 'maintenance-view' },
    h('div', { class: 'page-head' }, h('h1', null, 'Maintenance')),
    h(
      'p',
      { class: 'muted' },
      'During a window, checks still run and are stored, but nothing is notified and its monitors show Maintenance.',
    ),
    editor
      ? windowForm(ctx, () => void load()).el
      : h('p', { class: 'muted' }, 'Editors and administrators manage maintenance windows.'),
    h('h2', null, 'Windows'),
    status,
    list,
  );
  void load();
  // "Open now" changes with the clock: read it again every minute while the page shows.
  const refresh = setInterval(() => void load(), 60_000);
  return { el, destroy: () => clearInterval(refresh), refresh: () => void load() };
}
