// Secrets written into URLs (user:password@, ?token=..., webhook tokens in the path) are shown as a placeholder,
// and a URL sent back with placeholders gets the stored values again, on the same origin only.
import { ValidationError } from '../errors.ts';

export const URL_SECRET_PLACEHOLDER = '********';

// Query parameter names that carry credentials: token, key, apikey, api_key, secret, password, pass, pwd, auth,
// signature, sig, access_token, client_secret, x-amz-signature, jwt, code (Azure Functions' key), ...
const SECRET_PARAM =
  /^(?:pass|pwd|sig|key|auth|code|sid)$|token|secret|passw|api[-_]?key|access[-_]?key|auth|signature|credential|session|jwt/i;
// A webhook path segment holding an id or a token: long, with digits and letters (Slack's T0/B0/xyz, Discord's
// id/token, Teams, Zapier, UUIDs...). Short words naming the endpoint ("services", "api", "webhooks") stay.
const TOKEN_SEGMENT = /^(?=.*\d)(?=.*[A-Za-z])[A-Za-z0-9_.~%-]{16,}$|^[A-Za-z0-9_-]{32,}$/;
const SLACK_LIKE_HOSTS = /(^|\.)(hooks\.slack\.com|discord(app)?\.com|webhook\.office\.com)$/i;
// On those hosts every segment but the words naming the endpoint is an id or a token.
const ENDPOINT_WORD = /^[a-z]{1,10}$/;

export interface UrlMaskOptions {
  /** Also hide the path segments that look like ids or tokens (webhook URLs). */
  pathTokens?: boolean;
}

export function isSecretParam(name: string): boolean {
  return SECRET_PARAM.test(name);
}

/** The URL with its credentials replaced by the placeholder; anything that is not an http(s) URL comes back as is. */
export function maskUrlSecrets(text: string, options: UrlMaskOptions = {}): string {
  const url = parseWebUrl(text);
  if (url === null) return text;
  let changed = false;
  if (url.username !== '') {
    url.username = URL_SECRET_PLACEHOLDER;
    changed = true;
  }
  if (url.password !== '') {
    url.password = URL_SECRET_PLACEHOLDER;
    changed = true;
  }
  const query = mapQuery(url.search, (name, value) =>
    isSecretParam(name) && value !== '' ? URL_SECRET_PLACEHOLDER : value,
  );
  if (query !== url.search) {
    url.search = query;
    changed = true;
  }
  if (options.pathTokens) {
    const wholePath = SLACK_LIKE_HOSTS.test(url.hostname);
    const segments = url.pathname
      .split('/')
      .map((segment) =>
        segment !== '' && (TOKEN_SEGMENT.test(segment) || (wholePath && !ENDPOINT_WORD.test(segment)))
          ? URL_SECRET_PLACEHOLDER
          : segment,
      );
    const path = segments.join('/');
    if (path !== url.pathname) {
      url.pathname = path;
      changed = true;
    }
  }
  return changed ? url.href : text;
}

/**
 * `given` with each placeholder (userinfo, query value, path segment) replaced by the value at the same place in
 * `stored`. A placeholder for another origin than the stored one, or for a value stored nowhere, is refused: the
 * stored secrets were meant for that host only.
 */
export function restoreUrlSecrets(given: string, stored: string, field: string): string {
  if (!given.includes(URL_SECRET_PLACEHOLDER)) return given;
  const url = parseWebUrl(given);
  const original = parseWebUrl(stored);
  if (url === null || original === null) return given;
  const missing = (): ValidationError =>
    new ValidationError(
      `"${URL_SECRET_PLACEHOLDER}" stands for a value stored for ${original.origin}, and there is none here: send the value`,
      field,
    );
  if (url.origin !== original.origin) {
    throw new ValidationError(
      `"${URL_SECRET_PLACEHOLDER}" stands for a secret stored for ${original.origin}, not for ${url.origin}: send the value`,
      field,
    );
  }
  if (url.username === URL_SECRET_PLACEHOLDER) {
    if (original.username === '') throw missing();
    url.username = original.username;
  }
  if (url.password === URL_SECRET_PLACEHOLDER) {
    if (original.password === '') throw missing();
    url.password = original.password;
  }
  const storedValues = new Map<string, string[]>();
  mapQuery(original.search, (name, value) => {
    storedValues.set(name, [...(storedValues.get(name) ?? []), value]);
    return value;
  });
  const seen = new Map<string, number>();
  url.search = mapQuery(url.search, (name, value) => {
    const index = seen.get(name) ?? 0;
    seen.set(name, index + 1);
    if (value !== URL_SECRET_PLACEHOLDER) return value;
    const kept = storedValues.get(name)?.[index];
    if (kept === undefined) throw missing();
    return kept;
  });
  const storedSegments = original.pathname.split('/');
  url.pathname = url.pathname
    .split('/')
    .map((segment, index) => {
      if (segment !== URL_SECRET_PLACEHOLDER) return segment;
      const kept = storedSegments[index];
      if (kept === undefined || kept === '') throw missing();
      return kept;
    })
    .join('/');
  return url.href;
}

function parseWebUrl(text: string): URL | null {
  if (!/^https?:\/\//i.test(text.trim())) return null;
  try {
    return new URL(text.trim());
  } catch {
    return null;
  }
}

/** Rewrites the values of "?a=1&b=2" (encoded text kept as it is), given each decoded name. */
function mapQuery(search: string, map: (name: string, value: string) => string): string {
  if (search.length <= 1) return search;
  const pairs = search
    .slice(1)
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      if (equals < 0) return pair;
      const name = pair.slice(0, equals);
      return `${name}=${map(decodeName(name), pair.slice(equals + 1))}`;
    });
  return `?${pairs.join('&')}`;
}

function decodeName(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
}
