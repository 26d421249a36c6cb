// Keeps secrets out of anything shown or logged: URL redaction and scrubbing of error texts.

const MAX_DETAIL_CHARS = 200;
const REDACTED = '[redacted]';

/** "https://hooks.slack.com/services/T0/B0/xyz" → "https://hooks.slack.com/…", for error messages. */
export function redactUrl(url: string): string {
  try {
    return `${new URL(url).origin}/…`;
  } catch {
    return '(invalid URL)';
  }
}

/**
 * Keeps the leading path words that name the service (short, lowercase letters only, such as "services" or
 * "api/webhooks") and hides the rest, which holds the ids and the token: "https://hooks.slack.com/services/…".
 */
export function redactWebhookUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const kept: string[] = [];
    for (const segment of parsed.pathname.split('/').filter(Boolean)) {
      if (!/^[a-z]{1,10}$/.test(segment)) break;
      kept.push(segment);
    }
    return `${parsed.origin}/${kept.map((segment) => `${segment}/`).join('')}…`;
  } catch {
    return '(invalid URL)';
  }
}

/** Everything of a URL that could carry a token: the URL, its path and query, and its parts of 6+ characters. */
export function secretPartsOfUrl(url: string): string[] {
  const parts = [url];
  try {
    const parsed = new URL(url);
    parts.push(parsed.href, parsed.pathname + parsed.search, parsed.pathname, parsed.search);
    for (const segment of parsed.pathname.split('/')) {
      parts.push(segment, safeDecode(segment));
    }
    for (const [, value] of parsed.searchParams) parts.push(value);
    if (parsed.username) parts.push(parsed.username, safeDecode(parsed.username));
    if (parsed.password) parts.push(parsed.password, safeDecode(parsed.password));
  } catch {
    // An unparsable URL is scrubbed as a whole only.
  }
  return parts.filter((part) => part.length >= 6);
}

/** Replaces every occurrence of each secret and keeps the text short and on one line, safe to quote in an error. */
export function scrub(text: string, secrets: readonly string[]): string {
  let result = text;
  const candidates = [...new Set(secrets)].filter((secret) => secret.length > 0).sort((a, b) => b.length - a.length);
  for (const secret of candidates) result = result.split(secret).join(REDACTED);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this folds onto one line
  result = result.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return result.length > MAX_DETAIL_CHARS ? `${result.slice(0, MAX_DETAIL_CHARS)}…` : result;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
