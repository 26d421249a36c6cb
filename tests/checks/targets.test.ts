// Target and keyword validation shared by the input layer and the checks.
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../server/errors.ts';
import {
  compileKeyword,
  isAllowedRedirectScheme,
  parseHttpTarget,
  parseIcmpTarget,
  parseTcpTarget,
} from '../../server/checks/index.ts';

function rejection(parse: () => unknown): ValidationError {
  try {
    parse();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  }
  throw new Error('expected a ValidationError, but the input was accepted');
}

const longHost = `${'a'.repeat(60)}.`.repeat(5) + 'com'; // 308 characters
const longLabel = `${'a'.repeat(64)}.com`;

describe('parseHttpTarget', () => {
  it('accepts http and https URLs, with credentials, ports and IPv6 hosts', () => {
    expect(parseHttpTarget('https://example.com').hostname).toBe('example.com');
    const withCredentials = parseHttpTarget('http://user:pw@127.0.0.1:8080/health?full=1');
    expect(withCredentials).toMatchObject({ username: 'user', password: 'pw', port: '8080', pathname: '/health' });
    expect(parseHttpTarget('HTTPS://EXAMPLE.com/').protocol).toBe('https:');
    expect(parseHttpTarget('http://[::1]:8080/').hostname).toBe('[::1]');
    expect(parseHttpTarget('  https://example.com  ').href).toBe('https://example.com/');
  });

  it.each([undefined, null, 42, '', '   '])('requires a URL (%j)', (input) => {
    const error = rejection(() => parseHttpTarget(input));
    expect(error).toMatchObject({ field: 'url', message: 'URL is required' });
  });

  it('rejects a NUL byte', () => {
    expect(rejection(() => parseHttpTarget('http://example.com/\0')).message).toMatch(/NUL byte/);
  });

  it.each(['not a url', 'example.com', 'http://', 'http://exa mple.com/'])('rejects the unparsable %j', (input) => {
    expect(rejection(() => parseHttpTarget(input)).message).toMatch(/is not a valid URL/);
  });

  it.each([
    ['file:///etc/passwd', 'file'],
    ['gopher://example.com/', 'gopher'],
    ['ftp://example.com/', 'ftp'],
    ['data:text/plain,hello', 'data'],
    ['javascript:alert(1)', 'javascript'],
  ])('rejects the scheme of %j', (input, scheme) => {
    const error = rejection(() => parseHttpTarget(input));
    expect(error).toMatchObject({ field: 'url', message: `URL scheme "${scheme}" is not allowed; use http or https` });
  });

  it('rejects a host longer than 253 characters or a label longer than 63', () => {
    expect(rejection(() => parseHttpTarget(`https://${longHost}/`)).message).toMatch(/longer than 253/);
    expect(rejection(() => parseHttpTarget(`https://${longLabel}/`)).message).toMatch(/longer than 63/);
  });
});

describe('parseTcpTarget', () => {
  it('splits host and port, IPv6 in brackets', () => {
    expect(parseTcpTarget('example.com:443')).toEqual({ host: 'example.com', port: 443 });
    expect(parseTcpTarget('127.0.0.1:1')).toEqual({ host: '127.0.0.1', port: 1 });
    expect(parseTcpTarget('[::1]:65535')).toEqual({ host: '::1', port: 65535 });
  });

  it.each([
    ['example.com', /must be host:port/],
    ['example.com:0', /from 1 to 65535/],
    ['example.com:65536', /from 1 to 65535/],
    ['example.com:1.5', /from 1 to 65535/],
    ['example.com:-1', /from 1 to 65535/],
    ['example.com:', /from 1 to 65535/],
    [':80', /host is missing/],
    ['::1:80', /needs brackets/],
    ['[example.com]:80', /not an IPv6 address/],
    ['-oProxyCommand=x:22', /must not start with "-"/],
    ['a b:80', /whitespace/],
    ['a;b:80', /forbidden character ";"/],
    ['a\0b:80', /NUL byte/],
    [`${longLabel}:80`, /longer than 63/],
  ])('rejects %j', (input, message) => {
    const error = rejection(() => parseTcpTarget(input));
    expect(error.field).toBe('target');
    expect(error.message).toMatch(message);
  });
});

describe('parseIcmpTarget', () => {
  it('accepts names and addresses, in ASCII form', () => {
    expect(parseIcmpTarget('127.0.0.1')).toBe('127.0.0.1');
    expect(parseIcmpTarget('ping.example.com.')).toBe('ping.example.com.');
    expect(parseIcmpTarget('::1')).toBe('::1');
    expect(parseIcmpTarget('[::1]')).toBe('::1');
    expect(parseIcmpTarget('bücher.de')).toBe('xn--bcher-kva.de');
  });

  it.each([
    ['-c 1000', /must not start with "-"/],
    ['--help', /must not start with "-"/],
    ['127.0.0.1 -f', /whitespace/],
    ['host\tname', /whitespace/],
    ['a\0b', /NUL byte/],
    ...[';', '&', '|', '`', '$', '(', ')', '<', '>', '\\', "'", '"'].map((char): [string, RegExp] => [
      `127.0.0.1${char}id`,
      /forbidden character/,
    ]),
    ['a..b', /not a valid host name/],
    [longLabel, /longer than 63/],
    [longHost, /longer than 253/],
    ['', /required/],
  ])('rejects %j', (input, message) => {
    const error = rejection(() => parseIcmpTarget(input));
    expect(error.field).toBe('target');
    expect(error.message).toMatch(message);
  });
});

describe('isAllowedRedirectScheme', () => {
  it('allows only http and https', () => {
    expect(isAllowedRedirectScheme(new URL('http://example.com'))).toBe(true);
    expect(isAllowedRedirectScheme(new URL('https://example.com'))).toBe(true);
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'ftp://example.com', 'data:,x']) {
      expect(isAllowedRedirectScheme(new URL(url))).toBe(false);
    }
  });
});

describe('compileKeyword', () => {
  it('matches plain text literally and a regular expression as one', async () => {
    expect(await compileKeyword('a.c', false)('xa.cx', 1000)).toBe(true);
    expect(await compileKeyword('a.c', false)('abc', 1000)).toBe(false);
    expect(await compileKeyword('a.c', true)('abc', 1000)).toBe(true);
    expect(await compileKeyword('^ok$', true)('ok', 1000)).toBe(true);
    expect(await compileKeyword('^ok$', true)('ok\n', 1000)).toBe(false);
    expect(await compileKeyword('OK', true)('ok', 1000)).toBe(false);
  });

  it('rejects an empty keyword and an invalid regular expression', () => {
    expect(rejection(() => compileKeyword('', false))).toMatchObject({ field: 'keyword' });
    const error = rejection(() => compileKeyword('(unclosed', true));
    expect(error).toMatchObject({ field: 'keyword' });
    expect(error.message).toMatch(
      /^keyword is not a valid regular expression \(RE2 syntax: no backreferences or lookarounds\): /,
    );
  });
});
