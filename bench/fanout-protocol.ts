// Messages between the fan-out bench's orchestrator and its two children: the service and the clients.

/** What the clients subscribe to, and how they read what arrives. */
export type ScenarioKind = 'results' | 'alerts' | 'list';

export interface SubscribeCommand {
  type: 'subscribe';
  kind: ScenarioKind;
  /** The services' URLs: subscriber n (counted across processes) connects to the n-th modulo their number. */
  urls: string[];
  /** Subscriber n sends the n-th modulo their number (different names make different groups of the same). */
  queries: string[];
  /** Variables per subscriber (one socket each), in order; `null`: none. */
  variables: Array<Record<string, unknown> | null>;
  /** list: subscribers whose every message is read in full (latency per monitor, what is lost). */
  sampleEvery: number;
  /** The index of this process's first subscriber among all (sampling counts across processes). */
  firstIndex: number;
}

export type ClientsCommand =
  | SubscribeCommand
  | { type: 'reset' }
  | { type: 'report'; latestResultIds?: Record<string, number> }
  | { type: 'close' };

/** Receipt latencies in 1 ms buckets (the last one: 60 s or more). */
export interface LatencySummary {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

/** Latencies as buckets, to add up across client processes. */
export interface LatencyBuckets {
  buckets: Array<[number, number]>;
  max: number;
}

/** One client process's account; the orchestrator adds them up into a ClientsReport. */
export interface ClientsPart {
  type: 'report';
  messages: number;
  fewest: number;
  most: number;
  bytes: number;
  latency: LatencyBuckets;
  tickLatency: LatencyBuckets;
  stale: number;
  sampled: number;
  errors: string[];
  closed: number;
  cpuMs: number;
}

export interface ClientsReport {
  messages: number;
  /** Messages per subscriber: the fewest and the most. */
  fewest: number;
  most: number;
  bytes: number;
  /** From the check (results), the alert (alerts) or the result in the list (list, sampled) to receipt. */
  latency: LatencySummary;
  /** list: from the tick that sent a message to its receipt, every subscriber. */
  tickLatency: LatencySummary;
  /** list: monitors whose last result, as a sampled subscriber last saw it, is not the latest one. */
  stale: number;
  sampled: number;
  errors: string[];
  closed: number;
  cpuMs: number;
}

export type ClientsMessage =
  | { type: 'subscribed'; sockets: number }
  | { type: 'reset-done' }
  | ClientsPart
  | { type: 'closed' };

export interface ServiceStats {
  type: 'stats';
  subscribers: number;
  groups: number;
  executions: number;
  /** SQL statements the service sent through its API connections: the event hub's reads of new rows, the rest. */
  statements: { hub: number; other: number };
  cpuMs: number;
  rssBytes: number;
}

export type ServiceMessage = { type: 'ready'; url: string } | ServiceStats | { type: 'stopped' };
