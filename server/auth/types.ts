// The auth domain's records live in types/, where db/ maps them.
export type { ApiKey, Role, User } from '../types/index.ts';
