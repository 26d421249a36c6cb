// CheckResult, result pages, and the one-off URL check.
import { maskUrlSecrets } from '../checks/index.ts';
import type { CheckResult } from '../results/index.ts';
import { MAX_RESULTS_LIMIT } from '../results/index.ts';
import { builder, type VigieArgBuilder } from './builder.ts';
import { pageCost, sizedByParent } from './complexity.ts';
import type { GraphQLContext } from './types.ts';
import { decodeResultCursor, encodeResultCursor, pageSize, parseNumericId } from './ids.ts';
import './scalars.ts';

export const PhaseTimingsRef = builder.objectRef<NonNullable<CheckResult['timings']>>('PhaseTimings').implement({
  description: 'How long each phase of an HTTP or TCP check took, in milliseconds.',
  fields: (t) => ({
    dnsMs: t.exposeFloat('dnsMs', { nullable: true, description: 'Name resolution (null for an IP address).' }),
    connectMs: t.exposeFloat('connectMs', { nullable: true, description: 'TCP connection.' }),
    tlsMs: t.exposeFloat('tlsMs', { nullable: true, description: 'TLS handshake (HTTPS only).' }),
    firstByteMs: t.exposeFloat('firstByteMs', {
      nullable: true,
      description: 'From request sent to first response byte.',
    }),
    totalMs: t.exposeFloat('totalMs', { description: 'The whole check.' }),
  }),
});

export const CheckResultRef = builder.objectRef<CheckResult>('CheckResult').implement({
  description: 'The outcome of one check of a monitor, or of a one-off URL check.',
  fields: (t) => ({
    id: t.id({ description: 'Unique id, increasing with insertion.', resolve: (result) => result.id }),
    monitorId: t.id({
      nullable: true,
      description: 'The monitor checked; null for a one-off check (checkUrl).',
      resolve: (result) => result.monitorId,
    }),
    isUp: t.exposeBoolean('isUp', { description: 'Whether the check succeeded.' }),
    httpStatus: t.exposeInt('httpStatus', {
      nullable: true,
      description: 'Final HTTP status code, when there was a response.',
    }),
    latencyMs: t.exposeInt('latencyMs', { description: 'Total duration of the check in milliseconds.' }),
    checkedAt: t.field({
      type: 'DateTime',
      description: 'When the check started.',
      resolve: (result) => result.checkedAt,
    }),
    target: t.string({
      description: 'What was checked: URL, host:port or host; credentials in a URL show as "********".',
      resolve: (result) => maskUrlSecrets(result.target),
    }),
    cause: t.exposeString('cause', {
      nullable: true,
      description:
        'Why the check failed: timeout, dns, refused, reset, unreachable, tls, http_status, keyword, assertion, redirect, invalid_target, blocked_address, ping_unavailable or error.',
    }),
    error: t.exposeString('error', { nullable: true, description: 'A human-readable reason for the failure.' }),
    timings: t.field({
      type: PhaseTimingsRef,
      nullable: true,
      description: 'Phase timings, when the check kind records them.',
      resolve: (result) => result.timings,
    }),
    certificateDaysLeft: t.exposeInt('certificateDaysLeft', {
      nullable: true,
      description: 'Days until the HTTPS certificate expires.',
    }),
    certificateExpiresAt: t.expose('certificateExpiresAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When the HTTPS certificate expires.',
    }),
    location: t.exposeString('location', {
      description: 'The location (LOCATION of the instance) the check was made from.',
    }),
  }),
});

export const PageInfoRef = builder.objectRef<{ hasNextPage: boolean; endCursor: string | null }>('PageInfo').implement({
  description: 'Where a page ends and whether more follow.',
  fields: (t) => ({
    hasNextPage: t.exposeBoolean('hasNextPage', { description: 'True when a next page exists.' }),
    endCursor: t.exposeString('endCursor', { nullable: true, description: 'Pass as `after` to get the next page.' }),
  }),
});

interface ResultEdge {
  cursor: string;
  node: CheckResult;
}

const ResultEdgeRef = builder.objectRef<ResultEdge>('CheckResultEdge').implement({
  description: 'A result and its cursor.',
  fields: (t) => ({
    cursor: t.exposeString('cursor', { description: 'Opaque position of this result.' }),
    node: t.field({ type: CheckResultRef, description: 'The result.', resolve: (edge) => edge.node }),
  }),
});

export interface ResultConnection {
  edges: ResultEdge[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

export const ResultConnectionRef = builder.objectRef<ResultConnection>('CheckResultConnection').implement({
  description: 'A page of results, newest first.',
  fields: (t) => ({
    edges: t.field({
      type: [ResultEdgeRef],
      description: 'The results of this page.',
      complexity: sizedByParent,
      resolve: (page) => page.edges,
    }),
    nodes: t.field({
      type: [CheckResultRef],
      complexity: sizedByParent,
      description: 'The results of this page, without cursors.',
      resolve: (page) => page.edges.map((edge) => edge.node),
    }),
    pageInfo: t.field({ type: PageInfoRef, description: 'Pagination state.', resolve: (page) => page.pageInfo }),
  }),
});

export const DEFAULT_RESULTS_PAGE = 50;

/** A page of results costs its page size times its selection. */
export const resultPageCost = pageCost(DEFAULT_RESULTS_PAGE, MAX_RESULTS_LIMIT);

export interface ResultPageArgs {
  first?: number | null;
  after?: string | null;
  from?: Date | null;
  to?: Date | null;
  location?: string | null;
}

/** A page from rows read one beyond the page size (that extra row says whether a next page exists). */
function toConnection(rows: CheckResult[], limit: number): ResultConnection {
  const edges = rows.slice(0, limit).map((node) => ({ cursor: encodeResultCursor(node), node }));
  return { edges, pageInfo: { hasNextPage: rows.length > limit, endCursor: edges.at(-1)?.cursor ?? null } };
}

export async function loadResultConnection(
  context: GraphQLContext,
  monitorId: number | null,
  args: ResultPageArgs,
): Promise<ResultConnection> {
  const limit = pageSize(args.first, DEFAULT_RESULTS_PAGE, MAX_RESULTS_LIMIT);
  // The first page of a monitor's results, as a list of monitors asks for it, is batched across monitors.
  if (monitorId !== null && !args.after && !args.from && !args.to && !args.location) {
    return toConnection(await context.loaders.recentResults(limit + 1).load(monitorId), limit);
  }
  const rows = await context.results.page({
    monitorId,
    from: args.from ?? null,
    to: args.to ?? null,
    before: args.after ? decodeResultCursor(args.after) : null,
    limit: limit + 1,
    location: args.location || null,
  });
  return toConnection(rows, limit);
}

export const resultPageArgs = (t: { arg: VigieArgBuilder }) => ({
  first: t.arg.int({ description: `How many results (1 to ${MAX_RESULTS_LIMIT}, default ${DEFAULT_RESULTS_PAGE}).` }),
  after: t.arg.string({ description: 'The endCursor of the previous page.' }),
  from: t.arg({ type: 'DateTime', description: 'Only results checked at or after this time.' }),
  to: t.arg({ type: 'DateTime', description: 'Only results checked before this time.' }),
  location: t.arg.string({ description: 'Only results checked from this location.' }),
});

builder.queryField('results', (t) =>
  t.field({
    authScopes: { viewer: true },
    type: ResultConnectionRef,
    description: 'Check results, newest first, of one monitor or of everything.',
    complexity: resultPageCost,
    args: { monitorId: t.arg.id({ description: 'Only this monitor’s results.' }), ...resultPageArgs(t) },
    resolve: (_, args, context) =>
      loadResultConnection(context, args.monitorId == null ? null : parseNumericId(args.monitorId, 'monitorId'), args),
  }),
);

builder.mutationField('checkUrl', (t) =>
  t.field({
    authScopes: { editor: true },
    type: CheckResultRef,
    description: 'Checks any http(s) URL now (the original verifier) and stores the result.',
    args: { url: t.arg.string({ required: true, description: 'An http:// or https:// URL.' }) },
    resolve: (_, args, context) => context.results.checkUrl(context.clientAddress, async () => args.url),
  }),
);
