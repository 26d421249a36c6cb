// Authentication and access management over REST: first-admin setup, login and logout, one's password,
// users (admin) and API keys.
import {
  clearedSessionCookie,
  sessionCookie,
  type ApiKey,
  type AuthService,
  type LoginThrottle,
  type Principal,
  type Session,
  type User,
} from '../auth/index.ts';
import { HttpError } from './http-error.ts';
import { parseId } from './params.ts';
import type { Router } from './router.ts';
import { renameFields } from './shapes.ts';

export interface AuthRoutesDeps {
  auth: AuthService;
  throttle: LoginThrottle;
  /** Cookies get the Secure flag when the dashboard is served over https. */
  secureCookies: boolean;
}

export const utilisateurShape = (user: User) => ({
  id: user.id,
  email: user.email,
  nom: user.name,
  role: user.role,
  cree_a: user.createdAt.toISOString(),
  modifie_a: user.updatedAt.toISOString(),
});

const cleShape = (key: ApiKey) => ({
  id: key.id,
  utilisateur_id: key.userId,
  nom: key.name,
  role: key.role,
  cree_a: key.createdAt.toISOString(),
  derniere_utilisation_a: key.lastUsedAt?.toISOString() ?? null,
  revoquee_a: key.revokedAt?.toISOString() ?? null,
});

const USER_FIELDS = { email: 'email', nom: 'name', role: 'role', mot_de_passe: 'password' };
const LOGIN_FIELDS = { email: 'email', mot_de_passe: 'password' };
const PASSWORD_FIELDS = { mot_de_passe_actuel: 'currentPassword', nouveau_mot_de_passe: 'newPassword' };
const KEY_FIELDS = { nom: 'name', role: 'role' };

/** The REST names of the fields these routes validate, for error messages. */
export const AUTH_FIELDS_FR: Record<string, string> = {
  password: 'mot_de_passe',
  name: 'nom',
  currentPassword: 'mot_de_passe_actuel',
  newPassword: 'nouveau_mot_de_passe',
};

const signedIn = (principal: Principal | null): Principal => {
  if (!principal) throw new HttpError(401, 'authentication required');
  return principal;
};

export function registerAuthRoutes(router: Router, deps: AuthRoutesDeps): void {
  const { auth, throttle } = deps;
  const opened = (status: number, session: Session) => ({
    status,
    headers: { 'Set-Cookie': sessionCookie(session.token, session.expiresAt, deps.secureCookies) },
    body: {
      utilisateur: utilisateurShape(session.user),
      jeton: session.token,
      expire_a: session.expiresAt.toISOString(),
    },
  });

  router
    .on('GET', '/api/auth', 'public', async ({ principal }) => {
      const user = principal ? await auth.me(principal) : null;
      return {
        body: {
          installation_requise: !auth.disabled && (await auth.setupRequired()),
          authentification_desactivee: auth.disabled,
          utilisateur: user ? utilisateurShape(user) : null,
          role: principal?.role ?? null,
        },
      };
    })
    .on('POST', '/api/auth/installation', 'public', async ({ body }) => {
      const input = renameFields(
        await body(),
        { ...USER_FIELDS },
        'expected a JSON object {"email", "mot_de_passe", "nom"}',
      );
      return opened(201, await auth.setup(input));
    })
    .on('POST', '/api/auth/connexion', 'public', async ({ body, clientAddress }) => {
      const input = renameFields(await body(), LOGIN_FIELDS, 'expected a JSON object {"email", "mot_de_passe"}');
      const email = typeof input.email === 'string' ? input.email : '';
      const attempt = throttle.reserve(clientAddress, email);
      try {
        const session = await auth.login(input.email, input.password);
        attempt.succeeded();
        return opened(200, session);
      } catch (error) {
        await attempt.failed();
        throw error;
      }
    })
    .on('POST', '/api/auth/deconnexion', 'viewer', async ({ principal }) => {
      await auth.logout(signedIn(principal));
      return { status: 204, headers: { 'Set-Cookie': clearedSessionCookie(deps.secureCookies) } };
    })
    .on('PUT', '/api/auth/mot-de-passe', 'viewer', async ({ principal, body }) => {
      const input = renameFields(
        await body(),
        PASSWORD_FIELDS,
        'expected a JSON object {"mot_de_passe_actuel", "nouveau_mot_de_passe"}',
      );
      await auth.changePassword(signedIn(principal), input.currentPassword, input.newPassword);
      return { status: 204 };
    })
    .on('GET', '/api/utilisateurs', 'admin', async () => ({
      body: { utilisateurs: (await auth.listUsers()).map(utilisateurShape) },
    }))
    .on('POST', '/api/utilisateurs', 'admin', async ({ body }) => {
      const input = renameFields(
        await body(),
        USER_FIELDS,
        'expected a JSON object {"email", "mot_de_passe", "nom", "role"}',
      );
      return { status: 201, body: { utilisateur: utilisateurShape(await auth.createUser(input)) } };
    })
    .on('PATCH', '/api/utilisateurs/:id', 'admin', async ({ params, body }) => {
      const input = renameFields(
        await body(),
        { nom: 'name', role: 'role', mot_de_passe: 'password' },
        'expected a JSON object',
      );
      const { user, revokedApiKeys } = await auth.updateUser(parseId(params.id), input);
      return { body: { utilisateur: utilisateurShape(user), cles_api_revoquees: revokedApiKeys } };
    })
    .on('DELETE', '/api/utilisateurs/:id', 'admin', async ({ params, principal }) => {
      await auth.deleteUser(signedIn(principal), parseId(params.id));
      return { status: 204 };
    })
    .on('GET', '/api/cles-api', 'viewer', async ({ principal, query }) => {
      const keys = await auth.listApiKeys(signedIn(principal), query.get('tous') === 'true');
      return { body: { cles: keys.map(cleShape) } };
    })
    .on('POST', '/api/cles-api', 'viewer', async ({ principal, body }) => {
      const input = renameFields(await body(), KEY_FIELDS, 'expected a JSON object {"nom", "role"}');
      const { key, token } = await auth.createApiKey(signedIn(principal), input);
      // The only time the key is shown: only its digest is stored.
      return { status: 201, body: { cle: cleShape(key), secret: token } };
    })
    .on('DELETE', '/api/cles-api/:id', 'viewer', async ({ principal, params }) => ({
      body: { cle: cleShape(await auth.revokeApiKey(signedIn(principal), parseId(params.id))) },
    }));
}
