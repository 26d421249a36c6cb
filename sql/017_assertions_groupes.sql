-- HTTP assertions (conditions on the response, parsed by server/checks/assertions.ts), groups, and dependencies:
-- while a monitor's parent (depend_de) is DOWN, the monitor's own alerts are recorded but not notified.
ALTER TABLE monitoring.moniteurs
  ADD COLUMN assertions text[] NOT NULL DEFAULT '{}'
    CONSTRAINT moniteurs_assertions_nombre CHECK (cardinality(assertions) <= 20),
  ADD COLUMN groupe text CONSTRAINT moniteurs_groupe_longueur CHECK (length(groupe) BETWEEN 1 AND 100),
  ADD COLUMN depend_de integer REFERENCES monitoring.moniteurs (id) ON DELETE SET NULL
    CONSTRAINT moniteurs_pas_de_soi CHECK (depend_de <> id);
CREATE INDEX moniteurs_depend_de ON monitoring.moniteurs (depend_de) WHERE depend_de IS NOT NULL;

-- The last line of defence against cycles (the service refuses them first, with a message): dependency changes
-- take one lock, so that two concurrent changes cannot each close half of a loop.
CREATE FUNCTION monitoring.refuser_cycle_dependance() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.depend_de IS NULL THEN
    RETURN NEW;
  END IF;
  PERFORM pg_advisory_xact_lock(hashtext('monitoring.moniteurs.depend_de'));
  IF EXISTS (
    WITH RECURSIVE parents(id) AS (
      SELECT NEW.depend_de
      UNION
      SELECT m.depend_de FROM monitoring.moniteurs m JOIN parents p ON m.id = p.id WHERE m.depend_de IS NOT NULL
    )
    SELECT 1 FROM parents WHERE id = NEW.id
  ) THEN
    RAISE EXCEPTION 'monitor % would depend on itself through %', NEW.id, NEW.depend_de
      USING ERRCODE = 'check_violation', CONSTRAINT = 'moniteurs_dependance_cycle';
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER moniteurs_dependance_cycle
  BEFORE INSERT OR UPDATE OF depend_de ON monitoring.moniteurs
  FOR EACH ROW EXECUTE FUNCTION monitoring.refuser_cycle_dependance();
