// History-API routing: path patterns to views; same-origin links navigate without reloading.
export interface View {
  el: HTMLElement;
  /** Called when the view leaves the page: stop subscriptions and timers. */
  destroy?(): void;
  /** Called after the WebSocket came back: reload what may have been missed. */
  refresh?(): void;
}

export type RouteHandler = (params: Record<string, string>, search: URLSearchParams) => View;

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

  render(): void {
    this.current?.destroy?.();
    const { pathname, search } = location;
    let view: View | null = null;
    for (const route of this.routes) {
      const match = route.pattern.exec(pathname);
      if (!match) continue;
      const params = Object.fromEntries(route.keys.map((key, index) => [key, decodeURIComponent(match[index + 1] ?? '')]));
      view = route.handler(params, new URLSearchParams(search));
      break;
    }
    this.current = view ?? this.notFound({}, new URLSearchParams(search));
    this.outlet.replaceChildren(this.current.el);
    // Move focus to the new page's heading so keyboard and screen-reader users start there.
    const heading = this.outlet.querySelector<HTMLElement>('h1');
    if (heading && document.activeElement !== document.body && !this.outlet.contains(document.activeElement)) {
      heading.tabIndex = -1;
      heading.focus({ preventScroll: true });
    }
    window.scrollTo(0, 0);
    // Mark the navigation link of the current section.
    for (const link of document.querySelectorAll<HTMLAnchorElement>('header nav a')) {
      const current = link.pathname === '/' ? pathname === '/' || pathname.startsWith('/monitors') : pathname.startsWith(link.pathname);
      if (current) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
  }

  private intercept(event: MouseEvent): void {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const link = (event.target as Element | null)?.closest?.('a');
    if (!link || link.target || link.hasAttribute('download') || link.origin !== location.origin) return;
    if (EXTERNAL.some((pattern) => pattern.test(link.pathname))) return;
    event.preventDefault();
    if (link.pathname + link.search !== location.pathname + location.search) this.navigate(link.pathname + link.search);
  }
}
