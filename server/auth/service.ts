// Users, sessions and API keys: first-admin setup, login and logout, who a request is, and the changes that
// must end a principal's live subscriptions (logout, password or role change, key revocation, deletion).
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Db } from '../db/index.ts';
import {
  countUsers,
  deleteUser,
  findApiKey,
  findLiveSession,
  findUserWithPassword,
  getApiKey,
  getUser,
  insertApiKey,
  insertFirstUser,
  insertSession,
  insertUser,
  listApiKeys,
  listUsers,
  lockAdmins,
  notifyAccessRevoked,
  passwordHashOf,
  readOrCreateSetting,
  revokeApiKey,
  revokeApiKeysOfUser,
  revokeSession,
  revokeSessionsOfUser,
  touchApiKey,
  updateUser,
} from '../db/index.ts';
import { ConflictError, ForbiddenError, NotFoundError, UnauthenticatedError, ValidationError } from '../errors.ts';
import { VIGIE_ACCES } from '../events/index.ts';
import { LiveAccess, type AccessChange, type EndReason } from './live-access.ts';
import {
  hashForUnknownUser,
  hashPassword,
  MAX_PASSWORD_LENGTH,
  MIN_PASSWORD_LENGTH,
  verifyPassword,
} from './passwords.ts';
import { isRole, LOCAL_OPERATOR, lowerRole, roleAtLeast, type Principal, type Role } from './roles.ts';
import {
  apiKeyMatches,
  formatApiKey,
  isApiKeyLike,
  newApiKeySecret,
  newSessionId,
  parseApiKey,
  signSessionToken,
  verifySessionToken,
} from './tokens.ts';
import type { ApiKey, User } from './types.ts';

export interface AuthOptions {
  /** Everyone is the local operator (admin); for single-user local setups only. */
  disabled: boolean;
  sessionHours: number;
  /** Signs session tokens; when null, a random one is created once and shared through the database. */
  secret: string | null;
}

export interface Session {
  user: User;
  /** The session token (JWT), for the cookie or an Authorization header. */
  token: string;
  expiresAt: Date;
}

export interface UserInput {
  email: string;
  password: string;
  name?: string;
  role: Role;
}

export interface UserChangesInput {
  name?: string;
  role?: Role;
  password?: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+$/;

function checkEmail(email: unknown): string {
  if (typeof email !== 'string' || !EMAIL.test(email.trim()) || email.trim().length > 254) {
    throw new ValidationError('must be an email address such as ops@example.com', 'email');
  }
  return email.trim();
}

function checkPassword(password: unknown, field = 'password'): string {
  if (typeof password !== 'string' || password.length < MIN_PASSWORD_LENGTH) {
    throw new ValidationError(`must be at least ${MIN_PASSWORD_LENGTH} characters long`, field);
  }
  if (password.length > MAX_PASSWORD_LENGTH)
    throw new ValidationError(`must be at most ${MAX_PASSWORD_LENGTH} characters long`, field);
  return password;
}

function checkName(name: unknown, field = 'name'): string {
  if (name === undefined || name === null) return '';
  if (typeof name !== 'string' || name.length > 200)
    throw new ValidationError('must be text of at most 200 characters', field);
  return name.trim();
}

function checkRole(role: unknown): Role {
  if (!isRole(role)) throw new ValidationError('must be one of viewer, editor, admin', 'role');
  return role;
}

const principalOf = (user: User, sessionId: string | null, apiKeyId: number | null, role = user.role): Principal => ({
  userId: user.id,
  email: user.email,
  role,
  sessionId,
  apiKeyId,
});

export type AuthService = Awaited<ReturnType<typeof createAuthService>>;

export async function createAuthService(db: Db, options: AuthOptions, logger?: Logger) {
  const secret = new TextEncoder().encode(
    options.secret ?? (await readOrCreateSetting(db, 'secret_sessions', randomBytes(32).toString('base64url'))),
  );
  const live = new LiveAccess(db, logger);
  const stopListening = await db.listen(VIGIE_ACCES, (payload) => applyAccessChange(live, payload));
  // Revocations notified while the LISTEN connection was down are lost: catch up from the tables.
  const stopCatchingUp = db.onListenReconnect(() => void live.recheck());
  const parts: AuthParts = { db, options, secret, revoked: (change) => notifyAccessRevoked(db, VIGIE_ACCES, change) };

  return {
    disabled: options.disabled,
    ...sessionOperations(parts),
    ...userOperations(parts),
    ...apiKeyOperations(parts),

    /**
     * Calls `end` once when the access of a live channel's principal ends: revoked (on any instance), its session
     * expired, its user deleted or given another role. The returned function stops watching.
     */
    watchAccess(principal: Principal, end: (reason: EndReason) => void): () => void {
      return live.watch(principal, end);
    },

    async close(): Promise<void> {
      stopCatchingUp();
      live.close();
      await stopListening();
    },
  };
}

/** What the groups of operations share. */
interface AuthParts {
  db: Db;
  options: AuthOptions;
  /** Signs and verifies session tokens. */
  secret: Uint8Array;
  /** Tells every instance that this access ended. */
  revoked: (change: AccessChange) => Promise<void>;
}

/** A VIGIE_ACCES notification: ends the live channels whose access it revokes. */
function applyAccessChange(live: LiveAccess, payload: string): void {
  let change: AccessChange;
  try {
    change = JSON.parse(payload) as AccessChange;
  } catch {
    // Still a sign that some access changed: look at the tables.
    void live.recheck();
    return;
  }
  live.revoked(change);
}

async function openSession({ db, options, secret }: AuthParts, user: User): Promise<Session> {
  const id = newSessionId();
  const expiresAt = new Date(Date.now() + options.sessionHours * 3_600_000);
  await insertSession(db, { id, userId: user.id, expiresAt });
  return { user, token: await signSessionToken(secret, { id, userId: user.id, expiresAt }), expiresAt };
}

function requireUser(principal: Principal): number {
  if (principal.userId === null) throw new ConflictError('authentication is disabled: there is no user to act as');
  return principal.userId;
}

/** First-admin setup, login and logout, who a request is, and one's own password. */
function sessionOperations(parts: AuthParts) {
  const { db, options, secret, revoked } = parts;
  return {
    /** Whether the first admin still has to be created. */
    async setupRequired(): Promise<boolean> {
      return (await countUsers(db)) === 0;
    },

    /** Creates the first admin and logs them in; refused once any user exists. */
    async setup(input: { email?: unknown; password?: unknown; name?: unknown }): Promise<Session> {
      const email = checkEmail(input.email);
      const password = checkPassword(input.password);
      const name = checkName(input.name);
      const passwordHash = await hashPassword(password);
      const user = await db.transaction((tx) => insertFirstUser(tx, { email, name, role: 'admin', passwordHash }));
      if (!user) throw new ForbiddenError('setup is closed: an administrator already exists; log in instead');
      return openSession(parts, user);
    },

    /** Unknown email and wrong password give the same error, after the same work. */
    async login(emailInput: unknown, passwordInput: unknown): Promise<Session> {
      const email = typeof emailInput === 'string' ? emailInput.trim() : '';
      const password = typeof passwordInput === 'string' ? passwordInput.slice(0, MAX_PASSWORD_LENGTH + 1) : '';
      const found = email ? await findUserWithPassword(db, email) : null;
      const matches = await verifyPassword(password, found?.passwordHash ?? (await hashForUnknownUser()));
      if (!found || !matches || password.length > MAX_PASSWORD_LENGTH) {
        throw new UnauthenticatedError('email or password is incorrect');
      }
      return openSession(parts, found.user);
    },

    async logout(principal: Principal): Promise<void> {
      if (!principal.sessionId) return;
      await revokeSession(db, principal.sessionId);
      await revoked({ sessionIds: [principal.sessionId] });
    },

    /**
     * Who presents these credentials: null without any, a Principal, or UnauthenticatedError for an invalid,
     * expired or revoked token or key. With auth disabled, everyone is the local operator.
     */
    async authenticate(token: string | null): Promise<Principal | null> {
      if (options.disabled) return LOCAL_OPERATOR;
      if (!token) return null;
      if (isApiKeyLike(token)) {
        const { id, secret: keySecret } = parseApiKey(token);
        const found = await findApiKey(db, id);
        if (!found || !apiKeyMatches(keySecret, found.digest))
          throw new UnauthenticatedError('the API key is unknown or revoked');
        await touchApiKey(db, id);
        return principalOf(found.owner, null, id, lowerRole(found.key.role, found.owner.role));
      }
      const sessionId = await verifySessionToken(secret, token);
      const session = await findLiveSession(db, sessionId);
      if (!session) throw new UnauthenticatedError('the session has ended; log in again');
      return { ...principalOf(session.user, sessionId, null), expiresAt: session.expiresAt };
    },

    async me(principal: Principal): Promise<User | null> {
      return principal.userId === null ? null : getUser(db, principal.userId);
    },

    /** Changes one's own password; every other session of the user ends, and every API key of theirs. */
    async changePassword(principal: Principal, current: unknown, next: unknown): Promise<{ revokedApiKeys: number }> {
      const userId = requireUser(principal);
      const password = checkPassword(next, 'newPassword');
      const stored = await passwordHashOf(db, userId);
      if (!stored || typeof current !== 'string' || !(await verifyPassword(current, stored))) {
        throw new ValidationError('is not your current password', 'currentPassword');
      }
      const passwordHash = await hashPassword(password);
      const { sessionIds, apiKeyIds } = await db.transaction(async (tx) => {
        await updateUser(tx, userId, { passwordHash });
        return {
          sessionIds: await revokeSessionsOfUser(tx, userId, principal.sessionId),
          apiKeyIds: await revokeApiKeysOfUser(tx, userId),
        };
      });
      if (sessionIds.length) await revoked({ sessionIds });
      // Not { userId }: that would also end the live channels of the session making the change.
      for (const apiKeyId of apiKeyIds) await revoked({ apiKeyId });
      return { revokedApiKeys: apiKeyIds.length };
    },
  };
}

/** Managing users: an admin's operations. */
function userOperations({ db, revoked }: AuthParts) {
  return {
    listUsers: () => listUsers(db),

    async createUser(input: { email?: unknown; password?: unknown; name?: unknown; role?: unknown }): Promise<User> {
      const email = checkEmail(input.email);
      const record = {
        email,
        name: checkName(input.name),
        role: checkRole(input.role),
        passwordHash: await hashPassword(checkPassword(input.password)),
      };
      const user = await insertUser(db, record);
      if (!user) throw new ConflictError(`a user with the email ${email} already exists`);
      return user;
    },

    /** Role and password changes end the user's live channels; a password reset ends their sessions and API keys. */
    async updateUser(
      id: number,
      input: { name?: unknown; role?: unknown; password?: unknown },
    ): Promise<{ user: User; revokedApiKeys: number }> {
      const role = input.role === undefined || input.role === null ? undefined : checkRole(input.role);
      const password =
        input.password === undefined || input.password === null ? undefined : checkPassword(input.password);
      const name = input.name === undefined || input.name === null ? undefined : checkName(input.name);
      const passwordHash = password === undefined ? undefined : await hashPassword(password);
      const { before, user, apiKeyIds } = await db.transaction(async (tx) => {
        const admins = await lockAdmins(tx);
        const before = await getUser(tx, id);
        if (!before) throw new NotFoundError(`user ${id} not found`);
        if (before.role === 'admin' && role && role !== 'admin' && admins <= 1) {
          throw new ConflictError('the last administrator cannot lose the admin role');
        }
        const user = (await updateUser(tx, id, { name, role, passwordHash }))!;
        if (passwordHash === undefined) return { before, user, apiKeyIds: [] };
        await revokeSessionsOfUser(tx, id);
        return { before, user, apiKeyIds: await revokeApiKeysOfUser(tx, id) };
      });
      // { userId } reaches the channels of the user's keys as well as of their sessions.
      if (passwordHash !== undefined || (role && role !== before.role)) await revoked({ userId: id });
      return { user, revokedApiKeys: apiKeyIds.length };
    },

    async deleteUser(principal: Principal, id: number): Promise<void> {
      await db.transaction(async (tx) => {
        const admins = await lockAdmins(tx);
        const user = await getUser(tx, id);
        if (!user) throw new NotFoundError(`user ${id} not found`);
        if (user.role === 'admin' && admins <= 1) throw new ConflictError('the last administrator cannot be deleted');
        if (principal.userId === id) throw new ConflictError('you cannot delete yourself; ask another administrator');
        await deleteUser(tx, id);
      });
      await revoked({ userId: id });
    },
  };
}

/** API keys: listing, creating and revoking. */
function apiKeyOperations({ db, revoked }: AuthParts) {
  return {
    /** A principal's own keys; an admin may ask for everyone's. */
    listApiKeys(principal: Principal, everyone = false): Promise<ApiKey[]> {
      if (everyone && !roleAtLeast(principal.role, 'admin'))
        throw new ForbiddenError('only an admin may list every API key');
      return listApiKeys(db, everyone ? null : requireUser(principal));
    },

    /** A new key, whose full text is returned only now. Its role may not exceed its creator's. */
    async createApiKey(
      principal: Principal,
      input: { name?: unknown; role?: unknown },
    ): Promise<{ key: ApiKey; token: string }> {
      const userId = requireUser(principal);
      if (principal.apiKeyId !== null)
        throw new ForbiddenError('an API key cannot create API keys; log in as the user');
      const name = checkName(input.name);
      if (!name) throw new ValidationError('is required', 'name');
      const role = checkRole(input.role);
      if (!roleAtLeast(principal.role, role))
        throw new ForbiddenError(`you are ${principal.role}: you cannot create a key with the ${role} role`);
      const { secret: keySecret, digest } = newApiKeySecret();
      const key = await insertApiKey(db, { userId, name, role, digest });
      return { key, token: formatApiKey(key.id, keySecret) };
    },

    /** Revokes one of one's keys (an admin: anyone's). */
    async revokeApiKey(principal: Principal, id: number): Promise<ApiKey> {
      const key = await getApiKey(db, id);
      if (!key || (key.userId !== principal.userId && !roleAtLeast(principal.role, 'admin'))) {
        throw new NotFoundError(`API key ${id} not found`);
      }
      const revokedKey = (await revokeApiKey(db, id))!;
      await revoked({ apiKeyId: id });
      return revokedKey;
    },
  };
}
