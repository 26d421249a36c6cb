import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as channels from '../../server/events/notify-channels.ts';

const SQL_DIR = new URL('../../sql/', import.meta.url);
const SERVER_DIR = new URL('../../server/', import.meta.url);

function channelsNotifiedBy(text: string): string[] {
  return [...text.matchAll(/pg_notify\(\s*'([^']+)'/g)].map((match) => match[1]!);
}

function typeScriptFiles(dir: URL): URL[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isDirectory()) return typeScriptFiles(new URL(`${entry.name}/`, dir));
    return entry.name.endsWith('.ts') ? [new URL(entry.name, dir)] : [];
  });
}

describe('NOTIFY channel names', () => {
  const constants: string[] = Object.values(channels);

  it('are spelled in sql/ as the constants spell them', () => {
    const inSql = new Set(
      readdirSync(SQL_DIR)
        .filter((file) => file.endsWith('.sql'))
        .flatMap((file) => channelsNotifiedBy(readFileSync(new URL(file, SQL_DIR), 'utf8'))),
    );
    expect([...inSql].filter((name) => !constants.includes(name))).toEqual([]);
    // Notified by the application, not by a trigger: access revocations, "check now" between instances.
    expect(constants.filter((name) => !inSql.has(name))).toEqual([
      channels.VIGIE_ACCES,
      channels.VIGIE_VERIFICATIONS,
      channels.VIGIE_VERIFICATIONS_FAITES,
    ]);
  });

  it('are written only in server/events/notify-channels.ts', () => {
    const spelled = typeScriptFiles(SERVER_DIR)
      .filter((file) => !file.pathname.endsWith('/events/notify-channels.ts'))
      .filter((file) => constants.some((name) => readFileSync(file, 'utf8').includes(`'${name}'`)))
      .map((file) => file.pathname.slice(SERVER_DIR.pathname.length));
    expect(spelled).toEqual([]);
  });
});
