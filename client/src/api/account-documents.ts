// GraphQL documents of the account pages (users, API keys): part of their lazily loaded chunk.
import { gql } from '@urql/core';
import type { Role } from '../state/session.ts';
import type * as Generated from './generated.ts';

/** Roles are an enum in GraphQL (VIEWER, EDITOR, ADMIN) and lowercase in REST and in the dashboard. */
export type GqlRole = Generated.Role;
export const toGqlRole = (role: Role): GqlRole => role.toUpperCase() as GqlRole;
export const fromGqlRole = (role: GqlRole): Role => role.toLowerCase() as Role;

export type UserRow = Generated.UserRowFragment;
export type ApiKeyRow = Generated.ApiKeyRowFragment;

const UserRowFields = gql`
  fragment UserRow on User { id email name role createdAt }
`;

const ApiKeyRowFields = gql`
  fragment ApiKeyRow on ApiKey { id userId name role createdAt lastUsedAt revokedAt }
`;

export const UsersQuery = gql<Generated.UsersQuery, Generated.UsersQueryVariables>`
  query Users { users { ...UserRow } }
  ${UserRowFields}
`;

export const CreateUser = gql<Generated.CreateUserMutation, Generated.CreateUserMutationVariables>`
  mutation CreateUser($input: CreateUserInput!) { createUser(input: $input) { ...UserRow } }
  ${UserRowFields}
`;

export const UpdateUser = gql<Generated.UpdateUserMutation, Generated.UpdateUserMutationVariables>`
  mutation UpdateUser($id: ID!, $input: UpdateUserInput!) { updateUser(id: $id, input: $input) { ...UserRow } }
  ${UserRowFields}
`;

export const DeleteUser = gql<Generated.DeleteUserMutation, Generated.DeleteUserMutationVariables>`
  mutation DeleteUser($id: ID!) { deleteUser(id: $id) }
`;

export const ApiKeysQuery = gql<Generated.ApiKeysQuery, Generated.ApiKeysQueryVariables>`
  query ApiKeys { apiKeys { ...ApiKeyRow } }
  ${ApiKeyRowFields}
`;

/** An admin's view of every key, with the owners' emails. */
export const AllApiKeysQuery = gql<Generated.AllApiKeysQuery, Generated.AllApiKeysQueryVariables>`
  query AllApiKeys { apiKeys(everyone: true) { ...ApiKeyRow } users { id email } }
  ${ApiKeyRowFields}
`;

export const CreateApiKey = gql<Generated.CreateApiKeyMutation, Generated.CreateApiKeyMutationVariables>`
  mutation CreateApiKey($name: String!, $role: Role!) {
    createApiKey(name: $name, role: $role) { key { ...ApiKeyRow } secret }
  }
  ${ApiKeyRowFields}
`;

export const RevokeApiKey = gql<Generated.RevokeApiKeyMutation, Generated.RevokeApiKeyMutationVariables>`
  mutation RevokeApiKey($id: ID!) { revokeApiKey(id: $id) { ...ApiKeyRow } }
  ${ApiKeyRowFields}
`;
