// Assertions of HTTP checks against loopback targets: every condition evaluated on the real response.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../server/checks/index.ts';
import {
  BIG_BODY_HEAD,
  BIG_BODY_TAIL,
  startHttpsTarget,
  startHttpTarget,
  type HttpsTarget,
  type HttpTarget,
} from '../helpers/targets.ts';

const check = (target: string, assertions: string[], http = {}) =>
  runCheck({ kind: 'http', target, timeoutMs: 3000, http, assertions });

let target: HttpTarget;
let secure: HttpsTarget;

beforeAll(async () => {
  [target, secure] = await Promise.all([startHttpTarget(), startHttpsTarget({ validDays: 30 })]);
  target.setBody(JSON.stringify({ status: 'UP', checks: { db: 'DOWN' } }));
});

afterAll(async () => {
  await Promise.all([target.close(), secure.close()]);
});

describe('HTTP assertions', () => {
  it('is up when every condition holds', async () => {
    const outcome = await check(target.url, [
      'status == 200',
      'body.$.status == "UP"',
      'response_time < 2000',
      'header.content-type contains text/plain',
    ]);
    expect(outcome).toMatchObject({ isUp: true, cause: null, error: null });
  });

  it('is down with cause assertion, naming each condition that failed and what it got', async () => {
    const outcome = await check(target.url, [
      'status == 200',
      'body.$.checks.db == "UP"',
      'header.content-type contains json',
      'response_time < 0',
    ]);
    expect(outcome).toMatchObject({ isUp: false, httpStatus: 200, cause: 'assertion' });
    expect(outcome.error).toMatch(/^3 assertions failed: /);
    expect(outcome.error).toContain('`body.$.checks.db == "UP"`: got "DOWN"');
    expect(outcome.error).toContain('`header.content-type contains json`: got "text/plain"');
    expect(outcome.error).toContain('`response_time < 0`: got ');
    expect(outcome.error).not.toContain('status == 200');
  });

  it('reads the body only up to the check body limit', async () => {
    const big = `${target.url}/big`;
    expect(await check(big, [`body contains ${BIG_BODY_HEAD}`])).toMatchObject({ isUp: true });
    expect(await check(big, [`body contains ${BIG_BODY_TAIL}`])).toMatchObject({ isUp: false, cause: 'assertion' });
  });

  it('reads the days left on the certificate', async () => {
    const http = { ignoreTlsErrors: true };
    expect(await check(secure.url, ['certificate.days > 14'], http)).toMatchObject({ isUp: true });
    const outcome = await check(secure.url, ['certificate.days > 60'], http);
    expect(outcome).toMatchObject({ isUp: false, cause: 'assertion' });
    expect(outcome.error).toMatch(/`certificate\.days > 60`: got (29|30)$/);
  });

  it('leaves the status range to fail first, as before', async () => {
    const outcome = await check(`${target.url}/status/503`, ['body contains x']);
    expect(outcome).toMatchObject({ isUp: false, cause: 'http_status' });
  });
});
