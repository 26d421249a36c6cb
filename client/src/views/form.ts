// Create and edit a monitor: validates as you type, shows the server's errors next to their field.
import { CreateMonitor, MonitorDetailQuery, MonitorRowQuery, UpdateMonitor } from '../api/documents.ts';
import { errorText, sortErrors } from '../api/errors.ts';
import type { AppContext } from '../context.ts';
import type { MonitorKind } from '../api/types.ts';
import { t } from '../i18n/index.ts';
import { canEdit, ROLE_LABEL } from '../state/session.ts';
import {
  DNS_RECORD_TYPES,
  EMPTY_FORM,
  formFromMonitor,
  HTTP_METHODS,
  inputFromForm,
  validateForm,
  type FieldErrors,
  type FieldName,
  type FormValues,
} from '../state/validate.ts';
import { h, replace, setText } from '../ui/dom.ts';
import type { View } from '../ui/router.ts';
import { assertionsField } from './assertions-field.ts';
import { pingUrlCard } from './detail-parts.ts';
import { checkboxField, readValue, selectField, textField, writeValue, type Field } from './form-fields.ts';
import { httpRequestFields } from './http-request-fields.ts';
import { notificationsFormSlot } from './notification-slots.ts';

const TARGET_PLACEHOLDER: Record<MonitorKind, string> = {
  HTTP: 'https://example.com/health',
  TCP: 'db.example.com:5432',
  ICMP: 'router.example.com',
  PUSH: '',
  DNS: 'example.com',
};
/** Fields that mean nothing for a kind: hidden while it is chosen. */
const NOT_FOR: Partial<Record<MonitorKind, FieldName[]>> = { PUSH: ['target', 'timeoutSeconds'] };

/** The monitors this one may depend on: every other one, by name; `current` is kept even if the list lacks it. */
function dependencyChoices(ctx: AppContext, id: string | null, current = ''): Array<[string, string]> {
  const others = ctx.store
    .all()
    .filter((row) => row.id !== id)
    .sort((a, b) => a.name.localeCompare(b.name));
  const choices: Array<[string, string]> = [
    ['', t('form.noDependency')],
    ...others.map((row): [string, string] => [row.id, row.name]),
  ];
  if (current && !others.some((row) => row.id === current))
    choices.push([current, t('form.monitorId', { id: current })]);
  return choices;
}

export function formView(ctx: AppContext, id: string | null): View {
  if (!canEdit(ctx.session)) {
    const back = id ? `/monitors/${encodeURIComponent(id)}` : '/';
    return {
      el: h(
        'section',
        { class: 'form-view' },
        h('a', { class: 'back', attrs: { href: back } }, t('form.back')),
        h('h1', null, id ? t('form.editMonitor') : t('form.newMonitor')),
        h('p', null, t('form.roleCannotEdit', { role: ROLE_LABEL[ctx.session.role] })),
      ),
    };
  }
  const fields: Field[] = [
    textField({ name: 'name', label: t('users.name'), placeholder: t('form.namePlaceholder') }),
    selectField({
      name: 'kind',
      label: t('channelForm.kind'),
      choices: [
        ['HTTP', t('form.kindHttp')],
        ['TCP', t('form.kindTcp')],
        ['ICMP', t('form.kindIcmp')],
        ['PUSH', t('form.kindPush')],
        ['DNS', t('form.kindDns')],
      ],
    }),
    textField({
      name: 'target',
      label: t('form.target'),
      hint: t('form.targetHint'),
    }),
    textField({ name: 'intervalSeconds', label: t('form.checkEvery'), inputmode: 'numeric' }),
    textField({
      name: 'timeoutSeconds',
      label: t('form.timeout'),
      inputmode: 'decimal',
      hint: t('form.timeoutHint'),
    }),
    textField({ name: 'retries', label: t('form.retries'), inputmode: 'numeric' }),
    textField({ name: 'slowThresholdMs', label: t('form.slowThreshold'), inputmode: 'numeric' }),
    textField({ name: 'tags', label: t('form.tags'), hint: t('form.tagsHint') }),
    textField({
      name: 'slug',
      label: t('form.slug'),
      hint: t('form.slugHint'),
      placeholder: 'shop-api',
    }),
    checkboxField({ name: 'badgesEnabled', label: t('form.badges') }),
    textField({
      name: 'group',
      label: t('form.group'),
      hint: t('form.groupHint'),
    }),
    selectField({
      name: 'dependsOn',
      label: t('form.dependsOn'),
      hint: t('form.dependsOnHint'),
      // Every other monitor, by name (filled again when the form opens: the list may still be loading).
      choices: dependencyChoices(ctx, id),
    }),
    selectField({
      name: 'http.method',
      label: t('form.method'),
      choices: HTTP_METHODS.map((method): [string, string] => [method, method]),
    }),
    textField({ name: 'http.expectedStatus', label: t('form.expectedStatus'), hint: t('form.expectedStatusHint') }),
    textField({ name: 'http.keyword', label: t('form.keyword'), hint: t('form.keywordHint') }),
    checkboxField({ name: 'http.keywordIsRegex', label: t('form.keywordIsRegex') }),
    checkboxField({ name: 'http.keywordMustBeAbsent', label: t('form.keywordMustBeAbsent') }),
    checkboxField({ name: 'http.followRedirects', label: t('form.followRedirects') }),
    checkboxField({ name: 'http.ignoreTlsErrors', label: t('form.ignoreTlsErrors') }),
    textField({
      name: 'graceSeconds',
      label: t('form.grace'),
      inputmode: 'numeric',
      hint: t('form.graceHint'),
    }),
    selectField({
      name: 'dns.recordType',
      label: t('form.recordType'),
      choices: DNS_RECORD_TYPES.map((type): [string, string] => [type, type]),
    }),
    selectField({
      name: 'dns.match',
      label: t('form.answersMust'),
      choices: [
        ['EXACT', t('form.matchExact')],
        ['CONTAINS', t('form.matchContains')],
        ['REGEX', t('form.matchRegex')],
      ],
    }),
    textField({
      name: 'dns.expected',
      label: t('form.expected'),
      hint: t('form.expectedHint'),
    }),
    textField({ name: 'dns.resolver', label: t('form.resolver'), hint: t('form.resolverHint') }),
  ];
  const assertions = assertionsField();
  const kindFields = (prefix: string) => fields.filter((f) => f.name.startsWith(prefix));
  const byName = new Map(fields.map((field) => [field.name, field]));
  const field = (name: FieldName): Field => byName.get(name)!;
  const touched = new Set<FieldName>();
  let serverErrors: FieldErrors = {};
  let showAll = false;

  const values = (): FormValues =>
    Object.fromEntries(fields.map((f) => [f.name, readValue(f)])) as unknown as FormValues;
  const httpBox = h(
    'fieldset',
    { class: 'http-settings' },
    h('legend', null, 'HTTP'),
    ...kindFields('http.').map((f) => f.wrapper),
    assertions.wrapper,
  );
  const request = httpRequestFields();
  httpBox.append(request.el);
  const dnsBox = h(
    'fieldset',
    { class: 'dns-settings' },
    h('legend', null, 'DNS'),
    ...kindFields('dns.').map((f) => f.wrapper),
  );
  const pushBox = h(
    'fieldset',
    { class: 'push-settings' },
    h('legend', null, t('form.heartbeat')),
    field('graceSeconds').wrapper,
    h('p', { class: 'hint' }, t('form.heartbeatHint')),
  );
  const inBox = (f: Field) => /^(http|dns)\./.test(f.name) || f.name === 'graceSeconds';
  const general = h('div', { class: 'form-errors', attrs: { role: 'alert' } });
  const notifications = notificationsFormSlot(ctx, id);
  const submit = h(
    'button',
    { class: 'button primary', attrs: { type: 'submit' } },
    id ? t('form.saveChanges') : t('form.createMonitor'),
  );

  const showErrors = (): FieldErrors => {
    const current = values();
    const errors = validateForm(current);
    for (const f of fields)
      f.showError(showAll || touched.has(f.name) ? (errors[f.name] ?? serverErrors[f.name]) : serverErrors[f.name]);
    httpBox.hidden = current.kind !== 'HTTP';
    dnsBox.hidden = current.kind !== 'DNS';
    pushBox.hidden = current.kind !== 'PUSH';
    for (const f of fields) if (!inBox(f)) f.wrapper.hidden = NOT_FOR[current.kind]?.includes(f.name) ?? false;
    setText(
      field('intervalSeconds').wrapper.querySelector('label')!,
      current.kind === 'PUSH' ? t('form.expectedEvery') : t('form.checkEvery'),
    );
    (field('target').control as HTMLInputElement).placeholder = TARGET_PLACEHOLDER[current.kind];
    return errors;
  };

  const form = h(
    'form',
    { class: 'monitor-form', attrs: { novalidate: true } },
    general,
    h('div', { class: 'grid' }, ...fields.filter((f) => !inBox(f)).map((f) => f.wrapper)),
    httpBox,
    dnsBox,
    pushBox,
    notifications.el,
    h(
      'div',
      { class: 'actions' },
      submit,
      h(
        'a',
        { class: 'button', attrs: { href: id ? `/monitors/${encodeURIComponent(id)}` : '/' } },
        t('common.cancel'),
      ),
    ),
  );
  form.addEventListener('input', (event) => {
    const name = (event.target as HTMLInputElement).name as FieldName;
    touched.add(name);
    delete serverErrors[name];
    showErrors();
  });
  form.addEventListener('focusout', (event) => {
    const name = (event.target as HTMLInputElement).name as FieldName;
    // Controls of other sections (notifications) are not the form's fields.
    if (byName.has(name) && readValue(field(name)) !== '') touched.add(name);
    showErrors();
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    showAll = true;
    const errors = showErrors();
    const firstInvalid =
      fields.find((f) => errors[f.name] ?? serverErrors[f.name])?.control ??
      (values().kind === 'HTTP' ? request.check() : null) ??
      notifications.invalid();
    if (firstInvalid) {
      general.textContent = t('channelForm.fix');
      return firstInvalid.focus();
    }
    general.textContent = '';
    submit.disabled = true;
    const input = inputFromForm(values());
    if (input.http) input.http = { ...input.http, ...request.value() };
    if (input.kind === 'HTTP') input.assertions = assertions.read();
    const saved = id
      ? ctx.api.mutate(UpdateMonitor, { id, input }).then((data) => data.updateMonitor)
      : ctx.api.mutate(CreateMonitor, { input }).then((data) => data.createMonitor);
    saved
      .then(async (monitor) => {
        await notifications.save(monitor.id);
        const row = await ctx.api.query(MonitorRowQuery, { id: monitor.id }).catch(() => null);
        if (row) ctx.store.upsert(row.monitor);
        ctx.notify(id ? `Saved “${monitor.name}”.` : `Created “${monitor.name}”.`);
        ctx.navigate(`/monitors/${encodeURIComponent(monitor.id)}`);
      })
      .catch((error: unknown) => {
        const sorted = sortErrors(error);
        serverErrors = sorted.fields as FieldErrors;
        const assertionsFailed = assertions.showServerErrors(sorted.fields);
        const unplaced = Object.entries(sorted.fields).filter(
          ([name]) => !byName.has(name as FieldName) && !assertions.owns(name),
        );
        general.textContent = [...sorted.general, ...unplaced.map(([name, message]) => `${name}: ${message}`)].join(
          ' ',
        );
        showErrors();
        const first = fields.find((f) => serverErrors[f.name]);
        (first?.control ?? (assertionsFailed ? assertions.control : submit)).focus();
      })
      .finally(() => (submit.disabled = false));
  });

  /** The monitors to depend on, as the list has them now; the choice made is kept. */
  const refreshDependencyChoices = (selected: string): void => {
    const dependsOn = field('dependsOn').control as HTMLSelectElement;
    replace(
      dependsOn,
      ...dependencyChoices(ctx, id, selected).map(([value, text]) => h('option', { attrs: { value } }, text)),
    );
    dependsOn.value = selected;
  };
  // Opened directly, the form may come before the list of monitors: its choices follow the list once it is read.
  const unsubscribe = ctx.store.subscribe((changed) => {
    if (changed === 'all') refreshDependencyChoices((field('dependsOn').control as HTMLSelectElement).value);
  });
  const fill = (initial: FormValues): void => {
    refreshDependencyChoices(initial.dependsOn);
    for (const f of fields) writeValue(f, initial[f.name]);
    showErrors();
  };
  const el = h(
    'section',
    { class: 'form-view' },
    h('a', { class: 'back', attrs: { href: id ? `/monitors/${encodeURIComponent(id)}` : '/' } }, t('form.back')),
  );
  if (id) {
    el.append(h('h1', null, t('form.editMonitor')), h('p', { class: 'muted' }, t('common.loading')));
    ctx.api
      .query(MonitorDetailQuery, { id })
      .then((data) => {
        fill(formFromMonitor(data.monitor));
        request.fill(data.monitor.http);
        assertions.write(data.monitor.assertions);
        const ping = pingUrlCard(data.monitor.pingUrl);
        if (ping) pushBox.append(ping);
        replace(el, el.firstChild, h('h1', null, `Edit “${data.monitor.name}”`), form);
      })
      .catch(
        (error: unknown) =>
          el.lastChild &&
          replace(
            el,
            el.firstChild,
            h('h1', null, t('form.editMonitor')),
            h('p', { class: 'error-text' }, errorText(error)),
          ),
      );
  } else {
    fill(EMPTY_FORM);
    el.append(h('h1', null, t('form.newMonitor')), form);
    queueMicrotask(() => field('name').control.focus());
  }
  return { el, destroy: unsubscribe };
}
