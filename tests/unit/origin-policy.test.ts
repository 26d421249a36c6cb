// The names and origins a server counts as its own: from URL_PUBLIQUE and the listening address, with ports,
// IPv6 brackets and default ports written the way browsers send them (the running-service tests are in
// tests/server/cross-origin.test.ts).
import type { IncomingMessage } from 'node:http';
import { networkInterfaces } from 'node:os';
import { describe, expect, it } from 'vitest';
import { OriginPolicy, type OriginPolicyOptions } from '../../server/auth/index.ts';

function policy(options: Partial<OriginPolicyOptions>, port: number): OriginPolicy {
  const built = new OriginPolicy({
    publicUrl: `http://localhost:${port}`,
    listenHost: '127.0.0.1',
    allowedOrigins: [],
    authDisabled: true,
    ...options,
  });
  built.listening(port);
  return built;
}

const request = (headers: Record<string, string>, method = 'GET') =>
  ({ headers, method }) as unknown as IncomingMessage;
const hostStatus = (origins: OriginPolicy, host: string | undefined) =>
  origins.refusal(request(host === undefined ? {} : { host }), 'page')?.status ?? 'ok';

describe('OriginPolicy', () => {
  it('answers to URL_PUBLIQUE’s host, with or without its default port, and to the listening address with its port', () => {
    const origins = policy({ publicUrl: 'https://vigie.example.com/tableau/' }, 8080);
    for (const host of [
      'vigie.example.com',
      'VIGIE.example.com:443',
      '127.0.0.1:8080',
      'localhost:8080',
      '[::1]:8080',
    ]) {
      expect(hostStatus(origins, host), host).toBe('ok');
    }
    for (const host of ['vigie.example.com:80', '127.0.0.1', '127.0.0.1:8081', 'evil.example:8080', '', undefined]) {
      expect(hostStatus(origins, host), String(host)).toBe(421);
    }
    expect(origins.allows('https://vigie.example.com')).toBe(true);
    expect(origins.allows('http://vigie.example.com')).toBe(false);
    expect(origins.allows('http://localhost:8080')).toBe(true);
  });

  it('writes origins as browsers do: no default port, IPv6 in brackets', () => {
    expect(policy({}, 80).allows('http://localhost')).toBe(true);
    expect(hostStatus(policy({}, 80), 'localhost')).toBe('ok');
    const v6 = policy({ listenHost: '::1', publicUrl: 'http://vigie.lan:8443' }, 9000);
    expect(v6.allows('http://[::1]:9000')).toBe(true);
    expect(v6.allows('http://vigie.lan:8443')).toBe(true);
    expect(hostStatus(v6, '[::1]:9000')).toBe('ok');
  });

  it('on a wildcard address, counts every address of the machine', () => {
    const address = Object.values(networkInterfaces())
      .flat()
      .find((entry) => entry?.family === 'IPv4')!.address;
    expect(policy({ listenHost: '0.0.0.0' }, 8080).allows(`http://${address}:8080`)).toBe(true);
    expect(policy({ listenHost: '127.0.0.1' }, 8080).allows('http://10.11.12.13:8080')).toBe(false);
  });

  it('gives CORS options to an allowed origin only, never reflecting another', () => {
    const origins = policy({ allowedOrigins: ['https://ops.example.com'] }, 8080);
    expect(origins.cors('https://ops.example.com')).toMatchObject({
      origin: ['https://ops.example.com'],
      credentials: true,
    });
    expect(origins.cors('https://evil.example')).toBe(false);
    expect(origins.cors(null)).toBe(false);
  });
});
