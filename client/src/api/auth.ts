// Logging in and out over REST: the answers set or clear the HttpOnly session cookie the browser then sends.
import { authStateFromRest, sessionFromLogin, type AuthState, type Session } from '../state/session.ts';
import { restCall } from './rest.ts';

export async function fetchAuthState(): Promise<AuthState> {
  return authStateFromRest(await restCall('GET', '/api/auth'));
}

/** Creates the first admin (only while no user exists) and logs them in. */
export async function setUp(input: { email: string; password: string; name: string }): Promise<Session> {
  return sessionFromLogin(
    await restCall('POST', '/api/auth/installation', {
      email: input.email,
      mot_de_passe: input.password,
      nom: input.name,
    }),
  );
}

export async function logIn(email: string, password: string): Promise<Session> {
  return sessionFromLogin(await restCall('POST', '/api/auth/connexion', { email, mot_de_passe: password }));
}

/** Ends the session; an already ended one (401) is as good. */
export async function logOut(): Promise<void> {
  await restCall('POST', '/api/auth/deconnexion').catch((error: unknown) => {
    if ((error as { status?: number }).status !== 401) throw error;
  });
}
