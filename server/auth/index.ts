// Authentication and authorisation: users, sessions, API keys, roles.
export { createAuthService, concerns, type AccessChange, type AuthOptions, type AuthService, type Session } from './service.ts';
export { LoginThrottle, DEFAULT_LOGIN_THROTTLE, type LoginThrottleOptions } from './login-throttle.ts';
export {
  checkSameOrigin,
  clearedSessionCookie,
  credentialsOf,
  requestAuthenticator,
  sessionCookie,
  SESSION_COOKIE,
  type RequestAuthenticator,
} from './request.ts';
export { isRole, LOCAL_OPERATOR, roleAtLeast, ROLES, type Access, type Principal, type Role } from './roles.ts';
export type { ApiKey, User } from './types.ts';
