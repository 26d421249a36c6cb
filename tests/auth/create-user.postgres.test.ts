// npm run user:create, run as a child process against a test database: the user it creates logs in through a
// real app; refusals have clear messages and exit codes; the password is asked without echo and never printed.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp } from '../../server/app.ts';
import { verifyPassword } from '../../server/auth/passwords.ts';
import { loadConfig } from '../../server/config.ts';
import { openEmbedded } from '../../server/db/embedded.ts';
import type { Queryable } from '../../server/db/index.ts';
import { NO_RETENTION } from '../helpers/app.ts';
import { createTestDb, type TestDb } from '../helpers/db.ts';
import { silentLogger } from '../helpers/logger.ts';

const PASSWORD = 'correct horse battery staple';
const SCRIPT = ['--import', 'tsx', 'scripts/create-user.ts'];

interface Run {
  code: number | null;
  output: string;
}

let testDb: TestDb;

beforeAll(async () => {
  testDb = await createTestDb();
});

afterAll(async () => {
  await testDb?.drop();
});

/** The child's environment: this test database, and no password unless given. */
function environment(env: Record<string, string>): NodeJS.ProcessEnv {
  const { VIGIE_PASSWORD: _ignored, ...inherited } = process.env;
  return { ...inherited, DATABASE_URL: testDb.url!, LOG_LEVEL: 'warn', ...env };
}

function collect(child: ReturnType<typeof spawn>, onOutput: (output: string) => void = () => undefined): Promise<Run> {
  let output = '';
  const read = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    onOutput(output);
  };
  child.stdout!.on('data', read);
  child.stderr!.on('data', read);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  });
}

/** Runs the script with no terminal (stdin is /dev/null). */
function createUser(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return collect(
    spawn(process.execPath, [...SCRIPT, ...args], { env: environment(env), stdio: ['ignore', 'pipe', 'pipe'] }),
  );
}

async function userRow(db: Queryable, email: string) {
  const { rows } = await db.query<{ email: string; nom: string; role: string; mot_de_passe: string }>(
    'SELECT email, nom, role, mot_de_passe FROM monitoring.utilisateurs WHERE email = $1',
    [email],
  );
  return rows[0] ?? null;
}

describe('npm run user:create', () => {
  it('creates an admin (the default role) who then logs in through the API', async () => {
    const run = await createUser(['--email', 'ops@example.com', '--name', 'Ops Team'], { VIGIE_PASSWORD: PASSWORD });
    expect(run.code, run.output).toBe(0);
    expect(run.output).toMatch(/^created admin ops@example\.com \(user \d+\) in the postgres database\n$/);
    expect(run.output).not.toContain(PASSWORD);

    const row = await userRow(testDb.db, 'ops@example.com');
    expect(row).toMatchObject({ nom: 'Ops Team', role: 'admin' });
    expect(row!.mot_de_passe).toMatch(/^scrypt\$/);
    expect(await verifyPassword(PASSWORD, row!.mot_de_passe)).toBe(true);

    // A real app on that database, with authentication on (app.stop() closes a database it was handed, so it gets
    // its own connection).
    const config = loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      AUTH_DISABLED: 'false',
      DATABASE_URL: testDb.url!,
      ...NO_RETENTION,
    });
    const app = await startApp(config, silentLogger());
    try {
      const setup = await (await fetch(`${app.url}/api/auth`)).json();
      expect(setup.installation_requise).toBe(false);
      const login = await fetch(`${app.url}/api/auth/connexion`, {
        method: 'POST',
        body: JSON.stringify({ email: 'ops@example.com', mot_de_passe: PASSWORD }),
      });
      expect(login.status).toBe(200);
      const { utilisateur, jeton } = await login.json();
      expect(utilisateur).toMatchObject({ email: 'ops@example.com', nom: 'Ops Team', role: 'admin' });
      const users = await fetch(`${app.url}/api/utilisateurs`, { headers: { authorization: `Bearer ${jeton}` } });
      expect(users.status).toBe(200);
    } finally {
      await app.stop();
    }
  });

  it('takes --role', async () => {
    const run = await createUser(['--email', 'viewer@example.com', '--role', 'viewer'], { VIGIE_PASSWORD: PASSWORD });
    expect(run.code, run.output).toBe(0);
    expect(await userRow(testDb.db, 'viewer@example.com')).toMatchObject({ role: 'viewer', nom: '' });
  });

  it('refuses a taken email and a short password with exit code 1, creating nothing', async () => {
    const taken = await createUser(['--email', 'ops@example.com'], { VIGIE_PASSWORD: 'another long password' });
    expect(taken).toEqual({ code: 1, output: 'user:create: a user with the email ops@example.com already exists\n' });

    const short = await createUser(['--email', 'short@example.com'], { VIGIE_PASSWORD: 'tiny pw' });
    expect(short).toEqual({ code: 1, output: 'user:create: password: must be at least 10 characters long\n' });
    expect(await userRow(testDb.db, 'short@example.com')).toBeNull();

    const email = await createUser(['--email', 'not-an-email'], { VIGIE_PASSWORD: PASSWORD });
    expect(email.code).toBe(1);
    expect(email.output).toMatch(/^user:create: email: must be an email address/);
  });

  it('refuses wrong usage with exit code 2 and says how to call it', async () => {
    const [noEmail, badRole, unknown, noTerminal] = await Promise.all([
      createUser([], { VIGIE_PASSWORD: PASSWORD }),
      createUser(['--email', 'x@example.com', '--role', 'owner'], { VIGIE_PASSWORD: PASSWORD }),
      createUser(['--email', 'x@example.com', '--admin'], { VIGIE_PASSWORD: PASSWORD }),
      createUser(['--email', 'x@example.com']),
    ]);
    expect(noEmail.code).toBe(2);
    expect(noEmail.output).toMatch(/^user:create: --email is required\nusage: npm run user:create -- --email/);
    expect(badRole).toEqual({
      code: 2,
      output: 'user:create: --role must be one of viewer, editor, admin, got "owner"\n',
    });
    expect(unknown.code).toBe(2);
    expect(unknown.output).toMatch(/--admin/);
    expect(noTerminal).toEqual({
      code: 2,
      output: 'user:create: no terminal to ask for the password: set VIGIE_PASSWORD in the environment instead\n',
    });
    expect(await userRow(testDb.db, 'x@example.com')).toBeNull();
  });

  // `script` (util-linux) gives the child a terminal, as a person running the command has.
  const hasTerminal = spawnSync('script', ['--version']).status === 0;

  /** Runs the script on a terminal, typing each answer once its prompt shows. */
  function createUserOnTerminal(email: string, answers: string[]): Promise<Run> {
    const command = [process.execPath, ...SCRIPT, '--email', email].join(' ');
    const child = spawn('script', ['-qfec', command, '/dev/null'], {
      env: environment({}),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let prompted = 0;
    return collect(child, (output) => {
      const prompts = output.match(/Password( again)?: /g)?.length ?? 0;
      while (prompted < prompts && prompted < answers.length) child.stdin!.write(`${answers[prompted++]}\r`);
    });
  }

  it.skipIf(!hasTerminal)('asks for the password twice on the terminal, without echoing it', async () => {
    // Backspace (DEL) erases the character before it.
    const run = await createUserOnTerminal('tty@example.com', [`${PASSWORD}x\u007f`, PASSWORD]);
    expect(run.code, run.output).toBe(0);
    expect(run.output.replace(/\r/g, '')).toMatch(
      /^Password: \nPassword again: \ncreated admin tty@example\.com \(user \d+\) in the postgres database\n$/,
    );
    expect(await verifyPassword(PASSWORD, (await userRow(testDb.db, 'tty@example.com'))!.mot_de_passe)).toBe(true);

    const differ = await createUserOnTerminal('typo@example.com', [PASSWORD, `${PASSWORD}!`]);
    expect(differ.code).toBe(1);
    expect(differ.output).toContain('user:create: the two passwords differ; nothing was created');
    expect(differ.output).not.toContain(PASSWORD);
    expect(await userRow(testDb.db, 'typo@example.com')).toBeNull();
  });

  it('creates the user in the embedded database in DATA_DIR when DATABASE_URL is empty', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'vigie-user-create-'));
    try {
      const run = await createUser(['--email', 'local@example.com', '--role', 'editor'], {
        VIGIE_PASSWORD: PASSWORD,
        DATABASE_URL: '',
        DATA_DIR: dataDir,
      });
      expect(run.code, run.output).toBe(0);
      expect(run.output).toMatch(/^created editor local@example\.com \(user \d+\) in the embedded database\n$/);
      const db = await openEmbedded(dataDir, silentLogger());
      try {
        const row = await userRow(db, 'local@example.com');
        expect(row).toMatchObject({ role: 'editor' });
        expect(await verifyPassword(PASSWORD, row!.mot_de_passe)).toBe(true);
      } finally {
        await db.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
