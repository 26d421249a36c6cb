// Roles and who may do what: viewer reads, editor also manages monitors, maintenance and acknowledgements,
// admin also manages users, channels and everything else.
import type { Role } from '../types/index.ts';

export type { Role } from '../types/index.ts';

/** What a route or a GraphQL field requires: anyone, or at least a role. */
export type Access = 'public' | Role;

const RANK: Record<Role, number> = { viewer: 1, editor: 2, admin: 3 };

/** Every role, lowest first. */
export const ROLES: readonly Role[] = Object.freeze(Object.keys(RANK) as Role[]);

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function roleAtLeast(role: Role, needed: Role): boolean {
  return RANK[role] >= RANK[needed];
}

/** The lower of two roles (an API key never acts above its owner). */
export function lowerRole(a: Role, b: Role): Role {
  return RANK[a] <= RANK[b] ? a : b;
}

/** Who is making a request. */
export interface Principal {
  /** null when authentication is disabled (the local operator). */
  userId: number | null;
  email: string;
  role: Role;
  /** Set for a browser or token session. */
  sessionId: string | null;
  /** Set for a request made with an API key. */
  apiKeyId: number | null;
  /** When the session ends (live channels opened with it end then); absent for API keys and the local operator. */
  expiresAt?: Date | null;
}

export const LOCAL_OPERATOR: Principal = Object.freeze({
  userId: null,
  email: 'local',
  role: 'admin',
  sessionId: null,
  apiKeyId: null,
});
