// Email over SMTP with nodemailer: plain-text and HTML parts, one connection per notification.
// A transport is created for each send and closed after it, rather than cached per channel: alerts are rare,
// so a handshake per email costs little, while a cache would keep idle connections open, hold on to settings
// (and the password) after a channel changes, and let one stuck connection delay the next deliveries.
import { isIP } from 'node:net';
import { createTransport } from 'nodemailer';
import { isBlockedAddressError, STRICT_ADDRESS_POLICY } from '../../checks/index.ts';
import type { ChannelSecrets, ChannelSettings, Notification, SendOptions } from './types.ts';
import { DeliveryError } from './types.ts';
import { composeMessage, messageHtml, messageText } from './message.ts';
import { scrub } from './redact.ts';
import { describeNetworkError, describeTlsSetupError } from './network-errors.ts';

interface SmtpError {
  code?: string;
  originalCode?: string;
  responseCode?: number;
  command?: string;
  message?: string;
}

// Refusals of what was sent or of the settings themselves: sending the same thing again gets the same answer.
const PERMANENT_CODES = new Set(['EENVELOPE', 'EMESSAGE', 'ECONFIG', 'EREQUIRETLS', 'EFILEACCESS', 'EURLACCESS']);

export async function sendEmail(
  settings: ChannelSettings['email'],
  secrets: ChannelSecrets['email'],
  notification: Notification,
  options: SendOptions,
): Promise<void> {
  // One deadline for the whole exchange, name resolution included; aborting closes the connection.
  const signal = AbortSignal.timeout(options.timeoutMs);
  // The SMTP server's address passes the address policy first, and the connection goes to that very address (the
  // TLS certificate is still checked against the host name).
  const address = await policyAddress(settings, options, signal);
  const transport = createTransport({
    host: address,
    port: settings.port,
    secure: settings.security === 'tls',
    requireTLS: settings.security === 'starttls',
    ignoreTLS: settings.security === 'none',
    auth: settings.user ? { user: settings.user, pass: secrets.password ?? '' } : undefined,
    connectionTimeout: options.timeoutMs,
    greetingTimeout: options.timeoutMs,
    socketTimeout: options.timeoutMs,
    dnsTimeout: options.timeoutMs,
    tls: {
      rejectUnauthorized: !settings.ignoreTlsErrors,
      ...(isIP(settings.host) === 0 ? { servername: settings.host } : {}),
    },
    // Notifications never attach files or fetch URLs.
    disableFileAccess: true,
    disableUrlAccess: true,
    logger: false,
  });
  try {
    await transport.sendMail({
      from: settings.from,
      to: settings.to,
      subject: composeMessage(notification).title,
      text: messageText(notification),
      html: messageHtml(notification),
      headers: { 'X-Vigie-Idempotency-Key': notification.idempotencyKey },
      // The same Message-ID on a repeat lets mail systems that deduplicate by it drop the copy.
      messageId: messageId(notification.idempotencyKey, settings.from),
      signal,
    });
  } catch (error) {
    throw smtpDeliveryError(error as SmtpError, settings, secrets, options.timeoutMs);
  } finally {
    transport.close();
  }
}

/** The first address of the SMTP server that the address policy permits; a DeliveryError otherwise. */
async function policyAddress(
  settings: ChannelSettings['email'],
  options: SendOptions,
  signal: AbortSignal,
): Promise<string> {
  const where = `SMTP server ${settings.host}:${settings.port}`;
  const deadline = new Promise<never>((_, reject) => {
    signal.addEventListener(
      'abort',
      () => reject(new DeliveryError(`${where}: not done within ${options.timeoutMs} ms`, true)),
      { once: true },
    );
  });
  try {
    const addresses = await Promise.race([
      (options.addressPolicy ?? STRICT_ADDRESS_POLICY).resolve(settings.host),
      deadline,
    ]);
    return addresses[0]!.address;
  } catch (error) {
    if (error instanceof DeliveryError) throw error;
    if (isBlockedAddressError(error)) throw new DeliveryError(`${where}: ${error.message}`, false);
    const code = (error as { code?: string }).code;
    throw new DeliveryError(`${where}: ${describeNetworkError(code) ?? (error as Error).message}`, true);
  }
}

function messageId(idempotencyKey: string, from: string): string {
  const domain =
    from
      .split('@')
      .pop()
      ?.replace(/[^A-Za-z0-9.-]/g, '') || 'vigie.invalid';
  return `<${idempotencyKey.replace(/[^A-Za-z0-9._-]/g, '_')}@${domain}>`;
}

/**
 * Authentication refused, TLS settings that cannot work, 5xx replies and bad envelopes → not retryable;
 * 4xx replies, timeouts and connection problems → retryable.
 */
function smtpDeliveryError(
  error: SmtpError,
  settings: ChannelSettings['email'],
  secrets: ChannelSecrets['email'],
  timeoutMs: number,
): DeliveryError {
  const where = `SMTP server ${settings.host}:${settings.port}`;
  const detail = scrub(error.message ?? String(error), secretValues(settings, secrets));
  const transient = error.responseCode !== undefined && error.responseCode < 500;
  if (error.code === 'EABORT') return new DeliveryError(`${where}: not done within ${timeoutMs} ms`, true);
  if (error.code === 'EAUTH' || error.code === 'ENOAUTH') {
    return new DeliveryError(`${where}: authentication failed: ${detail}`, transient);
  }
  const tlsProblem =
    describeTlsSetupError(error.originalCode, error.message) ?? describeTlsSetupError(error.code, error.message);
  if (tlsProblem) {
    // Names the settings as GraphQL does; REST renames them (DELIVERY_ERROR_FIELDS).
    const hint = 'check settings.security, or set settings.ignoreTlsErrors to accept a self-signed certificate';
    return new DeliveryError(`${where}: ${tlsProblem}; ${hint}`, false);
  }
  if (error.responseCode !== undefined) return new DeliveryError(`${where}: ${detail}`, transient);
  if (error.code !== undefined && PERMANENT_CODES.has(error.code))
    return new DeliveryError(`${where}: ${detail}`, false);
  const known = describeNetworkError(error.originalCode) ?? describeNetworkError(error.code);
  return new DeliveryError(`${where}: ${known ?? detail}`, true);
}

/** The password as typed, and as it travels in AUTH PLAIN and AUTH LOGIN (base64), in case a server echoes it. */
function secretValues(settings: ChannelSettings['email'], secrets: ChannelSecrets['email']): string[] {
  const password = secrets.password;
  if (!password) return [];
  const base64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');
  return [password, base64(password), base64(`\u0000${settings.user ?? ''}\u0000${password}`)];
}
