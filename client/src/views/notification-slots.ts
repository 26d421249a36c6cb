// Where the monitor's form and page show its notification settings: placeholders in the main chunk that load
// monitor-notifications.ts (and the channel documents) on first use, so the first download stays small.
import type { AppContext } from '../context.ts';
import { h } from '../ui/dom.ts';
import type { NotificationsCard, NotificationsSection } from './monitor-notifications.ts';

const load = () => import('./monitor-notifications.ts');

/** The form's section; invalid() and save() wait for it when it is still loading. */
export function notificationsFormSlot(ctx: AppContext, monitorId: string | null): NotificationsSection {
  const el = h('div', { class: 'notifications-slot' });
  const section = load().then((module) => {
    const loaded = module.notificationsSection(ctx, monitorId);
    el.append(loaded.el);
    return loaded;
  });
  let ready: NotificationsSection | null = null;
  void section.then((loaded) => (ready = loaded));
  return {
    el,
    invalid: () => ready?.invalid() ?? null,
    save: async (id) => (await section).save(id),
  };
}

/** The page's card, built once its module is loaded. */
export function notificationsCardSlot(ctx: AppContext, monitorId: string, kind: string): NotificationsCard {
  const el = h('div', { class: 'notifications-slot' });
  let card: NotificationsCard | null = null;
  let destroyed = false;
  void load().then((module) => {
    if (destroyed) return;
    card = module.notificationsCard(ctx, monitorId, kind);
    el.append(card.el);
  });
  return {
    el,
    destroy() {
      destroyed = true;
      card?.destroy();
    },
  };
}
