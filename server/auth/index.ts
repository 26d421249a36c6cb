// Authentication and authorisation: users, sessions, API keys, roles.
export { createAuthService, type AuthOptions, type AuthService, type Session } from './service.ts';
export { canLoseAccess, concerns, type AccessChange, type EndReason } from './live-access.ts';
export {
  addressBucket,
  LoginThrottle,
  DEFAULT_LOGIN_THROTTLE,
  type LoginAttempt,
  type LoginThrottleOptions,
} from './login-throttle.ts';
export {
  scheduleSessionCleanup,
  SESSION_CLEANUP_JOB,
  type SessionCleanupJob,
  type SessionCleanupOptions,
} from './session-cleanup.ts';
export {
  OriginPolicy,
  upgradeRefusal,
  type CorsAnswer,
  type OriginPolicyOptions,
  type OriginRefusal,
  type RequestKind,
} from './origin-policy.ts';
export {
  clearedSessionCookie,
  credentialsOf,
  requestAuthenticator,
  sessionCookie,
  SESSION_COOKIE,
  type RequestAuthenticator,
} from './request.ts';
export { isRole, LOCAL_OPERATOR, roleAtLeast, ROLES, type Access, type Principal, type Role } from './roles.ts';
export type { ApiKey, User } from './types.ts';
