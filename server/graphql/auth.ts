// Users and API keys: who am I, user management (admin), one's own API keys and password. Logging in and
// out sets a cookie, so it is REST only (/api/auth/connexion, /api/auth/deconnexion).
import type { ApiKey, User } from '../auth/index.ts';
import { builder } from './builder.ts';
import { parseNumericId } from './ids.ts';

const RoleEnum = builder.enumType('Role', {
  description: 'What a user or an API key may do.',
  values: {
    VIEWER: { value: 'viewer', description: 'Read everything but secrets.' },
    EDITOR: { value: 'editor', description: 'Also manage monitors and maintenance windows, and acknowledge alerts.' },
    ADMIN: { value: 'admin', description: 'Also manage users and notification channels.' },
  } as const,
});

const UserRef = builder.objectRef<User>('User').implement({
  description: 'A person who can log in.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Its id.' }),
    email: t.exposeString('email', { description: 'Login email.' }),
    name: t.exposeString('name', { description: 'Display name.' }),
    role: t.field({ type: RoleEnum, description: 'Its role.', resolve: (user) => user.role }),
    createdAt: t.field({ type: 'DateTime', description: 'When it was created.', resolve: (user) => user.createdAt }),
  }),
});

const ApiKeyRef = builder.objectRef<ApiKey>('ApiKey').implement({
  description: 'A key for integrations; only its digest is stored.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Its id.' }),
    userId: t.exposeID('userId', { description: 'The user who created it.' }),
    name: t.exposeString('name', { description: 'What it is for.' }),
    role: t.field({ type: RoleEnum, description: 'Its role (never above its owner’s).', resolve: (key) => key.role }),
    createdAt: t.field({ type: 'DateTime', description: 'When it was created.', resolve: (key) => key.createdAt }),
    lastUsedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'Last use (to the minute).',
      resolve: (key) => key.lastUsedAt,
    }),
    revokedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When it was revoked.',
      resolve: (key) => key.revokedAt,
    }),
  }),
});

const NewApiKeyRef = builder.objectRef<{ key: ApiKey; token: string }>('NewApiKey').implement({
  description: 'A key just created: the only time its secret is shown.',
  fields: (t) => ({
    key: t.field({ type: ApiKeyRef, description: 'The key.', resolve: (created) => created.key }),
    secret: t.exposeString('token', {
      description: 'Send it as "Authorization: Bearer <secret>". It cannot be shown again.',
    }),
  }),
});

const UserInput = builder.inputType('CreateUserInput', {
  description: 'A new user.',
  fields: (t) => ({
    email: t.string({ required: true, description: 'Login email.' }),
    password: t.string({ required: true, description: 'At least 10 characters.' }),
    name: t.string({ description: 'Display name.' }),
    role: t.field({ type: RoleEnum, required: true, description: 'Its role.' }),
  }),
});

const UserChangesInput = builder.inputType('UpdateUserInput', {
  description: 'Changes to a user; omitted fields stay.',
  fields: (t) => ({
    name: t.string({ description: 'Display name.' }),
    role: t.field({ type: RoleEnum, description: 'Its role (its open subscriptions end).' }),
    password: t.string({ description: 'A new password (its sessions and API keys end).' }),
  }),
});

builder.queryFields((t) => ({
  me: t.field({
    authScopes: { viewer: true },
    type: UserRef,
    nullable: true,
    description: 'The logged-in user (null when authentication is disabled).',
    resolve: (_, __, context) => context.auth.me(context.principal!),
  }),
  users: t.field({
    authScopes: { admin: true },
    type: [UserRef],
    description: 'Every user.',
    resolve: (_, __, context) => context.auth.listUsers(),
  }),
  apiKeys: t.field({
    authScopes: { viewer: true },
    type: [ApiKeyRef],
    description: 'Your API keys, newest first; an admin may ask for everyone’s.',
    args: { everyone: t.arg.boolean({ description: 'Every user’s keys (admin only).' }) },
    resolve: (_, args, context) => context.auth.listApiKeys(context.principal!, args.everyone ?? false),
  }),
}));

builder.mutationFields((t) => ({
  createUser: t.field({
    authScopes: { admin: true },
    type: UserRef,
    description: 'Creates a user.',
    args: { input: t.arg({ type: UserInput, required: true, description: 'The user.' }) },
    resolve: (_, { input }, context) => context.auth.createUser(input),
  }),
  updateUser: t.field({
    authScopes: { admin: true },
    type: UserRef,
    description: 'Changes a user.',
    args: {
      id: t.arg.id({ required: true, description: 'Its id.' }),
      input: t.arg({ type: UserChangesInput, required: true, description: 'The changes.' }),
    },
    resolve: async (_, { id, input }, context) => (await context.auth.updateUser(parseNumericId(id, 'id'), input)).user,
  }),
  deleteUser: t.field({
    authScopes: { admin: true },
    type: 'ID',
    description: 'Deletes a user with their sessions and API keys; returns its id.',
    args: { id: t.arg.id({ required: true, description: 'Its id.' }) },
    resolve: async (_, args, context) => {
      const id = parseNumericId(args.id, 'id');
      await context.auth.deleteUser(context.principal!, id);
      return id;
    },
  }),
  changePassword: t.boolean({
    authScopes: { viewer: true },
    description: 'Changes your password; your other sessions and all your API keys end.',
    args: {
      currentPassword: t.arg.string({ required: true, description: 'Your current password.' }),
      newPassword: t.arg.string({ required: true, description: 'At least 10 characters.' }),
    },
    resolve: async (_, args, context) => {
      await context.auth.changePassword(context.principal!, args.currentPassword, args.newPassword);
      return true;
    },
  }),
  createApiKey: t.field({
    authScopes: { viewer: true },
    type: NewApiKeyRef,
    description: 'Creates an API key with a role up to yours; its secret is shown only in this answer.',
    args: {
      name: t.arg.string({ required: true, description: 'What it is for.' }),
      role: t.arg({ type: RoleEnum, required: true, description: 'Its role.' }),
    },
    resolve: (_, args, context) => context.auth.createApiKey(context.principal!, args),
  }),
  revokeApiKey: t.field({
    authScopes: { viewer: true },
    type: ApiKeyRef,
    description: 'Revokes one of your API keys (an admin: anyone’s); requests and subscriptions using it stop.',
    args: { id: t.arg.id({ required: true, description: 'Its id.' }) },
    resolve: (_, args, context) => context.auth.revokeApiKey(context.principal!, parseNumericId(args.id, 'id')),
  }),
}));
