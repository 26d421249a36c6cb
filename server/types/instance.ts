// A running Vigie among those sharing one database.

/** LOCATION when unset, and the location of results written without one. */
export const DEFAULT_LOCATION = 'default';

export interface Instance {
  id: string;
  /** INSTANCE, or the host name. */
  name: string;
  /** LOCATION: the instances of one location share the checking of its monitors. */
  location: string;
  version: string;
  startedAt: Date;
  /** Its last heartbeat. */
  lastSeenAt: Date;
  /** Monitors it checks, as of its last heartbeat. */
  monitorCount: number;
}

/** What an instance says of itself when it registers. */
export interface InstanceIdentity {
  name: string;
  location: string;
  version: string;
}
