// History-API routing: path patterns to views; same-origin links navigate without reloading.
import { t } from '../i18n/index.ts';
export interface View {
  el: HTMLElement;
  /** Called when the view leaves the page: stop subscriptions and timers. */
  destroy?(): void;
  /** Called after the WebSocket came back: reload what may have been missed. */
  refresh?(): void;
}

/** A view, or the promise of one whose code loads on first use (a separate chunk). */
export type RouteHandler = (params: Record<string, string>, search: URLSearchParams) => View | Promise<View>;

interface Route {
  pattern: RegExp;
  keys: string[];
  handler: RouteHandler;
}

/** Paths served by other pages (full navigations). */
const EXTERNAL = [/^\/status\/?$/, /^\/graphql/, /^\/api\//];

export class Router {
  private routes: Route[] = [];
  private current: View | null = null;
  /** Counts renders, so a lazily loaded view that arrives late does not replace a newer page. */
  private renders = 0;
  private suspended = false;

  constructor(
    private readonly outlet: HTMLElement,
    private readonly notFound: RouteHandler,
  ) {
    window.addEventListener('popstate', () => this.render());
    document.addEventListener('click', (event) => this.intercept(event));
  }

  add(path: string, handler: RouteHandler): this {
    const keys: string[] = [];
    const source = path.replace(/:(\w+)/g, (_, key: string) => {
      keys.push(key);
      return '([^/]+)';
    });
    this.routes.push({ pattern: new RegExp(`^${source}/?$`), keys, handler });
    return this;
  }

  navigate(path: string, options: { replace?: boolean } = {}): void {
    if (options.replace) history.replaceState(null, '', path);
    else history.pushState(null, '', path);
    this.render();
  }

  refresh(): void {
    this.current?.refresh?.();
  }

  /** Leaves the current page (the login screen takes the outlet); history changes wait for resume(). */
  suspend(): void {
    this.suspended = true;
    this.renders++;
    this.current?.destroy?.();
    this.current = null;
  }

  /** Shows the page of the current URL again: the one the user was on, or where they went meanwhile. */
  resume(): void {
    this.suspended = false;
    this.render();
  }

  render(): void {
    if (this.suspended) return;
    this.current?.destroy?.();
    this.current = null;
    const render = ++this.renders;
    const { pathname, search } = location;
    let view: View | Promise<View> | null = null;
    for (const route of this.routes) {
      const match = route.pattern.exec(pathname);
      if (!match) continue;
      const params = Object.fromEntries(
        route.keys.map((key, index) => [key, decodeURIComponent(match[index + 1] ?? '')]),
      );
      view = route.handler(params, new URLSearchParams(search));
      break;
    }
    view ??= this.notFound({}, new URLSearchParams(search));
    this.markNavigation(pathname);
    if (!(view instanceof Promise)) return this.show(view);
    const loading = document.createElement('p');
    loading.className = 'muted';
    loading.textContent = t('common.loading');
    this.outlet.replaceChildren(loading);
    view.then(
      (loaded) => (render === this.renders ? this.show(loaded) : loaded.destroy?.()),
      () => {
        if (render !== this.renders) return;
        loading.className = 'error-text';
        loading.textContent = t('app.chunkFailed');
      },
    );
  }

  private show(view: View): void {
    this.current = view;
    this.outlet.replaceChildren(view.el);
    // Move focus to the new page's heading so keyboard and screen-reader users start there.
    const heading = this.outlet.querySelector<HTMLElement>('h1');
    if (heading && document.activeElement !== document.body && !this.outlet.contains(document.activeElement)) {
      heading.tabIndex = -1;
      heading.focus({ preventScroll: true });
    }
    window.scrollTo(0, 0);
  }

  /** Marks the navigation link of the current section. */
  private markNavigation(pathname: string): void {
    for (const link of document.querySelectorAll<HTMLAnchorElement>('header nav a')) {
      const current =
        link.pathname === '/'
          ? pathname === '/' || pathname.startsWith('/monitors')
          : pathname.startsWith(link.pathname);
      if (current) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
  }

  private intercept(event: MouseEvent): void {
    if (
      event.defaultPrevented ||
      event.button !== 0 ||
      event.metaKey ||
      event.ctrlKey ||
      event.shiftKey ||
      event.altKey
    )
      return;
    const link = (event.target as Element | null)?.closest?.('a');
    if (this.suspended || !link || link.target || link.hasAttribute('download') || link.origin !== location.origin)
      return;
    if (EXTERNAL.some((pattern) => pattern.test(link.pathname))) return;
    event.preventDefault();
    if (link.pathname + link.search !== location.pathname + location.search) this.navigate(link.pathname + link.search);
  }
}
