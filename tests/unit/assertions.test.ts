// The assertion language of HTTP checks: parsing (errors name the condition and the position) and evaluation.
import { describe, expect, it } from 'vitest';
import {
  evaluateAssertions,
  parseAssertion,
  parseAssertions,
  type AssertionContext,
} from '../../server/checks/assertions.ts';
import { ValidationError } from '../../server/errors.ts';

const response: AssertionContext = {
  status: 200,
  responseTimeMs: 120.4,
  certificateDaysLeft: 30,
  headers: { 'content-type': 'application/json; charset=utf-8', 'set-cookie': ['a=1', 'b=2'] },
  body: JSON.stringify({ status: 'UP', count: 3, ok: true, items: [{ name: 'db', up: false }], empty: null }),
};

const failuresOf = (sources: string[], context = response) => evaluateAssertions(parseAssertions(sources), context);

function parseError(source: string): string {
  try {
    parseAssertion(source);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as Error).message;
  }
  throw new Error(`"${source}" was accepted`);
}

describe('parsing', () => {
  it.each([
    ['status == 200', { subject: { kind: 'status' }, operator: '==', value: { text: '200', number: 200 } }],
    ['[STATUS] == 200', { subject: { kind: 'status' }, operator: '==' }],
    ['status!=500', { subject: { kind: 'status' }, operator: '!=', value: { number: 500 } }],
    ['body.$.status == "UP"', { subject: { kind: 'body', path: '$.status' }, value: { text: 'UP', number: null } }],
    ['[BODY].status == UP', { subject: { kind: 'body', path: '$.status' }, value: { text: 'UP' } }],
    ['response_time < 300', { subject: { kind: 'response_time' }, operator: '<', value: { number: 300 } }],
    ['header.Content-Type contains json', { subject: { kind: 'header', name: 'content-type' }, operator: 'contains' }],
    ['body not contains "error"', { subject: { kind: 'body', path: null }, operator: '!contains' }],
    ['certificate.days > 14', { subject: { kind: 'certificate_days' }, operator: '>', value: { number: 14 } }],
    // Gatus' functions and durations.
    [
      'len([BODY].items) > 0',
      { subject: { kind: 'len', of: { kind: 'body', path: '$.items' } }, value: { number: 0 } },
    ],
    ['LEN(body) < 100', { subject: { kind: 'len', of: { kind: 'body', path: null } } }],
    ['len(header.etag) == 10', { subject: { kind: 'len', of: { kind: 'header', name: 'etag' } } }],
    ['has([BODY].errors) == false', { subject: { kind: 'has', of: { path: '$.errors' } }, value: { text: 'false' } }],
    ['[RESPONSE_TIME] < 300ms', { subject: { kind: 'response_time' }, value: { text: '300ms', number: 300 } }],
    ['response_time <= 1s', { value: { number: 1000 } }],
    ['response_time < 1m30s', { value: { number: 90_000 } }],
  ])('reads %s', (source, expected) => {
    expect(parseAssertion(source)).toMatchObject(expected);
  });

  it.each([
    ['status = 200', 'position 8: unknown operator "="'],
    ['status === 200', 'position 8: unknown operator "==="'],
    ['status => 200', 'position 8: unknown operator "=>"'],
    ['statut == 200', 'position 1: unknown value "statut"'],
    ['status ==', 'position 10: missing value after the operator'],
    ['status', 'position 7: missing operator'],
    ['response_time < fast', 'position 17: < needs a number'],
    ['status == "ok"', 'position 11: status is a number'],
    ['body.status == "UP"', 'position 6: a body path is JSONPath and starts with $'],
    ['body.$.items[?(@.up)] == 1', 'position 14: JSONPath filter and script expressions are not supported'],
    ['body.$.a == "unterminated', 'position 13: a quoted value must be one JSON string'],
    ['body == two words', 'position 12: a value with spaces must be quoted'],
    ['header. contains x', 'position 8: expected a header name'],
    ['len([BODY].items > 0', 'position 17: missing ")" closing len('],
    ['len([BODY].items == 1', 'position 17: missing ")" closing len('],
    ['len() == 1', 'position 5: len() needs a value'],
    ['len(status) > 1', 'position 5: len() takes the body, a body path or a header'],
    ['has(body) == true', 'position 5: has() takes a body path'],
    ['has([BODY].errors) == 1', 'position 23: has(...) is true or false'],
    ['has([BODY].errors) > false', 'position 22: has(...) is true or false'],
    ['size([BODY].items) > 0', 'position 1: unknown value "size([BODY].items)"'],
    ['body.$.took < 300ms', 'position 15: a duration (300ms, 1s) compares only with response_time'],
    ['response_time < 3 s', 'position 18: a value with spaces must be quoted'],
  ])('refuses %s, naming it and the position', (source, problem) => {
    const message = parseError(source);
    expect(message).toContain(`"${source}"`);
    expect(message).toContain(problem);
  });

  it('names the place of the bad condition in a list', () => {
    expect(() => parseAssertions(['status == 200', 'status === 200'])).toThrow(/^\[1\] "status === 200" at position/);
  });
});

describe('evaluation', () => {
  it('holds for conditions the response meets', () => {
    expect(
      failuresOf([
        'status == 200',
        'body.$.status == "UP"',
        'body.$.count == 3',
        'body.$.count >= 3',
        'body.$.ok == true',
        'body.$.empty == null',
        'body.$.items[0].name == db',
        'body.$.items.length == 1',
        'response_time < 300',
        'header.content-type contains json',
        'header.set-cookie contains b=2',
        'body contains "UP"',
        'body !contains "DOWN"',
        'certificate.days > 14',
      ]),
    ).toEqual([]);
  });

  it("holds for Gatus' len(), has() and durations the response meets", () => {
    expect(
      failuresOf([
        'len([BODY].items) == 1',
        'len(body.$.status) == 2',
        'len([BODY]) > 10',
        'len(body.$.items[0]) == 2',
        'has([BODY].status) == true',
        'has([BODY].errors) == false',
        'has([BODY].errors) != true',
        '[RESPONSE_TIME] < 300ms',
        'response_time < 1s',
      ]),
    ).toEqual([]);
  });

  it('names every condition that fails, with what it got', () => {
    expect(
      failuresOf([
        'status == 204',
        'body.$.status == "DOWN"',
        'response_time < 100',
        'header.x-missing contains a',
        'body.$.nothing == 1',
        'body.$.status > 1',
        'certificate.days > 60',
        'len([BODY].items) > 1',
        'len([BODY].count) > 0',
        'len([BODY].nothing) > 0',
        'has([BODY].status) == false',
        'has([BODY].errors) == true',
        'response_time < 100ms',
      ]),
    ).toEqual([
      '`status == 204`: got 200',
      '`body.$.status == "DOWN"`: got "UP"',
      '`response_time < 100`: got 120',
      '`header.x-missing contains a`: no x-missing header',
      '`body.$.nothing == 1`: nothing at $.nothing',
      '`body.$.status > 1`: got "UP", not a number',
      '`certificate.days > 60`: got 30',
      '`len([BODY].items) > 1`: got 1',
      '`len([BODY].count) > 0`: 3 has no length',
      '`len([BODY].nothing) > 0`: nothing at $.nothing',
      '`has([BODY].status) == false`: got true',
      '`has([BODY].errors) == true`: got false',
      '`response_time < 100ms`: got 120',
    ]);
  });

  it('says when the body is not JSON or there is no certificate', () => {
    const plain = { ...response, body: '<html>', certificateDaysLeft: null };
    expect(failuresOf(['body.$.status == "UP"', 'certificate.days > 14'], plain)).toEqual([
      '`body.$.status == "UP"`: the body is not JSON',
      '`certificate.days > 14`: no certificate (not HTTPS)',
    ]);
  });
});
