-- Deliveries followed live (GraphQL deliveryUpdated): every new or changed delivery takes a new change number
-- from one sequence, and each statement that writes deliveries sends a NOTIFY. A NOTIFY only wakes the readers:
-- they read the rows above the last number they saw, so a lost notification costs a late event, not a lost one.

CREATE SEQUENCE monitoring.livraisons_version_seq;

ALTER TABLE monitoring.livraisons
  ADD COLUMN version bigint NOT NULL DEFAULT nextval('monitoring.livraisons_version_seq');

CREATE INDEX livraisons_version ON monitoring.livraisons (version);
CREATE INDEX livraisons_canal ON monitoring.livraisons (canal_id, id DESC);

CREATE FUNCTION monitoring.versionner_livraison() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.version := nextval('monitoring.livraisons_version_seq');
  RETURN NEW;
END
$$;

CREATE TRIGGER livraisons_versionner
  BEFORE UPDATE ON monitoring.livraisons
  FOR EACH ROW EXECUTE FUNCTION monitoring.versionner_livraison();

CREATE FUNCTION monitoring.notifier_livraisons_changees() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('vigie_livraisons_changees', '');
  RETURN NULL;
END
$$;

CREATE TRIGGER livraisons_notifier_changees
  AFTER INSERT OR UPDATE ON monitoring.livraisons
  FOR EACH STATEMENT EXECUTE FUNCTION monitoring.notifier_livraisons_changees();
