// The Vigie instances sharing one database: this one's registration and heartbeat, and the list of all.
export { Membership } from './membership.ts';
export type { BeatListener, MembershipOptions } from './membership.ts';
export type { Instance, InstanceIdentity } from '../types/index.ts';
