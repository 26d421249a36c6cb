// The monitor form's validation as you type, and the mutation input it builds.
import { describe, expect, it } from 'vitest';
import type { MonitorDetail } from '../../../client/src/api/types.ts';
import {
  EMPTY_FORM,
  formFromMonitor,
  inputFromForm,
  parseTags,
  urlProblem,
  validateForm,
  type FormValues,
} from '../../../client/src/state/validate.ts';

const valid: FormValues = { ...EMPTY_FORM, name: 'Shop', target: 'https://shop.example.com/health' };

describe('validateForm', () => {
  it('accepts a complete HTTP monitor', () => {
    expect(validateForm(valid)).toEqual({});
  });

  it('names each field that is wrong', () => {
    const errors = validateForm({
      ...valid,
      name: '  ',
      target: 'ftp://example.com',
      intervalSeconds: '0',
      retries: '1.5',
      slowThresholdMs: 'fast',
      'http.expectedStatus': '200-299,abc',
    });
    expect(Object.keys(errors).sort()).toEqual([
      'http.expectedStatus',
      'intervalSeconds',
      'name',
      'retries',
      'slowThresholdMs',
      'target',
    ]);
    expect(errors.target).toMatch(/http/);
    expect(errors['http.expectedStatus']).toMatch(/abc/);
  });

  it('wants the timeout below the interval', () => {
    expect(validateForm({ ...valid, intervalSeconds: '5', timeoutSeconds: '5' }).timeoutSeconds).toMatch(
      /below the interval/,
    );
    expect(validateForm({ ...valid, intervalSeconds: '5', timeoutSeconds: '4.5' })).toEqual({});
    expect(validateForm({ ...valid, timeoutSeconds: '-1' }).timeoutSeconds).toMatch(/above 0/);
  });

  it('checks TCP and ICMP targets by their own rules', () => {
    expect(validateForm({ ...valid, kind: 'TCP', target: 'db.example.com' }).target).toMatch(/host:port/);
    expect(validateForm({ ...valid, kind: 'TCP', target: 'db.example.com:70000' }).target).toMatch(/65535/);
    expect(validateForm({ ...valid, kind: 'TCP', target: 'db.example.com:5432' })).toEqual({});
    expect(validateForm({ ...valid, kind: 'ICMP', target: '-f host' }).target).toBeDefined();
    expect(validateForm({ ...valid, kind: 'ICMP', target: 'https://host/' }).target).toMatch(/not a URL/);
    expect(validateForm({ ...valid, kind: 'ICMP', target: '192.0.2.1' })).toEqual({});
  });

  it('checks a regular-expression keyword compiles, and ignores HTTP settings for other kinds', () => {
    expect(validateForm({ ...valid, 'http.keyword': '(', 'http.keywordIsRegex': true })['http.keyword']).toMatch(
      /regular expression/,
    );
    expect(validateForm({ ...valid, 'http.keyword': '(' })).toEqual({});
    expect(validateForm({ ...valid, kind: 'TCP', target: 'a:1', 'http.expectedStatus': 'nope' })).toEqual({});
  });

  it('explains what is wrong with a URL', () => {
    expect(urlProblem('')).toMatch(/required/);
    expect(urlProblem('example.com')).toMatch(/full URL/);
    expect(urlProblem('javascript:alert(1)')).toMatch(/http/);
    expect(urlProblem(' https://example.com ')).toBeNull();
  });
});

describe('inputFromForm', () => {
  it('builds the mutation input with numbers, trimmed text and unique tags', () => {
    const input = inputFromForm({
      ...valid,
      name: ' Shop ',
      intervalSeconds: '30',
      tags: 'prod, web,, prod ',
      'http.expectedStatus': '200 - 299, 304',
    });
    expect(input).toMatchObject({
      name: 'Shop',
      kind: 'HTTP',
      intervalSeconds: 30,
      retries: 1,
      slowThresholdMs: 800,
      tags: ['prod', 'web'],
    });
    expect(input.http).toMatchObject({
      method: 'GET',
      expectedStatus: '200-299,304',
      keyword: null,
      followRedirects: true,
    });
    expect('timeoutSeconds' in input).toBe(false);
    expect(inputFromForm({ ...valid, timeoutSeconds: '2.5' }).timeoutSeconds).toBe(2.5);
    expect(inputFromForm({ ...valid, kind: 'TCP', target: 'a:1' }).http).toBeUndefined();
  });

  it('heartbeats need no target but a grace; DNS monitors a name, their settings and one pattern for a regex', () => {
    const push = { ...valid, kind: 'PUSH' as const, target: '' };
    expect(validateForm(push)).toEqual({});
    expect(validateForm({ ...push, graceSeconds: '-1' }).graceSeconds).toBeDefined();
    expect(inputFromForm({ ...push, graceSeconds: '30' })).toMatchObject({ kind: 'PUSH', graceSeconds: 30 });
    expect('target' in inputFromForm(push)).toBe(false);
    const dns = { ...valid, kind: 'DNS' as const, target: 'example.com', 'dns.expected': '192.0.2.1, 192.0.2.2' };
    expect(validateForm(dns)).toEqual({});
    expect(validateForm({ ...dns, target: 'https://example.com/' }).target).toBeDefined();
    expect(validateForm({ ...dns, 'dns.resolver': 'dns.google' })['dns.resolver']).toBeDefined();
    expect(validateForm({ ...dns, 'dns.match': 'REGEX' })['dns.expected']).toBe('One regular expression.');
    expect(inputFromForm({ ...dns, 'dns.resolver': '127.0.0.1:5353' }).dns).toEqual({
      recordType: 'A',
      expected: ['192.0.2.1', '192.0.2.2'],
      match: 'EXACT',
      resolver: '127.0.0.1:5353',
    });
  });

  it('round-trips a monitor through the form', () => {
    const monitor: MonitorDetail = {
      id: '7',
      name: 'API',
      kind: 'HTTP',
      target: 'https://api.example.com/',
      status: 'UP',
      tags: ['prod'],
      maintenance: { activeUntil: null, activeWindow: null, next: null, nextWindow: null },
      paused: false,
      intervalSeconds: 30,
      timeoutSeconds: 5,
      retries: 2,
      slowThresholdMs: 900,
      createdAt: '',
      lastCheckedAt: null,
      badgesEnabled: true,
      slug: 'api',
      graceSeconds: 60,
      pingUrl: null,
      dns: null,
      group: 'Shop',
      dependsOn: '3',
      assertions: [],
      locations: null,
      certificateAlertDays: 14,
      lastResult: null,
      http: {
        method: 'HEAD',
        expectedStatus: '200-299',
        keyword: 'ok',
        keywordIsRegex: false,
        keywordMustBeAbsent: false,
        followRedirects: false,
        ignoreTlsErrors: true,
        headers: [],
        body: null,
      },
    };
    const values = formFromMonitor(monitor);
    expect(validateForm(values)).toEqual({});
    expect(inputFromForm(values)).toMatchObject({
      name: 'API',
      intervalSeconds: 30,
      timeoutSeconds: 5,
      retries: 2,
      tags: ['prod'],
      badgesEnabled: true,
      slug: 'api',
      group: 'Shop',
      dependsOn: '3',
      http: { method: 'HEAD', keyword: 'ok', ignoreTlsErrors: true },
    });
    expect(inputFromForm({ ...values, group: '  ', dependsOn: '' })).toMatchObject({ group: null, dependsOn: null });
  });

  it('checks a badge address as the server does, and sends none when it is empty', () => {
    expect(validateForm({ ...valid, slug: 'Shop API' }).slug).toMatch(/^Lower-case letters/);
    expect(validateForm({ ...valid, slug: '-shop' }).slug).toMatch(/^Lower-case letters/);
    expect(validateForm({ ...valid, slug: '2024' }).slug).toBe('Not only digits: those are ids.');
    expect(validateForm({ ...valid, slug: 'shop-api' }).slug).toBeUndefined();
    expect(inputFromForm({ ...valid, slug: ' ' })).toMatchObject({ slug: null, badgesEnabled: false });
  });

  it('parses tags', () => {
    expect(parseTags(' a , b,a,,c ')).toEqual(['a', 'b', 'c']);
  });
});
