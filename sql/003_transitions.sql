-- Status transitions as rows, so that live subscribers can catch up after a lost notification (ids above the
-- last one delivered). A status is UP, DEGRADED (up but slow), DOWN, PENDING or PAUSED.

CREATE TABLE monitoring.transitions (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  moniteur_id integer NOT NULL REFERENCES monitoring.moniteurs (id) ON DELETE CASCADE,
  precedent   text NOT NULL CHECK (precedent IN ('UP', 'DEGRADED', 'DOWN', 'PENDING', 'PAUSED')),
  etat        text NOT NULL CHECK (etat IN ('UP', 'DEGRADED', 'DOWN', 'PENDING', 'PAUSED')),
  statut_id   bigint,
  cree_a      timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX transitions_moniteur ON monitoring.transitions (moniteur_id, id);

CREATE FUNCTION monitoring.statut_affiche(etat text, lent boolean, en_pause boolean) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN en_pause THEN 'PAUSED' WHEN etat = 'UP' AND lent THEN 'DEGRADED' ELSE etat END
$$;

-- Any change of the displayed status of a monitor (from results, or from pausing) becomes a transition row.
CREATE FUNCTION monitoring.enregistrer_transition_etat() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  en_pause boolean;
  avant    text;
  apres    text;
BEGIN
  SELECT m.en_pause INTO en_pause FROM monitoring.moniteurs m WHERE m.id = NEW.moniteur_id;
  avant := monitoring.statut_affiche(OLD.etat, OLD.lent, en_pause);
  apres := monitoring.statut_affiche(NEW.etat, NEW.lent, en_pause);
  IF avant <> apres THEN
    INSERT INTO monitoring.transitions (moniteur_id, precedent, etat, statut_id, cree_a)
      VALUES (NEW.moniteur_id, avant, apres, NEW.dernier_statut_id, coalesce(NEW.dernier_verifie_a, now()));
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER etats_transition
  AFTER UPDATE ON monitoring.etats_moniteurs
  FOR EACH ROW EXECUTE FUNCTION monitoring.enregistrer_transition_etat();

CREATE FUNCTION monitoring.enregistrer_transition_pause() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  e monitoring.etats_moniteurs%ROWTYPE;
BEGIN
  SELECT * INTO e FROM monitoring.etats_moniteurs WHERE moniteur_id = NEW.id;
  IF FOUND THEN
    INSERT INTO monitoring.transitions (moniteur_id, precedent, etat)
      VALUES (NEW.id,
              monitoring.statut_affiche(e.etat, e.lent, OLD.en_pause),
              monitoring.statut_affiche(e.etat, e.lent, NEW.en_pause));
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER moniteurs_transition_pause
  AFTER UPDATE OF en_pause ON monitoring.moniteurs
  FOR EACH ROW WHEN (OLD.en_pause IS DISTINCT FROM NEW.en_pause)
  EXECUTE FUNCTION monitoring.enregistrer_transition_pause();

CREATE FUNCTION monitoring.notifier_transition() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('vigie_transitions', json_build_object(
    'id', NEW.id, 'moniteur_id', NEW.moniteur_id, 'etat', NEW.etat, 'precedent', NEW.precedent)::text);
  RETURN NULL;
END
$$;

CREATE TRIGGER transitions_notifier
  AFTER INSERT ON monitoring.transitions
  FOR EACH ROW EXECUTE FUNCTION monitoring.notifier_transition();
