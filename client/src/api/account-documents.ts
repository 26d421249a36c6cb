// GraphQL documents of the account pages (users, API keys): part of their lazily loaded chunk.
import { gql } from '@urql/core';
import type { Role } from '../state/session.ts';

/** Roles are an enum in GraphQL (VIEWER, EDITOR, ADMIN) and lowercase in REST and in the dashboard. */
export type GqlRole = 'VIEWER' | 'EDITOR' | 'ADMIN';
export const toGqlRole = (role: Role): GqlRole => role.toUpperCase() as GqlRole;
export const fromGqlRole = (role: GqlRole): Role => role.toLowerCase() as Role;

export interface UserRow {
  id: string;
  email: string;
  name: string;
  role: GqlRole;
  createdAt: string;
}

export interface ApiKeyRow {
  id: string;
  userId: string;
  name: string;
  role: GqlRole;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const USER_FIELDS = 'id email name role createdAt';
const KEY_FIELDS = 'id userId name role createdAt lastUsedAt revokedAt';

export const UsersQuery = gql<{ users: UserRow[] }, Record<string, never>>(`query Users { users { ${USER_FIELDS} } }`);

export const CreateUser = gql<
  { createUser: UserRow },
  { input: { email: string; password: string; name: string; role: GqlRole } }
>(`mutation CreateUser($input: CreateUserInput!) { createUser(input: $input) { ${USER_FIELDS} } }`);

export const UpdateUser = gql<
  { updateUser: UserRow },
  { id: string; input: { name?: string; role?: GqlRole; password?: string } }
>(`mutation UpdateUser($id: ID!, $input: UpdateUserInput!) { updateUser(id: $id, input: $input) { ${USER_FIELDS} } }`);

export const DeleteUser = gql<{ deleteUser: string }, { id: string }>(
  `mutation DeleteUser($id: ID!) { deleteUser(id: $id) }`,
);

export const ApiKeysQuery = gql<{ apiKeys: ApiKeyRow[] }, Record<string, never>>(
  `query ApiKeys { apiKeys { ${KEY_FIELDS} } }`,
);

/** An admin's view of every key, with the owners' emails. */
export const AllApiKeysQuery = gql<
  { apiKeys: ApiKeyRow[]; users: Array<Pick<UserRow, 'id' | 'email'>> },
  Record<string, never>
>(`query AllApiKeys { apiKeys(everyone: true) { ${KEY_FIELDS} } users { id email } }`);

export const CreateApiKey = gql<{ createApiKey: { key: ApiKeyRow; secret: string } }, { name: string; role: GqlRole }>(
  `mutation CreateApiKey($name: String!, $role: Role!) { createApiKey(name: $name, role: $role) { key { ${KEY_FIELDS} } secret } }`,
);

export const RevokeApiKey = gql<{ revokeApiKey: ApiKeyRow }, { id: string }>(
  `mutation RevokeApiKey($id: ID!) { revokeApiKey(id: $id) { ${KEY_FIELDS} } }`,
);
