// The account pages, loaded on first visit as their own chunk: they are not needed to watch monitors.
export { apiKeysView } from './api-keys.ts';
export { passwordView } from './password.ts';
export { usersView } from './users.ts';
