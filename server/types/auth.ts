// The auth domain's records: users, API keys and the roles they hold.

/** What each role may do: auth/roles.ts. */
export type Role = 'viewer' | 'editor' | 'admin';

export interface User {
  id: number;
  email: string;
  name: string;
  role: Role;
  createdAt: Date;
  updatedAt: Date;
}

export interface ApiKey {
  id: number;
  userId: number;
  name: string;
  role: Role;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}
