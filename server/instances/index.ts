// The Vigie instances sharing one database: this one's registration and heartbeat, the list of all, and the
// monitor leases that share the checking out between the instances of a location.
export { MonitorLeases } from './leases.ts';
export type { LeaseHolder } from './leases.ts';
export { Membership } from './membership.ts';
export type { BeatListener, MembershipOptions } from './membership.ts';
export type { Instance, InstanceIdentity } from '../types/index.ts';
export type { GoneLocation } from '../db/index.ts';
