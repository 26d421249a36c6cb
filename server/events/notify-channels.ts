// The NOTIFY channels, one constant each, named after the channel as sql/ spells it: the triggers there notify
// most of them (tests/unit/notify-channels.test.ts checks both spellings agree). A NOTIFY is a wake-up hint.

/** A monitor was created, changed or deleted (payload: its id), or the table emptied (payload: `*`). */
export const VIGIE_MONITEURS = 'vigie_moniteurs';
/** Check results were inserted: one notification per INSERT statement. */
export const VIGIE_STATUTS = 'vigie_statuts';
/** An alert was written. */
export const VIGIE_ALERTES = 'vigie_alertes';
/** A monitor's displayed status changed. */
export const VIGIE_TRANSITIONS = 'vigie_transitions';
/** A heartbeat's job called /start (payload: the monitor's id): its holder looks at the run's deadline at once. */
export const VIGIE_DEBUTS = 'vigie_debuts';
/** A status page, its sections or its incidents changed (payload: the page's id). */
export const VIGIE_PAGES = 'vigie_pages';
/** An alert's deliveries were queued. */
export const VIGIE_LIVRAISONS = 'vigie_livraisons';
/** Deliveries were queued or changed (sent, retried, failed): the live delivery log reads them again. */
export const VIGIE_LIVRAISONS_CHANGEES = 'vigie_livraisons_changees';
/** Access was revoked (payload: JSON of the user, sessions or API key); notified by auth/, not by a trigger. */
export const VIGIE_ACCES = 'vigie_acces';
/** Leases were released (payload: the releasing instance's id): the instances below their share claim them. */
export const VIGIE_BAUX = 'vigie_baux';
/** Check a monitor now (payload: JSON request id, monitor, holder instance), asked of the instance that holds it. */
export const VIGIE_VERIFICATIONS = 'vigie_verifications';
/** A "check now" asked of another instance is done (payload: JSON request id and result id, or a refusal). */
export const VIGIE_VERIFICATIONS_FAITES = 'vigie_verifications_faites';
