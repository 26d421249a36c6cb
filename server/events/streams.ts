// The live streams, one definition each: the NOTIFY channel that wakes it and the queries that follow its table.
import type { Queryable } from '../db/index.ts';
import {
  getLatestAlertId,
  getLatestDeliveryVersion,
  getLatestResultId,
  getLatestTransitionId,
  listAlertsAfter,
  listDeliveryChangesAfter,
  listResultsAfter,
  listTransitionsAfter,
} from '../db/index.ts';
import type { Alert, CheckResult, DeliveryChange, StatusTransition } from '../types/index.ts';
import { VIGIE_ALERTES, VIGIE_LIVRAISONS_CHANGEES, VIGIE_STATUTS, VIGIE_TRANSITIONS } from './notify-channels.ts';

export interface StreamDefinition<T> {
  /** The channel its table's trigger notifies. */
  channel: string;
  /** The table's highest id: where the stream starts when a first subscriber arrives. */
  latestId(db: Queryable): Promise<number>;
  /** Rows above an id plus the missing ids asked for again, oldest first (see table-tail.ts). */
  fetchAfter(db: Queryable, afterId: number, holes: number[], limit: number): Promise<T[]>;
}

/** The event each stream carries. */
export interface LiveEvents {
  alerts: Alert;
  transitions: StatusTransition;
  results: CheckResult;
  deliveries: DeliveryChange;
}

export type StreamName = keyof LiveEvents;

export const STREAMS: { [Name in StreamName]: StreamDefinition<LiveEvents[Name]> } = {
  alerts: { channel: VIGIE_ALERTES, latestId: getLatestAlertId, fetchAfter: listAlertsAfter },
  transitions: { channel: VIGIE_TRANSITIONS, latestId: getLatestTransitionId, fetchAfter: listTransitionsAfter },
  results: { channel: VIGIE_STATUTS, latestId: getLatestResultId, fetchAfter: listResultsAfter },
  deliveries: {
    channel: VIGIE_LIVRAISONS_CHANGEES,
    latestId: getLatestDeliveryVersion,
    fetchAfter: listDeliveryChangesAfter,
  },
};
