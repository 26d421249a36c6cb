// The records of alerts and deliveries live in types/, where db/ maps them.
export type { Alert, AlertKind, Delivery, DeliveryStatus, StatusTransition } from '../types/index.ts';
