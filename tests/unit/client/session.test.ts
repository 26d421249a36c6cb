// What GET /api/auth and the login answers mean for the dashboard, what each role may do, and REST errors by field.
import { describe, expect, it } from 'vitest';
import { restErrorFrom } from '../../../client/src/api/rest.ts';
import { errorText, isUnauthenticated } from '../../../client/src/api/errors.ts';
import { errorsOf } from '../../../client/src/views/small-form.ts';
import {
  authStateFromRest,
  canEdit,
  isAdmin,
  passwordProblem,
  rolesUpTo,
  sessionFromLogin,
  type Session,
} from '../../../client/src/state/session.ts';

const user = {
  id: 3,
  email: 'ops@example.com',
  nom: 'Ops',
  role: 'editor',
  cree_a: '2026-01-01T00:00:00.000Z',
  modifie_a: '2026-01-01T00:00:00.000Z',
};

describe('authStateFromRest', () => {
  it('asks for the setup while no user exists', () => {
    expect(
      authStateFromRest({
        installation_requise: true,
        authentification_desactivee: false,
        utilisateur: null,
        role: null,
      }),
    ).toEqual({
      setupRequired: true,
      session: null,
    });
  });

  it('has no session when nobody is logged in, and one with the user and role otherwise', () => {
    expect(
      authStateFromRest({
        installation_requise: false,
        authentification_desactivee: false,
        utilisateur: null,
        role: null,
      }).session,
    ).toBeNull();
    expect(
      authStateFromRest({
        installation_requise: false,
        authentification_desactivee: false,
        utilisateur: user,
        role: 'editor',
      }).session,
    ).toEqual({
      user: { id: '3', email: 'ops@example.com', name: 'Ops', role: 'editor' },
      role: 'editor',
      authDisabled: false,
    });
  });

  it('is the local admin when authentication is disabled', () => {
    expect(
      authStateFromRest({
        installation_requise: false,
        authentification_desactivee: true,
        utilisateur: null,
        role: 'admin',
      }),
    ).toEqual({
      setupRequired: false,
      session: { user: null, role: 'admin', authDisabled: true },
    });
  });

  it('reads the user of a login answer', () => {
    expect(sessionFromLogin({ utilisateur: user, jeton: 'x', expire_a: '2026-01-02T00:00:00.000Z' }).role).toBe(
      'editor',
    );
    expect(() => sessionFromLogin({})).toThrow();
  });
});

describe('roles', () => {
  const as = (role: Session['role']): Session => ({ user: null, role, authDisabled: false });
  it('lets editors edit and admins administer', () => {
    expect([canEdit(as('viewer')), canEdit(as('editor')), canEdit(as('admin'))]).toEqual([false, true, true]);
    expect([isAdmin(as('viewer')), isAdmin(as('editor')), isAdmin(as('admin'))]).toEqual([false, false, true]);
  });

  it('offers API key roles up to one’s own', () => {
    expect(rolesUpTo('viewer')).toEqual(['viewer']);
    expect(rolesUpTo('editor')).toEqual(['viewer', 'editor']);
    expect(rolesUpTo('admin')).toEqual(['viewer', 'editor', 'admin']);
  });

  it('wants passwords of 10 characters', () => {
    expect(passwordProblem('')).toBe('Required.');
    expect(passwordProblem('123456789')).toMatch(/10/);
    expect(passwordProblem('1234567890')).toBeNull();
  });
});

describe('REST and session errors', () => {
  it('puts a REST message next to the field it names, with the form’s field name', () => {
    const error = restErrorFrom(400, 'mot_de_passe: must be at least 10 characters long');
    expect([error.field, error.message]).toEqual(['password', 'Must be at least 10 characters long']);
    expect(errorsOf(restErrorFrom(400, 'nouveau_mot_de_passe: too short')).fields).toEqual({
      newPassword: 'Too short',
    });
  });

  it('keeps other messages whole, with the wait after too many attempts', () => {
    expect(errorsOf(restErrorFrom(401, 'email or password is incorrect')).general).toEqual([
      'Email or password is incorrect.',
    ]);
    expect(errorsOf(restErrorFrom(429, 'too many failed logins', '30')).general).toEqual([
      'Too many failed logins. Try again in 30 s.',
    ]);
  });

  it('recognises the end of a session in GraphQL answers', () => {
    const ended = {
      graphQLErrors: [{ message: 'the session has ended; log in again', extensions: { code: 'UNAUTHENTICATED' } }],
    };
    expect(isUnauthenticated(ended)).toBe(true);
    expect(isUnauthenticated({ networkError: new Error('Unauthorized'), response: { status: 401 } })).toBe(true);
    expect(isUnauthenticated({ graphQLErrors: [{ message: 'no', extensions: { code: 'FORBIDDEN' } }] })).toBe(false);
    expect(errorText(ended)).toBe('Your session has ended: log in again.');
    expect(
      errorText({ graphQLErrors: [{ message: 'you are viewer: editor needed', extensions: { code: 'FORBIDDEN' } }] }),
    ).toBe('You are viewer: editor needed');
  });
});
