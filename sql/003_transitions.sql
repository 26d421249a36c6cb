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

-- The state machine keeps working as before; its own transition notice is replaced by the row above.
CREATE OR REPLACE FUNCTION monitoring.appliquer_statut() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  e           monitoring.etats_moniteurs%ROWTYPE;
  tentatives  integer;
  seuil_lent  integer;
  nouvel_etat text;
  est_lent    boolean;
  cause_alerte text;
BEGIN
  SELECT * INTO e FROM monitoring.etats_moniteurs WHERE moniteur_id = NEW.moniteur_id FOR UPDATE;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  IF e.dernier_verifie_a IS NOT NULL AND NEW.verifie_a < e.dernier_verifie_a THEN
    RETURN NULL;
  END IF;
  SELECT m.tentatives, m.seuil_lent_ms INTO tentatives, seuil_lent
    FROM monitoring.moniteurs m WHERE m.id = NEW.moniteur_id;

  IF NEW.est_disponible THEN
    e.echecs_consecutifs := 0;
    nouvel_etat := 'UP';
  ELSE
    e.echecs_consecutifs := e.echecs_consecutifs + 1;
    nouvel_etat := CASE WHEN e.echecs_consecutifs >= tentatives THEN 'DOWN' ELSE e.etat END;
  END IF;

  IF nouvel_etat <> e.etat THEN
    IF e.etat <> 'PENDING' THEN
      e.numero_transition := e.numero_transition + 1;
      IF nouvel_etat = 'DOWN' THEN
        cause_alerte := coalesce(NEW.erreur, 'check failed');
      ELSE
        cause_alerte := 'back up after ' || monitoring.duree_lisible(NEW.verifie_a - e.depuis) || ' down';
      END IF;
      INSERT INTO monitoring.alertes (moniteur_id, type, cause, statut_id, numero_transition, cree_a)
        VALUES (NEW.moniteur_id, nouvel_etat, cause_alerte, NEW.id, e.numero_transition, NEW.verifie_a);
    END IF;
    e.etat := nouvel_etat;
    e.depuis := NEW.verifie_a;
  END IF;

  est_lent := NEW.est_disponible AND NEW.latence_ms > seuil_lent;
  IF est_lent AND NOT e.lent AND nouvel_etat = 'UP' AND e.dernier_statut_id IS NOT NULL THEN
    e.numero_transition := e.numero_transition + 1;
    INSERT INTO monitoring.alertes (moniteur_id, type, cause, statut_id, numero_transition, cree_a)
      VALUES (NEW.moniteur_id, 'SLOW',
              'latency ' || NEW.latence_ms || ' ms above the ' || seuil_lent || ' ms threshold',
              NEW.id, e.numero_transition, NEW.verifie_a);
  END IF;

  UPDATE monitoring.etats_moniteurs
     SET etat = e.etat,
         lent = est_lent,
         echecs_consecutifs = e.echecs_consecutifs,
         numero_transition = e.numero_transition,
         depuis = e.depuis,
         dernier_statut_id = NEW.id,
         dernier_verifie_a = NEW.verifie_a
   WHERE moniteur_id = NEW.moniteur_id;
  RETURN NULL;
END
$$;
