-- Fencing tokens for monitor leases. Each lease gets a new token whenever it is claimed or taken over; a result
-- written under a lease carries the token its check started with, and is stored only while that lease still holds
-- it (see insertResults). An instance that stalled past its lease time, whose monitors were taken over meanwhile,
-- cannot store a check made under the old lease next to the new holder's. Tokens come from one sequence, so a
-- token names one claim of one lease, even when the same instance claims a monitor again later.

CREATE SEQUENCE monitoring.baux_jetons;

ALTER TABLE monitoring.baux ADD COLUMN jeton bigint NOT NULL DEFAULT nextval('monitoring.baux_jetons');
