-- A maintenance window covers every monitor, or some monitors (by id) and/or the monitors carrying some tags. It
-- replaces moniteur_id (one monitor, or NULL for all): a window of one monitor becomes moniteurs = {id}.
ALTER TABLE monitoring.maintenances
  ADD COLUMN moniteurs  integer[] NOT NULL DEFAULT '{}' CHECK (array_position(moniteurs, NULL) IS NULL),
  ADD COLUMN etiquettes text[] NOT NULL DEFAULT '{}'
    CHECK (cardinality(etiquettes) <= 50 AND array_position(etiquettes, NULL) IS NULL);

UPDATE monitoring.maintenances SET moniteurs = ARRAY[moniteur_id] WHERE moniteur_id IS NOT NULL;
ALTER TABLE monitoring.maintenances DROP COLUMN moniteur_id;

-- The one rule for "this window covers this monitor", for the SQL that filters by it (the TypeScript twin is
-- windowCovers in server/maintenance/windows.ts): no monitor and no tag means every monitor.
CREATE FUNCTION monitoring.maintenance_couvre(
  fenetre_moniteurs integer[], fenetre_etiquettes text[], moniteur_id integer, moniteur_etiquettes text[]
) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT (cardinality(fenetre_moniteurs) = 0 AND cardinality(fenetre_etiquettes) = 0)
      OR moniteur_id = ANY (fenetre_moniteurs)
      OR fenetre_etiquettes && moniteur_etiquettes
$$;

-- An array has no foreign key: the listed monitors must exist when a window is written. KEY SHARE makes a
-- concurrent delete of one of them wait for this transaction, so its trigger below then sees this window.
CREATE FUNCTION monitoring.verifier_moniteurs_maintenance() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  manquants integer[];
BEGIN
  IF cardinality(NEW.moniteurs) = 0 THEN
    RETURN NEW;
  END IF;
  PERFORM 1 FROM monitoring.moniteurs WHERE id = ANY (NEW.moniteurs) FOR KEY SHARE;
  SELECT array_agg(i ORDER BY i) INTO manquants
    FROM unnest(NEW.moniteurs) AS i
   WHERE NOT EXISTS (SELECT 1 FROM monitoring.moniteurs m WHERE m.id = i);
  IF manquants IS NOT NULL THEN
    RAISE EXCEPTION 'maintenance window names monitors that do not exist: %', manquants
      USING ERRCODE = 'foreign_key_violation', DETAIL = array_to_string(manquants, ',');
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER maintenances_verifier_moniteurs
  BEFORE INSERT OR UPDATE OF moniteurs ON monitoring.maintenances
  FOR EACH ROW EXECUTE FUNCTION monitoring.verifier_moniteurs_maintenance();

-- Deleted monitors leave the windows naming them; a window that named only them (and no tag) goes with them, as
-- moniteur_id's ON DELETE CASCADE did (it must not turn into a window for every monitor).
CREATE FUNCTION monitoring.retirer_moniteurs_maintenances() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  supprimes integer[];
BEGIN
  SELECT array_agg(id) INTO supprimes FROM anciens;
  IF supprimes IS NULL THEN
    RETURN NULL;
  END IF;
  DELETE FROM monitoring.maintenances
   WHERE cardinality(moniteurs) > 0 AND cardinality(etiquettes) = 0 AND moniteurs <@ supprimes;
  UPDATE monitoring.maintenances w
     SET moniteurs = ARRAY(SELECT u.id FROM unnest(w.moniteurs) WITH ORDINALITY AS u(id, rang)
                            WHERE u.id <> ALL (supprimes) ORDER BY u.rang)
   WHERE w.moniteurs && supprimes;
  RETURN NULL;
END
$$;

CREATE TRIGGER moniteurs_retirer_maintenances
  AFTER DELETE ON monitoring.moniteurs
  REFERENCING OLD TABLE AS anciens
  FOR EACH STATEMENT EXECUTE FUNCTION monitoring.retirer_moniteurs_maintenances();
