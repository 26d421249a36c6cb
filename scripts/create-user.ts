// npm run user:create -- --email ops@example.com [--name "Ops"] [--role admin|editor|viewer]: creates a user in
// the configured database (DATABASE_URL, else the embedded one in DATA_DIR). The password comes from
// VIGIE_PASSWORD, else is asked twice on the terminal without echo; it is never printed.
// Exit codes: 0 created; 1 not created (invalid email or password, email taken, passwords differ, bad
// configuration, database error); 2 wrong usage (unknown option, no --email, unknown role, no terminal and no
// VIGIE_PASSWORD); 130 interrupted.
import { parseArgs } from 'node:util';
import pino from 'pino';
import { createAuthService, isRole, ROLES } from '../server/auth/index.ts';
import { ConfigError, loadConfig } from '../server/config.ts';
import { openDb } from '../server/db/index.ts';
import { ConflictError, ValidationError } from '../server/errors.ts';

const USAGE = `usage: npm run user:create -- --email ops@example.com [--name "Ops"] [--role ${ROLES.join('|')}]
The password is read from VIGIE_PASSWORD when set, otherwise asked on the terminal.`;

class Refused extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

function readArguments(): { email: string; name: string; role: string } {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        email: { type: 'string' },
        name: { type: 'string', default: '' },
        role: { type: 'string', default: 'admin' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new Refused(`${(error as Error).message}\n${USAGE}`, 2);
  }
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  if (!values.email) throw new Refused(`--email is required\n${USAGE}`, 2);
  if (!isRole(values.role)) throw new Refused(`--role must be one of ${ROLES.join(', ')}, got "${values.role}"`, 2);
  return { email: values.email, name: values.name, role: values.role };
}

/** Reads a line from the terminal with echo off (raw mode): Enter ends it, Backspace erases, Ctrl-C stops. */
function askHidden(prompt: string): Promise<string> {
  const input = process.stdin;
  // Echo off before the prompt shows: what is typed once the prompt is visible is never echoed.
  input.setRawMode(true);
  input.setEncoding('utf8');
  input.resume();
  process.stderr.write(prompt);
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (error: Error | null) => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      // An arrow or function key: an escape sequence, not part of a password.
      if (chunk.startsWith('\u001b')) return;
      for (const char of chunk) {
        if (char === '\r' || char === '\n') return finish(null);
        if (char === '\u0003' || (char === '\u0004' && value === '')) return finish(new Refused('interrupted', 130));
        if (char === '\u007f' || char === '\b') value = [...value].slice(0, -1).join('');
        else if (char >= ' ') value += char;
      }
    };
    input.on('data', onData);
  });
}

async function readPassword(): Promise<string> {
  const fromEnvironment = process.env.VIGIE_PASSWORD;
  if (fromEnvironment !== undefined && fromEnvironment !== '') return fromEnvironment;
  if (!process.stdin.isTTY) {
    throw new Refused('no terminal to ask for the password: set VIGIE_PASSWORD in the environment instead', 2);
  }
  const password = await askHidden('Password: ');
  const again = await askHidden('Password again: ');
  if (password !== again) throw new Refused('the two passwords differ; nothing was created', 1);
  return password;
}

async function main(): Promise<void> {
  const input = readArguments();
  const config = loadConfig();
  const password = await readPassword();
  const db = await openDb(config, pino({ level: 'warn' }, pino.destination(2)));
  try {
    const auth = await createAuthService(db, config.auth);
    try {
      const user = await auth.createUser({ ...input, password });
      console.log(`created ${user.role} ${user.email} (user ${user.id}) in the ${db.kind} database`);
    } finally {
      await auth.close();
    }
  } finally {
    await db.close();
  }
}

/** What to say, and the exit code. */
function failure(error: unknown): [string, number] {
  if (error instanceof Refused) return [error.message, error.exitCode];
  if (error instanceof ValidationError) return [error.field ? `${error.field}: ${error.message}` : error.message, 1];
  if (error instanceof ConflictError) return [error.message, 1];
  if (error instanceof ConfigError) return [`invalid configuration: ${error.message}`, 1];
  return [`could not create the user: ${error instanceof Error ? error.message : String(error)}`, 1];
}

try {
  await main();
} catch (error) {
  const [message, code] = failure(error);
  console.error(`user:create: ${message}`);
  process.exitCode = code;
}
