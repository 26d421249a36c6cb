// Assertions of an HTTP check, in Gatus' spirit: conditions such as `status == 200`, `body.$.status == "UP"`
// (JSONPath), `response_time < 300` (or a duration: `300ms`, `1s`), `header.content-type contains json`,
// `certificate.days > 14`, and Gatus' functions `len(...)` (`len([BODY].items) > 0`) and `has(...)`
// (`has([BODY].errors) == false`). Each is parsed once (a ValidationError names the condition and the position of
// the problem), then evaluated on every response.
import { JSONPath } from 'jsonpath-plus';
import { ValidationError } from '../errors.ts';

export const MAX_ASSERTIONS = 20;
const MAX_ASSERTION_LENGTH = 500;

export type AssertionOperator = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'contains' | '!contains';

type ValueSubject =
  | { kind: 'status' }
  | { kind: 'response_time' }
  | { kind: 'certificate_days' }
  | { kind: 'header'; name: string }
  /** path null: the whole body as text. */
  | { kind: 'body'; path: string | null };

export type AssertionSubject =
  | ValueSubject
  /** The length of a text (characters), a list (items) or an object (keys) read from the body or a header. */
  | { kind: 'len'; of: Extract<ValueSubject, { kind: 'body' | 'header' }> }
  /** Whether a JSONPath of the body finds something: compared with true or false. */
  | { kind: 'has'; of: { kind: 'body'; path: string } };

/** A literal on the right: a number, a quoted string, true/false/null, or a bare word (taken as text). */
export type AssertionValue = { text: string; number: number | null };

export interface Assertion {
  source: string;
  subject: AssertionSubject;
  operator: AssertionOperator;
  value: AssertionValue;
}

/** What a response offers to assertions. */
export interface AssertionContext {
  status: number;
  responseTimeMs: number;
  certificateDaysLeft: number | null;
  /** Lower-cased names. */
  headers: Record<string, string | string[] | undefined>;
  /** The body as read (at most MAX_BODY_BYTES), or null when it was not read. */
  body: string | null;
}

const OPERATORS: readonly AssertionOperator[] = ['==', '!=', '<=', '>=', '<', '>'];
const NUMERIC: ReadonlySet<AssertionOperator> = new Set(['<', '<=', '>', '>=']);
// Gatus' placeholders, with the names the issue uses.
const ALIASES: Record<string, AssertionSubject['kind']> = {
  status: 'status',
  '[status]': 'status',
  response_time: 'response_time',
  '[response_time]': 'response_time',
  'certificate.days': 'certificate_days',
};

/** An error at a 1-based column of the condition. */
function invalid(source: string, column: number, problem: string): never {
  throw new ValidationError(`"${source}" at position ${column}: ${problem}`);
}

/** Parses one condition; throws a ValidationError naming the condition and the position of the problem. */
export function parseAssertion(source: string): Assertion {
  if (source.length > MAX_ASSERTION_LENGTH) {
    throw new ValidationError(`"${source.slice(0, 40)}…" is too long (at most ${MAX_ASSERTION_LENGTH} characters)`);
  }
  const leading = source.length - source.trimStart().length;
  const subjectEnd = source.slice(leading).search(/\s|==|!=|<|>|$/) + leading;
  const subjectText = source.slice(leading, subjectEnd);
  if (subjectText === '')
    invalid(source, leading + 1, 'expected status, response_time, body, header.<name> or certificate.days');
  const subject = parseFunctionOrSubject(source, subjectText, leading + 1);

  let at = subjectEnd;
  while (source[at] === ' ' || source[at] === '\t') at++;
  const rest = source.slice(at);
  let operator: AssertionOperator | undefined = OPERATORS.find((op) => rest.startsWith(op));
  let operatorLength = operator?.length ?? 0;
  if (!operator) {
    const word = /^(not\s+contains|!contains|contains)(?=\s|$)/i.exec(rest);
    if (word) {
      operator = word[1]!.toLowerCase() === 'contains' ? 'contains' : '!contains';
      operatorLength = word[0].length;
    }
  }
  if (!operator) {
    invalid(
      source,
      at + 1,
      rest === ''
        ? 'missing operator (==, !=, <, <=, >, >=, contains, !contains)'
        : `unknown operator "${rest.split(/\s/)[0]}" (expected ==, !=, <, <=, >, >=, contains, !contains)`,
    );
  }
  const glued = /^[=<>!]+/.exec(rest.slice(operatorLength));
  if (glued)
    invalid(
      source,
      at + 1,
      `unknown operator "${rest.slice(0, operatorLength)}${glued[0]}" (expected ==, !=, <, <=, >, >=, contains, !contains)`,
    );
  at += operatorLength;
  while (source[at] === ' ' || source[at] === '\t') at++;
  const value = parseValue(source, at, subject.kind === 'response_time');
  if (subject.kind === 'has') {
    if ((operator !== '==' && operator !== '!=') || (value.text !== 'true' && value.text !== 'false')) {
      invalid(source, at + 1, 'has(...) is true or false: compare it with == true or == false');
    }
    return { source, subject, operator, value };
  }
  if (NUMERIC.has(operator) && value.number === null) invalid(source, at + 1, `${operator} needs a number`);
  if (
    subject.kind !== 'body' &&
    subject.kind !== 'header' &&
    value.number === null &&
    operator !== 'contains' &&
    operator !== '!contains'
  ) {
    invalid(source, at + 1, `${subjectText} is a number: compare it with a number`);
  }
  return { source, subject, operator, value };
}

/** A subject, or Gatus' len(<body or header>) / has(<body path>) around one. */
function parseFunctionOrSubject(source: string, text: string, column: number): AssertionSubject {
  const call = /^(len|has)\(/i.exec(text);
  if (!call) return parseSubject(source, text, column);
  const name = call[1]!.toLowerCase() as 'len' | 'has';
  if (!text.endsWith(')')) invalid(source, column + text.length, `missing ")" closing ${name}(`);
  const inner = text.slice(call[0].length, -1);
  const innerColumn = column + call[0].length;
  if (inner === '') invalid(source, innerColumn, `${name}() needs a value, e.g. ${name}([BODY].items)`);
  const of = parseSubject(source, inner, innerColumn);
  if (name === 'has') {
    if (of.kind !== 'body' || of.path === null) {
      invalid(source, innerColumn, 'has() takes a body path, e.g. has([BODY].errors) or has(body.$.errors)');
    }
    return { kind: 'has', of: { kind: 'body', path: of.path } };
  }
  if (of.kind !== 'body' && of.kind !== 'header') {
    invalid(source, innerColumn, 'len() takes the body, a body path or a header, e.g. len([BODY].items)');
  }
  return { kind: 'len', of };
}

function parseSubject(source: string, text: string, column: number): AssertionSubject {
  const lower = text.toLowerCase();
  const alias = ALIASES[lower];
  if (alias === 'status' || alias === 'response_time' || alias === 'certificate_days') return { kind: alias };
  if (lower.startsWith('header.')) {
    const name = text.slice('header.'.length).toLowerCase();
    if (!/^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(name)) invalid(source, column + 7, 'expected a header name after "header."');
    return { kind: 'header', name };
  }
  if (lower === 'body' || lower === '[body]') return { kind: 'body', path: null };
  // body.$.a.b (JSONPath) or Gatus' [BODY].a.b
  const path = lower.startsWith('body.') ? text.slice(5) : lower.startsWith('[body].') ? `$.${text.slice(7)}` : null;
  if (path === null) {
    invalid(
      source,
      column,
      `unknown value "${text}" (expected status, response_time, body, body.$.<JSONPath>, header.<name> or certificate.days)`,
    );
  }
  const pathColumn = column + (lower.startsWith('body.') ? 5 : 7);
  if (!path.startsWith('$'))
    invalid(source, pathColumn, 'a body path is JSONPath and starts with $ (e.g. body.$.status)');
  const script = path.search(/\?\(|\(/);
  if (script !== -1) invalid(source, pathColumn + script, 'JSONPath filter and script expressions are not supported');
  try {
    JSONPath.toPathArray(path);
  } catch (error) {
    invalid(source, pathColumn, `invalid JSONPath: ${(error as Error).message}`);
  }
  return { kind: 'body', path };
}

const DURATION_UNITS_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A Go duration as Gatus writes them (300ms, 1s, 1m30s, 1.5h) in milliseconds; null when it is not one. */
export function goDurationMs(text: string): number | null {
  const parts = [...text.trim().matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (!parts.length || parts.map((part) => part[0]).join('') !== text.trim()) return null;
  return parts.reduce((sum, part) => sum + Number(part[1]) * DURATION_UNITS_MS[part[2]!]!, 0);
}

/** The literal after the operator; `durations`: a duration (300ms, 1s) is read as its milliseconds. */
function parseValue(source: string, at: number, durations: boolean): AssertionValue {
  const text = source.slice(at).trimEnd();
  if (text === '') invalid(source, at + 1, 'missing value after the operator');
  if (/^\d[\d.]*(ms|s|m|h)/.test(text) && goDurationMs(text) !== null) {
    if (!durations) invalid(source, at + 1, 'a duration (300ms, 1s) compares only with response_time');
    return { text, number: goDurationMs(text) };
  }
  if (text.startsWith('"')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      invalid(source, at + 1, 'a quoted value must be one JSON string, its end quoted (escape " as \\")');
    }
    return { text: parsed as string, number: null };
  }
  if (/^-?\d+(\.\d+)?$/.test(text)) return { text, number: Number(text) };
  if (/\s/.test(text)) invalid(source, at + 1 + text.search(/\s/), 'a value with spaces must be quoted');
  return { text, number: null };
}

/** Parses every condition; the error names the condition's place in the list. */
export function parseAssertions(sources: readonly string[]): Assertion[] {
  if (sources.length > MAX_ASSERTIONS) throw new ValidationError(`at most ${MAX_ASSERTIONS} assertions`);
  return sources.map((source, index) => {
    try {
      return parseAssertion(source);
    } catch (error) {
      if (error instanceof ValidationError) throw new ValidationError(`[${index}] ${error.message}`);
      throw error;
    }
  });
}

/** Whether an assertion needs the body read. */
export const readsBody = (assertions: readonly Assertion[]): boolean =>
  assertions.some(
    ({ subject }) =>
      subject.kind === 'body' || ((subject.kind === 'len' || subject.kind === 'has') && subject.of.kind === 'body'),
  );

/** Evaluates every assertion; returns one message per failure ("`status == 200`: got 503"). */
export function evaluateAssertions(assertions: readonly Assertion[], context: AssertionContext): string[] {
  const failures: string[] = [];
  let json: { value: unknown } | null | undefined;
  for (const assertion of assertions) {
    const found = actualValue(assertion.subject, context, () => {
      if (json === undefined) {
        try {
          json = { value: JSON.parse(context.body ?? '') };
        } catch {
          json = null;
        }
      }
      return json;
    });
    const problem = 'missing' in found ? found.missing : compare(found.value, assertion.operator, assertion.value);
    if (problem !== null) failures.push(`\`${assertion.source}\`: ${problem}`);
  }
  return failures;
}

type Found = { value: unknown } | { missing: string };

function actualValue(
  subject: AssertionSubject,
  context: AssertionContext,
  json: () => { value: unknown } | null,
): Found {
  switch (subject.kind) {
    case 'len': {
      const found = actualValue(subject.of, context, json);
      if ('missing' in found) return found;
      const { value } = found;
      if (typeof value === 'string' || Array.isArray(value)) return { value: value.length };
      if (isObject(value)) return { value: Object.keys(value).length };
      return { missing: `${show(value)} has no length` };
    }
    case 'has': {
      const found = actualValue(subject.of, context, json);
      if ('missing' in found && found.missing === 'the body is not JSON') return found;
      return { value: !('missing' in found) };
    }
    case 'status':
      return { value: context.status };
    case 'response_time':
      return { value: Math.round(context.responseTimeMs) };
    case 'certificate_days':
      return context.certificateDaysLeft === null
        ? { missing: 'no certificate (not HTTPS)' }
        : { value: context.certificateDaysLeft };
    case 'header': {
      const value = context.headers[subject.name];
      if (value === undefined) return { missing: `no ${subject.name} header` };
      return { value: Array.isArray(value) ? value.join(', ') : value };
    }
    case 'body': {
      if (subject.path === null) return { value: context.body ?? '' };
      const parsed = json();
      if (parsed === null) return { missing: 'the body is not JSON' };
      const matches = JSONPath({
        path: subject.path,
        json: parsed.value as object,
        eval: false,
        wrap: true,
      }) as unknown[];
      if (matches.length === 0) return { missing: `nothing at ${subject.path}` };
      return { value: matches[0] };
    }
  }
}

const isObject = (value: unknown): value is object =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function show(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  return text.length > 100 ? `${text.slice(0, 99)}…` : text;
}

/** The value as text for == and contains: strings as they are, anything else as JSON. */
function asText(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
}

function compare(actual: unknown, operator: AssertionOperator, expected: AssertionValue): string | null {
  const got = `got ${show(actual)}`;
  switch (operator) {
    case 'contains':
      return asText(actual).includes(expected.text) ? null : got;
    case '!contains':
      return asText(actual).includes(expected.text) ? got : null;
    case '==':
    case '!=': {
      const numeric = typeof actual === 'number' && expected.number !== null;
      const equal = numeric ? actual === expected.number : asText(actual) === expected.text;
      return equal === (operator === '==') ? null : got;
    }
    default: {
      const number = typeof actual === 'number' ? actual : typeof actual === 'string' ? Number(actual) : Number.NaN;
      if (!Number.isFinite(number) || (typeof actual === 'string' && actual.trim() === ''))
        return `${got}, not a number`;
      const limit = expected.number!;
      const holds =
        operator === '<'
          ? number < limit
          : operator === '<='
            ? number <= limit
            : operator === '>'
              ? number > limit
              : number >= limit;
      return holds ? null : got;
    }
  }
}
