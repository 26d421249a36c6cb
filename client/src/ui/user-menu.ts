// The header's user menu: who is logged in with which role, their password and API keys, users (admin), log out.
import { isAdmin, ROLE_LABEL, type Session } from '../state/session.ts';
import { h } from './dom.ts';
import { t } from '../i18n/index.ts';

export function userMenu(session: Session, onLogOut: () => void): HTMLElement {
  const user = session.user;
  const close = (): void => {
    menu.open = false;
  };
  const item = (href: string, text: string): HTMLElement =>
    h('li', null, h('a', { attrs: { href }, on: { click: close } }, text));
  const menu = h(
    'details',
    { class: 'user-menu' },
    h(
      'summary',
      {
        attrs: {
          'aria-label': t('userMenu.label', {
            who: user?.email ?? t('userMenu.local'),
            role: ROLE_LABEL[session.role],
          }),
        },
      },
      h('span', { class: 'user-name' }, user?.name || user?.email || t('userMenu.account')),
      h('span', { class: 'role-badge', attrs: { 'data-role': session.role } }, ROLE_LABEL[session.role]),
    ),
    h(
      'div',
      { class: 'menu' },
      h(
        'p',
        { class: 'menu-who' },
        h('span', { class: 'user-email' }, user?.email ?? ''),
        h('span', { class: 'muted' }, ` · ${ROLE_LABEL[session.role]}`),
      ),
      h(
        'ul',
        null,
        item('/account/password', t('password.title')),
        item('/account/api-keys', t('apiKeys.title')),
        isAdmin(session) ? item('/users', t('users.title')) : null,
        h(
          'li',
          null,
          h(
            'button',
            { class: 'link-button', attrs: { type: 'button' }, on: { click: () => (close(), onLogOut()) } },
            t('userMenu.logOut'),
          ),
        ),
      ),
    ),
  );
  // Closes on Escape and on a click elsewhere, like other menus.
  menu.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' || !menu.open) return;
    close();
    menu.querySelector('summary')?.focus();
  });
  const onClick = (event: MouseEvent): void => {
    if (!menu.isConnected) return document.removeEventListener('click', onClick);
    if (menu.open && !menu.contains(event.target as Node)) close();
  };
  document.addEventListener('click', onClick);
  return menu;
}
