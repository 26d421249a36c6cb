// Parsing and validation of check targets, shared by the input layer and the checks.
import { isIP } from 'node:net';
import { domainToASCII } from 'node:url';
import { ValidationError } from '../errors.ts';

const MAX_URL_LENGTH = 8192;
const MAX_HOST_LENGTH = 253;
const MAX_LABEL_LENGTH = 63;
const ALLOWED_URL_SCHEMES = new Set(['http:', 'https:']);
// Characters a shell or option parser would give meaning to; named in the error so users see what is wrong.
const SHELL_METACHARACTERS = /[;&|`$()<>\\'"*?!{}[\]~#^,=+]/;
const HOSTNAME_LABEL = /^[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?$/;

/** Parses an http(s) URL to check; credentials in the URL are allowed. */
export function parseHttpTarget(url: unknown): URL {
  if (typeof url !== 'string' || url.trim() === '') throw new ValidationError('URL is required', 'url');
  if (url.includes('\0')) throw new ValidationError('URL must not contain a NUL byte', 'url');
  if (url.length > MAX_URL_LENGTH) {
    throw new ValidationError(`URL is too long (${url.length} characters, at most ${MAX_URL_LENGTH})`, 'url');
  }
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    throw new ValidationError(`"${clip(url)}" is not a valid URL (expected e.g. https://example.com)`, 'url');
  }
  if (!ALLOWED_URL_SCHEMES.has(parsed.protocol)) {
    throw new ValidationError(`URL scheme "${parsed.protocol.slice(0, -1)}" is not allowed; use http or https`, 'url');
  }
  if (parsed.hostname === '') throw new ValidationError('URL has no host', 'url');
  checkHostLength(parsed.hostname, 'url');
  return parsed;
}

/** Parses "host:port" or "[ipv6]:port" for a TCP check; the host comes back without brackets. */
export function parseTcpTarget(target: unknown): { host: string; port: number } {
  const text = requireText(target, 'TCP target');
  let hostPart: string;
  let portPart: string;
  const bracketed = /^\[([^\]]*)\]:(.*)$/.exec(text);
  if (bracketed) {
    hostPart = bracketed[1] ?? '';
    portPart = bracketed[2] ?? '';
    if (isIP(hostPart) !== 6) {
      throw new ValidationError(`"${hostPart}" inside brackets is not an IPv6 address`, 'target');
    }
  } else {
    const colon = text.lastIndexOf(':');
    if (colon < 0) throw new ValidationError('TCP target must be host:port, e.g. example.com:443', 'target');
    hostPart = text.slice(0, colon);
    portPart = text.slice(colon + 1);
    if (hostPart.includes(':')) {
      throw new ValidationError('an IPv6 address needs brackets in a TCP target, e.g. [::1]:443', 'target');
    }
  }
  if (!/^\d{1,5}$/.test(portPart) || Number(portPart) < 1 || Number(portPart) > 65535) {
    throw new ValidationError(`TCP port "${portPart}" must be an integer from 1 to 65535`, 'target');
  }
  return { host: validateHost(hostPart, 'target'), port: Number(portPart) };
}

/** Parses the host (name or IP) of an ICMP check; the result is safe to pass as a `ping` argument. */
export function parseIcmpTarget(target: unknown): string {
  const text = requireText(target, 'ICMP target');
  const unbracketed = /^\[(.*)\]$/.exec(text)?.[1] ?? text;
  return validateHost(unbracketed, 'target');
}

/** A redirect may only lead to http or https (never file:, javascript:, data:, ...). */
export function isAllowedRedirectScheme(url: URL): boolean {
  return ALLOWED_URL_SCHEMES.has(url.protocol);
}

function clip(text: string): string {
  return text.length > 100 ? `${text.slice(0, 100)}…` : text;
}

function requireText(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new ValidationError(`${what} is required`, 'target');
  if (value.includes('\0')) throw new ValidationError(`${what} must not contain a NUL byte`, 'target');
  return value.trim();
}

/** Validates a bare host name or IP address and returns its ASCII form. */
function validateHost(host: string, field: string): string {
  if (host === '') throw new ValidationError('host is missing', field);
  if (host.includes('\0')) throw new ValidationError('host must not contain a NUL byte', field);
  if (host.startsWith('-')) throw new ValidationError(`host "${host}" must not start with "-"`, field);
  if (/\s/.test(host)) throw new ValidationError(`host "${host}" must not contain whitespace`, field);
  if (isIP(host) !== 0) return host;
  const metacharacter = SHELL_METACHARACTERS.exec(host)?.[0];
  if (metacharacter !== undefined) {
    throw new ValidationError(`host "${host}" contains the forbidden character "${metacharacter}"`, field);
  }
  // Internationalised names become their punycode form, which is what resolvers and `ping` expect.
  const ascii = /^[\x20-\x7e]*$/.test(host) ? host : domainToASCII(host);
  if (ascii === '') throw new ValidationError(`host "${host}" is not a valid host name`, field);
  checkHostLength(ascii, field);
  const labels = ascii.endsWith('.') ? ascii.slice(0, -1).split('.') : ascii.split('.');
  for (const label of labels) {
    if (!HOSTNAME_LABEL.test(label)) throw new ValidationError(`host "${host}" is not a valid host name`, field);
  }
  return ascii;
}

function checkHostLength(host: string, field: string): void {
  if (host.length > MAX_HOST_LENGTH) {
    throw new ValidationError(`host is longer than ${MAX_HOST_LENGTH} characters`, field);
  }
  if (host.startsWith('[')) return; // IPv6 literal in a URL
  for (const label of host.split('.')) {
    if (label.length > MAX_LABEL_LENGTH) {
      throw new ValidationError(
        `host label "${label.slice(0, 20)}…" is longer than ${MAX_LABEL_LENGTH} characters`,
        field,
      );
    }
  }
}
