// The header's user menu: who is logged in with which role, their password and API keys, users (admin), log out.
import { isAdmin, ROLE_LABEL, type Session } from '../state/session.ts';
import { h } from './dom.ts';

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
      { attrs: { 'aria-label': `Account: ${user?.email ?? 'local'}, ${ROLE_LABEL[session.role]}` } },
      h('span', { class: 'user-name' }, user?.name || user?.email || 'Account'),
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
        item('/account/password', 'Change password'),
        item('/account/api-keys', 'API keys'),
        isAdmin(session) ? item('/users', 'Users') : null,
        h(
          'li',
          null,
          h(
            'button',
            { class: 'link-button', attrs: { type: 'button' }, on: { click: () => (close(), onLogOut()) } },
            'Log out',
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
