// What a public status page shows, and how it follows it: one query, then the same fields pushed by the server
// each time the page changes (statusPageChanged, over SSE, which needs no login). Plain fetch and EventSource:
// the page carries no GraphQL client.
import type {
  PublicStatusPageQuery,
  PublicStatusPageQueryVariables,
  StatusPageChangedSubscription,
} from '../api/generated.ts';
import { STATUS_PAGE_INCIDENT_FRAGMENT } from '../api/incident-fragment.ts';
import type { PublicStatusPage } from '../api/types.ts';
import { firstDayStart } from '../state/daily.ts';

export const DAYS = 90;

// Every subscriber of a page asks the same fields with the same variables (day-aligned), so the server runs
// one execution per change for all of them.
const PUBLIC_STATUS_PAGE_FRAGMENT = /* GraphQL */ `
  fragment PublicStatusPage on PublicStatusPage {
    slug title description logoUrl
    sections {
      name
      monitors {
        id name status
        month: stats(window: MONTH) { availability }
        days: stats(from: $from) { series(resolutionSeconds: 86400) { start checks availability } }
      }
    }
    incidents { ...StatusPageIncident }
  }
  ${STATUS_PAGE_INCIDENT_FRAGMENT}
`;

const PAGE_QUERY = /* GraphQL */ `
  query PublicStatusPage($slug: String, $from: DateTime!) { publicStatusPage(slug: $slug) { ...PublicStatusPage } }
  ${PUBLIC_STATUS_PAGE_FRAGMENT}
`;
const PAGE_SUBSCRIPTION = /* GraphQL */ `
  subscription StatusPageChanged($slug: String, $from: DateTime!) {
    statusPageChanged(slug: $slug) { ...PublicStatusPage }
  }
  ${PUBLIC_STATUS_PAGE_FRAGMENT}
`;

/** The page's slug from its address: /status/<slug>, or null for /status (the default page). */
export function slugOf(pathname: string): string | null {
  const match = /^\/status\/([^/]+)\/?$/.exec(pathname);
  return match ? decodeURIComponent(match[1]!) : null;
}

const variables = (slug: string | null, now = Date.now()): PublicStatusPageQueryVariables => ({
  slug,
  from: new Date(firstDayStart(DAYS, now)).toISOString(),
});

/** The page, or null when there is no such page. */
export async function loadPage(slug: string | null): Promise<PublicStatusPage | null> {
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
    body: JSON.stringify({ query: PAGE_QUERY, variables: variables(slug) }),
    credentials: 'same-origin',
  });
  const body = (await response.json()) as { data?: PublicStatusPageQuery; errors?: unknown[] };
  if (body.errors?.length || !body.data) {
    const message = (body.errors?.[0] as { message?: string } | undefined)?.message;
    throw new Error(message ?? `HTTP ${response.status}`);
  }
  return body.data.publicStatusPage;
}

export interface PageFollower {
  close(): void;
}

/** How long a visitor turned away (too many live streams) waits before trying again, at least. */
const BUSY_RETRY_MS = 30_000;

/**
 * Follows the page: `onPage` with each new version (null once deleted), `onState` when the stream is up or down.
 * EventSource reconnects by itself; `onReconnect` says when changes may have been missed meanwhile. A stream the
 * server refuses (no such page) is not opened again: `onEnded` says why; a server with too many live streams is
 * asked again after half a minute or so, not every few seconds.
 */
export function followPage(
  slug: string | null,
  handlers: {
    onPage(page: PublicStatusPage | null): void;
    onState(live: boolean): void;
    onReconnect(): void;
    onEnded(reason: string): void;
  },
): PageFollower {
  const params = new URLSearchParams({ query: PAGE_SUBSCRIPTION, variables: JSON.stringify(variables(slug)) });
  let source: EventSource | null = null;
  let retry: ReturnType<typeof setTimeout> | null = null;
  let opened = false;
  const open = () => {
    const current = new EventSource(`/graphql?${params}`);
    source = current;
    current.addEventListener('open', () => {
      handlers.onState(true);
      if (opened) handlers.onReconnect();
      opened = true;
    });
    current.addEventListener('error', () => handlers.onState(false));
    current.addEventListener('next', (event) => {
      const payload = JSON.parse((event as MessageEvent<string>).data) as {
        data?: StatusPageChangedSubscription;
        errors?: Array<{ message: string; extensions?: { code?: string } }>;
      };
      if (payload.data) handlers.onPage(payload.data.statusPageChanged);
      const refusal = payload.errors?.[0];
      if (!refusal) return;
      current.close();
      if (refusal.extensions?.code === 'TOO_MANY_SUBSCRIPTIONS') {
        handlers.onState(false);
        retry = setTimeout(open, BUSY_RETRY_MS * (1 + Math.random()));
      } else handlers.onEnded(refusal.message);
    });
  };
  open();
  return {
    close: () => {
      if (retry) clearTimeout(retry);
      source?.close();
    },
  };
}
