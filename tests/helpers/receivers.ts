// Loopback receivers of notifications for tests: an HTTP webhook receiver and an SMTP server, each recording what it got.
import http from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { IncomingHttpHeaders } from 'node:http';
import { SMTPServer } from 'smtp-server';
import { generate } from 'selfsigned';
import { afterEach } from 'vitest';

const LOOPBACK = '127.0.0.1';

export interface ReceivedRequest {
  method: string;
  /** Path and query, e.g. "/hook?x=1". */
  path: string;
  headers: IncomingHttpHeaders;
  /** The raw body, decoded as UTF-8. */
  body: string;
}

export interface WebhookReceiver {
  /** Base URL without a trailing slash, e.g. "http://127.0.0.1:41234"; any path is accepted. */
  url: string;
  port: number;
  /** Every request whose body arrived completely, oldest first (recorded before any delay). */
  requests: ReceivedRequest[];
  /** Status (and extra headers, e.g. Location or Retry-After) of the following answers. */
  setStatus(status: number, headers?: Record<string, string>): void;
  /** Wait this long before answering; Infinity never answers (close() still ends the connection). */
  setDelay(ms: number): void;
  close(): Promise<void>;
}

export interface WebhookReceiverOptions {
  status?: number;
  delayMs?: number;
  headers?: Record<string, string>;
  body?: string;
}

export async function startWebhookReceiver(options: WebhookReceiverOptions = {}): Promise<WebhookReceiver> {
  let status = options.status ?? 200;
  let headers = options.headers ?? {};
  let delayMs = options.delayMs ?? 0;
  const requests: ReceivedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      requests.push({
        method: request.method ?? '',
        path: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      const answer = (): void => {
        response
          .writeHead(status, { 'Content-Type': 'text/plain', ...headers })
          .end(options.body ?? (status < 300 ? 'ok' : 'no'));
      };
      if (delayMs === 0) return answer();
      if (delayMs === Infinity) return;
      const timer = setTimeout(() => {
        timers.delete(timer);
        answer();
      }, delayMs);
      timers.add(timer);
    });
  });
  server.listen(0, LOOPBACK);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${LOOPBACK}:${port}`,
    port,
    requests,
    setStatus: (next, nextHeaders = {}) => {
      status = next;
      headers = nextHeaders;
    },
    setDelay: (ms) => {
      delayMs = ms;
    },
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * For a test file: starts a webhook receiver per call (its options over `defaults`), each closed after the test
 * that started it.
 */
export function webhookReceivers(defaults: WebhookReceiverOptions = {}) {
  const started: WebhookReceiver[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((receiver) => receiver.close()));
  });
  return async (options: WebhookReceiverOptions = {}): Promise<WebhookReceiver> => {
    const receiver = await startWebhookReceiver({ ...defaults, ...options });
    started.push(receiver);
    return receiver;
  };
}

export interface ReceivedMail {
  /** Envelope sender and recipients (MAIL FROM, RCPT TO). */
  from: string;
  to: string[];
  /** The message as received: headers and MIME body. */
  raw: string;
}

export interface SmtpReceiver {
  port: number;
  messages: ReceivedMail[];
  /** The self-signed certificate (PEM) when security is 'starttls' or 'tls'. */
  cert: string | null;
  close(): Promise<void>;
}

export interface SmtpReceiverOptions {
  /** Require AUTH with these credentials (offered without TLS too, for plain-text tests). */
  auth?: { user: string; password: string };
  /** 'none' (default): plain SMTP; 'starttls': STARTTLS offered; 'tls': TLS from the first byte. */
  security?: 'none' | 'starttls' | 'tls';
  /** Reject every RCPT TO with this SMTP code (e.g. 550 permanent, 450 temporary). */
  rejectRecipients?: number;
}

export async function startSmtpServer(options: SmtpReceiverOptions = {}): Promise<SmtpReceiver> {
  const security = options.security ?? 'none';
  const pems = security === 'none' ? null : await selfSignedCertificate();
  const messages: ReceivedMail[] = [];
  const auth = options.auth;
  const server = new SMTPServer({
    secure: security === 'tls',
    ...(pems ? { key: pems.private, cert: pems.cert } : {}),
    ...(security === 'none' ? { disabledCommands: ['STARTTLS'] } : {}),
    authOptional: !auth,
    allowInsecureAuth: true,
    logger: false,
    // close() waits this long for clients still connected before cutting them off.
    closeTimeout: 1000,
    onAuth(credentials, _session, callback) {
      if (auth && credentials.username === auth.user && credentials.password === auth.password) {
        return callback(null, { user: credentials.username });
      }
      return callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onRcptTo(_address, _session, callback) {
      if (!options.rejectRecipients) return callback();
      return callback(Object.assign(new Error('Recipient refused'), { responseCode: options.rejectRecipients }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        const to = session.envelope.rcptTo.map((rcpt) => rcpt.address);
        messages.push({ from, to, raw: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  // Clients that give up mid-handshake (a rejected certificate, a timeout) are what some tests are about.
  server.on('error', () => {});
  server.listen(0, LOOPBACK);
  await once(server.server, 'listening');
  const { port } = server.server.address() as AddressInfo;
  const close = (): Promise<void> => new Promise<void>((resolve) => server.close(() => resolve()));
  return { port, messages, cert: pems?.cert ?? null, close };
}

async function selfSignedCertificate(): Promise<{ private: string; cert: string }> {
  return generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  });
}

export interface ParsedMail {
  /** Top-level headers, lower-case names, RFC 2047 words decoded. */
  headers: Record<string, string>;
  subject: string;
  text: string | null;
  html: string | null;
}

/** Enough MIME for the messages nodemailer writes: multipart/alternative, quoted-printable or base64 parts. */
export function parseMail(raw: string): ParsedMail {
  const { headers, body } = splitEntity(raw);
  const parts: Array<{ type: string; text: string }> = [];
  collectParts(headers, body, parts);
  return {
    headers,
    subject: headers.subject ?? '',
    text: parts.find((part) => part.type === 'text/plain')?.text ?? null,
    html: parts.find((part) => part.type === 'text/html')?.text ?? null,
  };
}

function splitEntity(raw: string): { headers: Record<string, string>; body: string } {
  const end = raw.search(/\r?\n\r?\n/);
  const head = end === -1 ? raw : raw.slice(0, end);
  const body = end === -1 ? '' : raw.slice(end).replace(/^\r?\n\r?\n/, '');
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = decodeWords(line.slice(colon + 1).trim());
  }
  return { headers, body };
}

function collectParts(
  headers: Record<string, string>,
  body: string,
  parts: Array<{ type: string; text: string }>,
): void {
  const contentType = headers['content-type'] ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (/^multipart\//i.test(contentType) && boundary) {
    const sections = body.split(`--${boundary}`).slice(1);
    for (const section of sections) {
      if (section.startsWith('--')) break;
      const entity = splitEntity(section.replace(/^\r?\n/, '').replace(/\r?\n$/, ''));
      collectParts(entity.headers, entity.body, parts);
    }
    return;
  }
  const encoding = (headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  const bytes =
    encoding === 'base64'
      ? Buffer.from(body.replace(/\s+/g, ''), 'base64')
      : encoding === 'quoted-printable'
        ? quotedPrintableBytes(body.replace(/=\r?\n/g, ''))
        : Buffer.from(body, 'utf8');
  parts.push({ type: contentType.split(';')[0]!.trim().toLowerCase(), text: bytes.toString('utf8') });
}

function quotedPrintableBytes(text: string): Buffer {
  const bytes: number[] = [];
  for (let index = 0; index < text.length; index++) {
    const hex = text.slice(index + 1, index + 3);
    if (text[index] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      index += 2;
    } else {
      bytes.push(...Buffer.from(text[index]!, 'utf8'));
    }
  }
  return Buffer.from(bytes);
}

/** Decodes runs of RFC 2047 encoded words ("=?UTF-8?Q?...?=" or "?B?"), joining their bytes before UTF-8 decoding. */
function decodeWords(value: string): string {
  return value.replace(/(?:=\?[^?]+\?[QqBb]\?[^?]*\?=(?:\s+(?==\?))?)+/g, (run) => {
    const words = [...run.matchAll(/=\?[^?]+\?([QqBb])\?([^?]*)\?=/g)];
    const bytes = words.map(([, kind, text = '']) =>
      kind!.toUpperCase() === 'B' ? Buffer.from(text, 'base64') : quotedPrintableBytes(text.replace(/_/g, ' ')),
    );
    return Buffer.concat(bytes).toString('utf8');
  });
}
