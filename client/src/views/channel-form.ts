// Create or edit a notification channel: name, kind, the kind's settings and secrets (write-only: shown as set or
// not set, replaced only when typed in), default and enabled. Server refusals show next to their field.
import {
  CreateChannel,
  UpdateChannel,
  type ChannelInput,
  type ChannelKind,
  type ChannelRow,
} from '../api/notification-documents.ts';
import type { AppContext } from '../context.ts';
import { labels, t } from '../i18n/index.ts';
import { h, replace } from '../ui/dom.ts';
import {
  KIND_ORDER,
  KINDS,
  secretIsSet,
  settingsOf,
  settingText,
  settingValue,
  type KindField,
} from './channel-kinds.ts';
import { checkboxField, readValue, selectField, textField, writeValue, type Field } from './form-fields.ts';
import { errorsOf } from './small-form.ts';

const TEXT = labels({
  name: 'users.name',
  namePlaceholder: 'channelForm.namePlaceholder',
  kind: 'channelForm.kind',
  isDefault: 'channelForm.isDefault',
  enabled: 'channelForm.enabled',
  create: 'channelForm.create',
  save: 'channelForm.save',
  cancel: 'common.cancel',
  secretsLegend: 'channelForm.secretsLegend',
  set: 'channelForm.set',
  notSet: 'channelForm.notSet',
  remove: 'channelForm.remove',
  required: 'form.required',
  number: 'channelForm.number',
  fix: 'channelForm.fix',
});

const MESSAGE = {
  secretState: (set: boolean) => t(set ? 'channelForm.secretSet' : 'channelForm.secretNotSet'),
};

export interface ChannelFormOptions {
  /** null: a new channel. */
  channel: ChannelRow | null;
  onSaved(channel: ChannelRow): void;
  onCancel(): void;
}

type Entry = { field: Field<string>; spec: KindField; part: 'settings' | 'secrets'; remove?: HTMLInputElement };

export function channelForm(ctx: AppContext, options: ChannelFormOptions): HTMLFormElement {
  const existing = options.channel;
  const name = textField<string>({ name: 'name', label: TEXT.name, placeholder: TEXT.namePlaceholder });
  const kind = selectField<string>({
    name: 'kind',
    label: TEXT.kind,
    choices: KIND_ORDER.map((key): [string, string] => [key, KINDS[key].label]),
  });
  const isDefault = checkboxField<string>({ name: 'isDefault', label: TEXT.isDefault });
  const enabled = checkboxField<string>({ name: 'enabled', label: TEXT.enabled });
  const summary = h('p', { class: 'hint kind-summary' });
  const kindBox = h('div', { class: 'kind-fields' });
  const general = h('div', { class: 'form-errors', attrs: { role: 'alert' } });
  const submit = h(
    'button',
    { class: 'button primary', attrs: { type: 'submit' } },
    existing ? TEXT.save : TEXT.create,
  );
  const cancel = h('button', { class: 'button', attrs: { type: 'button' } }, TEXT.cancel);
  cancel.addEventListener('click', () => options.onCancel());
  let entries: Entry[] = [];

  const fieldFor = (spec: KindField, part: Entry['part']): Entry => {
    const fieldName = `${part}.${spec.key}`;
    const secret = part === 'secrets';
    const set =
      secret && existing !== null && existing.kind === kind.control.value && secretIsSet(spec, settingsOf(existing));
    const hint = secret && existing ? [spec.hint, MESSAGE.secretState(set)].filter(Boolean).join(' ') : spec.hint;
    const label = secret && existing ? `${spec.label} (${set ? TEXT.set : TEXT.notSet})` : spec.label;
    const field =
      spec.type === 'select'
        ? selectField<string>({ name: fieldName, label, hint, choices: spec.choices ?? [] })
        : spec.type === 'checkbox'
          ? checkboxField<string>({ name: fieldName, label, hint })
          : textField<string>({
              name: fieldName,
              label,
              hint,
              placeholder: spec.placeholder,
              type: secret ? 'password' : spec.type === 'url' ? 'url' : spec.type === 'email' ? 'email' : 'text',
              inputmode: spec.type === 'number' ? 'numeric' : undefined,
              autocomplete: secret ? 'new-password' : 'off',
            });
    field.wrapper.dataset['secret'] = String(secret);
    if (secret) field.wrapper.dataset['set'] = String(set);
    const entry: Entry = { field, spec, part };
    // An optional secret that is set may be removed (the server takes null for "none").
    if (secret && set && spec.setFlag) {
      const remove = h('input', { attrs: { type: 'checkbox', 'data-remove': spec.key } });
      field.wrapper.append(h('label', { class: 'remove-secret' }, remove, ` ${TEXT.remove}`));
      entry.remove = remove;
    }
    if (!secret) {
      const current = existing && existing.kind === kind.control.value ? settingsOf(existing)[spec.key] : undefined;
      writeValue(
        field,
        spec.type === 'checkbox'
          ? Boolean(current)
          : current !== undefined
            ? settingText(current)
            : (spec.initial ?? ''),
      );
    }
    return entry;
  };

  const showKind = (): void => {
    const spec = KINDS[kind.control.value as ChannelKind];
    summary.textContent = spec.summary;
    entries = [
      ...spec.settings.map((s) => fieldFor(s, 'settings')),
      ...spec.secrets.map((s) => fieldFor(s, 'secrets')),
    ];
    const secrets = entries.filter((entry) => entry.part === 'secrets');
    replace(
      kindBox,
      ...entries.filter((entry) => entry.part === 'settings').map((entry) => entry.field.wrapper),
      secrets.length
        ? h(
            'fieldset',
            { class: 'secrets' },
            h('legend', null, TEXT.secretsLegend),
            ...secrets.map((e) => e.field.wrapper),
          )
        : null,
    );
  };

  const problems = (): Map<Field<string>, string> => {
    const found = new Map<Field<string>, string>();
    if (!String(readValue(name)).trim()) found.set(name, TEXT.required);
    for (const { field, spec, part } of entries) {
      const text = String(readValue(field)).trim();
      // A secret left empty on edit keeps its stored value.
      if (spec.required && !text && !(part === 'secrets' && existing && existing.kind === kind.control.value))
        found.set(field, TEXT.required);
      if (spec.type === 'number' && text && !/^-?\d+$/.test(text)) found.set(field, TEXT.number);
    }
    return found;
  };

  const input = (): ChannelInput => {
    const settings: Record<string, unknown> = {};
    const secrets: Record<string, unknown> = {};
    for (const { field, spec, part, remove } of entries) {
      if (part === 'settings') {
        const value = settingValue(spec, readValue(field));
        if (value !== undefined) settings[spec.key] = value;
      } else if (remove?.checked) {
        secrets[spec.key] = null;
      } else {
        const text = String(readValue(field));
        if (text) secrets[spec.key] = text;
      }
    }
    const result: ChannelInput = {
      name: String(readValue(name)).trim(),
      settings,
      isDefault: Boolean(readValue(isDefault)),
      enabled: Boolean(readValue(enabled)),
    };
    if (!existing) result.kind = kind.control.value as ChannelKind;
    if (Object.keys(secrets).length) result.secrets = secrets;
    return result;
  };

  const allFields = (): Array<Field<string>> => [
    name,
    kind,
    isDefault,
    enabled,
    ...entries.map((entry) => entry.field),
  ];
  const showProblems = (found: Map<Field<string>, string>, server: Record<string, string> = {}): void => {
    for (const field of allFields()) field.showError(found.get(field) ?? server[field.name]);
  };

  const form = h(
    'form',
    { class: 'card channel-form small-form', attrs: { novalidate: true, 'data-kind': existing?.kind ?? '' } },
    general,
    name.wrapper,
    kind.wrapper,
    summary,
    kindBox,
    isDefault.wrapper,
    enabled.wrapper,
    h('div', { class: 'actions' }, submit, cancel),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const found = problems();
    showProblems(found);
    if (found.size) {
      general.textContent = TEXT.fix;
      return [...found.keys()][0]!.control.focus();
    }
    general.textContent = '';
    submit.disabled = true;
    const saved = existing
      ? ctx.api.mutate(UpdateChannel, { id: existing.id, input: input() }).then((data) => data.updateChannel)
      : ctx.api.mutate(CreateChannel, { input: input() }).then((data) => data.createChannel);
    saved
      .then((channel) => options.onSaved(channel))
      .catch((error: unknown) => {
        const sorted = errorsOf(error);
        const known = new Set(allFields().map((field) => field.name));
        showProblems(new Map(), sorted.fields);
        const unplaced = Object.entries(sorted.fields).filter(([field]) => !known.has(field));
        general.textContent = [...sorted.general, ...unplaced.map(([field, message]) => `${field}: ${message}`)].join(
          ' ',
        );
        (allFields().find((field) => sorted.fields[field.name])?.control ?? submit).focus();
      })
      .finally(() => (submit.disabled = false));
  });

  writeValue(name, existing?.name ?? '');
  writeValue(isDefault, existing?.isDefault ?? false);
  writeValue(enabled, existing?.enabled ?? true);
  kind.control.value = existing?.kind ?? 'WEBHOOK';
  // Changing a channel's kind would need all its secrets again: a new channel is clearer.
  kind.control.disabled = existing !== null;
  kind.control.addEventListener('change', showKind);
  showKind();
  return form;
}
