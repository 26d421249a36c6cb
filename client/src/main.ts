// The dashboard's entry: asks the server who is here (GET /api/auth), then shows the setup screen (no user yet),
// the login screen, or the dashboard; back to the login screen whenever the session ends.
import './styles.css';
import { fetchAuthState } from './api/auth.ts';
import { errorText } from './api/errors.ts';
import { startDashboard, type Dashboard } from './app.ts';
import type { Session } from './state/session.ts';
import { h, replace } from './ui/dom.ts';
import { languageSwitch, translateDocument } from './ui/language.ts';
import { t } from './i18n/index.ts';

translateDocument();
document.getElementById('language-slot')!.replaceWith(languageSwitch());
const outlet = document.getElementById('main')!;
/** The login and setup screens: their own chunk, which a logged-in visit does not download. */
const screens = () => import('./views/login.ts');
let dashboard: Dashboard | null = null;
/** Counts the screens shown, so a login chunk that loads late does not cover the dashboard. */
let shown = 0;

/** Without a session the header keeps only the brand: no navigation, live indicator or user menu. */
const setSignedIn = (signedIn: boolean): void => {
  document.body.classList.toggle('signed-out', !signedIn);
};

const enter = (session: Session): void => {
  shown++;
  setSignedIn(true);
  if (dashboard) dashboard.resume(session);
  else dashboard = startDashboard(session, { onLoggedOut: () => showLogin(t('session.loggedOut')), onRefused });
};

/** When the last refusal was checked: a second one soon after goes to the login screen, not round in circles. */
let lastRecheck = 0;

/**
 * The server refused the session. It may have ended (log in again) or only changed: a new role closes the live
 * socket too (4401), and then the dashboard comes back at once with the new role.
 */
function onRefused(message: string): void {
  dashboard?.suspend();
  if (Date.now() - lastRecheck < 10_000) return showLogin(message);
  lastRecheck = Date.now();
  fetchAuthState().then(
    (state) => (state.session ? enter(state.session) : showLogin(message)),
    () => showLogin(message),
  );
}

/** Shows a screen of the login chunk, unless something newer was shown while it loaded. */
function showScreen(title: string, build: (module: Awaited<ReturnType<typeof screens>>) => HTMLElement): void {
  const current = ++shown;
  setSignedIn(false);
  document.title = `${title} · ${t('app.name')}`;
  screens().then(
    (module) => current === shown && replace(outlet, build(module)),
    (error: unknown) => current === shown && showFailure(error),
  );
}

function showLogin(message: string | null): void {
  dashboard?.suspend();
  // The URL stays: after logging in, the dashboard shows the page the user was on.
  showScreen(t('login.submit'), ({ loginScreen }) => loginScreen({ message, onLoggedIn: enter }));
}

function showSetup(): void {
  showScreen(t('setup.short'), ({ setupScreen }) =>
    setupScreen({ onLoggedIn: enter, onSetupClosed: () => showLogin(t('setup.closed')) }),
  );
}

function showFailure(error: unknown): void {
  setSignedIn(false);
  replace(
    outlet,
    h('h1', null, t('app.name')),
    h('p', { class: 'error-text' }, t('app.unreachable', { reason: errorText(error) })),
    h('button', { class: 'button', attrs: { type: 'button' }, on: { click: boot } }, t('common.tryAgain')),
  );
}

function boot(): void {
  fetchAuthState().then((state) => {
    if (state.setupRequired) showSetup();
    else if (state.session) enter(state.session);
    else showLogin(null);
  }, showFailure);
}

boot();
