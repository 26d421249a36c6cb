-- Monitor leases: which live instance checks which monitor from a location. A lease is valid while its instance
-- heartbeats (monitoring.instances.vu_a within the lease time, which the instances are configured with); the lease
-- of a dead instance is taken over by another of its location (SELECT ... FOR UPDATE SKIP LOCKED). One lease per
-- monitor × location: every location checks each of its monitors once. The key starts with moniteur_id, like every
-- unique key, so that the table can be distributed by monitor.

CREATE TABLE monitoring.baux (
  moniteur_id integer NOT NULL REFERENCES monitoring.moniteurs (id) ON DELETE CASCADE,
  emplacement text NOT NULL CHECK (length(emplacement) BETWEEN 1 AND 100),
  -- a clean stop deletes the instance, which releases its leases at once
  instance_id uuid NOT NULL REFERENCES monitoring.instances (id) ON DELETE CASCADE,
  pris_a      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (moniteur_id, emplacement)
);

CREATE INDEX baux_instance ON monitoring.baux (instance_id);

-- A paused monitor is checked by no one: its leases go, and resuming it makes it free to claim.
CREATE FUNCTION monitoring.liberer_baux_pause() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM monitoring.baux WHERE moniteur_id = NEW.id;
  RETURN NULL;
END
$$;

CREATE TRIGGER moniteurs_liberer_baux_pause
  AFTER UPDATE OF en_pause ON monitoring.moniteurs
  FOR EACH ROW WHEN (NEW.en_pause AND NOT OLD.en_pause)
  EXECUTE FUNCTION monitoring.liberer_baux_pause();

-- Leases released (handed over by an instance above its share, or gone with a stopped instance): the instances
-- below their share claim them at once instead of at their next heartbeat. One notification per statement and
-- releasing instance (payload: its id), which ignores its own: it hands over one step per heartbeat, not more.
CREATE FUNCTION monitoring.notifier_baux() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('vigie_baux', instance_id::text) FROM (SELECT DISTINCT instance_id FROM anciens) liberes;
  RETURN NULL;
END
$$;

CREATE TRIGGER baux_notifier
  AFTER DELETE ON monitoring.baux
  REFERENCING OLD TABLE AS anciens
  FOR EACH STATEMENT EXECUTE FUNCTION monitoring.notifier_baux();
