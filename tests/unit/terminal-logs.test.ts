// In a terminal the service prints readable lines; through a pipe (log collectors, the other tests), JSON lines.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { createLogger } from '../../server/logger.ts';
import { SERVICE_COMMAND } from '../helpers/process.ts';

let dataDir: string | null = null;
afterEach(() => {
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  dataDir = null;
});

it('prints readable lines when stdout is a terminal', { timeout: 60_000 }, async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'vigie-terminal-'));
  // `script` gives the service a pseudo-terminal as stdout, as a person running `npm start` has.
  const child = spawn('script', ['-qfec', SERVICE_COMMAND.join(' '), '/dev/null'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', AUTH_DISABLED: 'true', DATABASE_URL: '', DATA_DIR: dataDir },
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    await expect.poll(() => output, { timeout: 45_000 }).toContain('Vigie is listening');
  } finally {
    process.kill(-child.pid!, 'SIGTERM');
    await exited;
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the terminal's colour codes are what is removed
  const text = output.replace(/\u001b\[[0-9;]*m/g, '');
  expect(text).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: Vigie is listening\r?\n\s+url: "http:\/\/127\.0\.0\.1:\d+"/m);
  expect(text).not.toContain('{"level"');
});

it('writes JSON lines otherwise', async () => {
  const lines: string[] = [];
  const original = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string) => lines.push(chunk) > 0) as typeof process.stdout.write;
  try {
    (await createLogger('info', false)).info({ url: 'http://127.0.0.1:8080' }, 'Vigie is listening');
  } finally {
    process.stdout.write = original;
  }
  expect(JSON.parse(lines.join(''))).toMatchObject({
    level: 30,
    msg: 'Vigie is listening',
    url: 'http://127.0.0.1:8080',
  });
});
