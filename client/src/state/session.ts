// Who uses the dashboard and what their role lets them do. The server decides; this only hides what it would refuse.
import { labels, t } from '../i18n/index.ts';

export type Role = 'viewer' | 'editor' | 'admin';

export const ROLES: readonly Role[] = ['viewer', 'editor', 'admin'];

export const ROLE_LABEL: Readonly<Record<Role, string>> = labels({
  viewer: 'role.viewer',
  editor: 'role.editor',
  admin: 'role.admin',
});

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: Role;
}

export interface Session {
  /** null when authentication is disabled (the local operator). */
  user: SessionUser | null;
  role: Role;
  /** Local mode (AUTH_DISABLED): nobody logs in or out. */
  authDisabled: boolean;
}

/** What GET /api/auth says: set up the first admin, log in, or carry on with a session. */
export interface AuthState {
  setupRequired: boolean;
  /** null: nobody is logged in. */
  session: Session | null;
}

export const PASSWORD_MIN_LENGTH = 10;

const RANK: Record<Role, number> = { viewer: 1, editor: 2, admin: 3 };

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function roleAtLeast(role: Role, needed: Role): boolean {
  return RANK[role] >= RANK[needed];
}

/** Monitors, pause, check now, check a URL, acknowledge alerts. */
export const canEdit = (session: Session): boolean => roleAtLeast(session.role, 'editor');

/** Users and notification channels. */
export const isAdmin = (session: Session): boolean => roleAtLeast(session.role, 'admin');

/** The roles one may give an API key: up to one's own. */
export function rolesUpTo(role: Role): Role[] {
  return ROLES.filter((candidate) => roleAtLeast(role, candidate));
}

/** A user as the REST API shapes it ({id, email, nom, role, ...}). */
export function userFromRest(value: unknown): SessionUser | null {
  if (typeof value !== 'object' || value === null) return null;
  const user = value as Record<string, unknown>;
  if (!isRole(user['role'])) return null;
  return {
    id: String(user['id']),
    email: String(user['email'] ?? ''),
    name: String(user['nom'] ?? ''),
    role: user['role'],
  };
}

export function authStateFromRest(value: unknown): AuthState {
  const body = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const authDisabled = body['authentification_desactivee'] === true;
  const user = userFromRest(body['utilisateur']);
  const role = isRole(body['role']) ? body['role'] : (user?.role ?? (authDisabled ? 'admin' : null));
  return {
    setupRequired: !authDisabled && body['installation_requise'] === true,
    session: role ? { user, role, authDisabled } : null,
  };
}

/** The session a login or setup answer ({utilisateur, jeton, expire_a}) opens. */
export function sessionFromLogin(value: unknown): Session {
  const user = userFromRest((value as Record<string, unknown> | null)?.['utilisateur']);
  if (!user) throw new Error('the server’s answer has no user');
  return { user, role: user.role, authDisabled: false };
}

/** A problem with a new password, or null (the server checks again). */
export function passwordProblem(password: string): string | null {
  if (!password) return t('form.required');
  if (password.length < PASSWORD_MIN_LENGTH) return t('form.atLeastChars', { count: PASSWORD_MIN_LENGTH });
  return null;
}
