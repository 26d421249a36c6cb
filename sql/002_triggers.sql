-- Transition detection and change notifications. A NOTIFY is a wake-up hint: listeners catch up from the
-- tables (ids above the last one they saw), so nothing depends on a notification arriving.

CREATE FUNCTION monitoring.creer_etat_moniteur() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO monitoring.etats_moniteurs (moniteur_id) VALUES (NEW.id);
  RETURN NULL;
END
$$;

CREATE TRIGGER moniteurs_creer_etat
  AFTER INSERT ON monitoring.moniteurs
  FOR EACH ROW EXECUTE FUNCTION monitoring.creer_etat_moniteur();

-- Schedulers of every instance listen to this to apply monitor changes without a restart.
CREATE FUNCTION monitoring.notifier_moniteur() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    PERFORM pg_notify('vigie_moniteurs', '*');
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM pg_notify('vigie_moniteurs', OLD.id::text);
  ELSE
    PERFORM pg_notify('vigie_moniteurs', NEW.id::text);
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER moniteurs_notifier
  AFTER INSERT OR UPDATE OR DELETE ON monitoring.moniteurs
  FOR EACH ROW EXECUTE FUNCTION monitoring.notifier_moniteur();

CREATE TRIGGER moniteurs_notifier_vidage
  AFTER TRUNCATE ON monitoring.moniteurs
  FOR EACH STATEMENT EXECUTE FUNCTION monitoring.notifier_moniteur();

-- The state machine: the first result sets the state, `tentatives` consecutive failures make a DOWN, and
-- only real transitions (UP->DOWN, DOWN->UP, and UP->slow) write an alert.
CREATE FUNCTION monitoring.appliquer_statut() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  e           monitoring.etats_moniteurs%ROWTYPE;
  tentatives  integer;
  seuil_lent  integer;
  nouvel_etat text;
  est_lent    boolean;
  cause_alerte text;
BEGIN
  -- The row lock serialises concurrent writers of one monitor, so each transition is seen exactly once.
  SELECT * INTO e FROM monitoring.etats_moniteurs WHERE moniteur_id = NEW.moniteur_id FOR UPDATE;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  -- A result older than the one already applied (a late writer) is stored but does not move the state.
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

CREATE FUNCTION monitoring.duree_lisible(duree interval) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN extract(epoch FROM duree) < 60 THEN round(extract(epoch FROM duree))::text || ' s'
    WHEN extract(epoch FROM duree) < 3600 THEN round(extract(epoch FROM duree) / 60)::text || ' min'
    WHEN extract(epoch FROM duree) < 86400 THEN round(extract(epoch FROM duree) / 3600, 1)::text || ' h'
    ELSE round(extract(epoch FROM duree) / 86400, 1)::text || ' d'
  END
$$;

CREATE TRIGGER statuts_appliquer
  AFTER INSERT ON monitoring.statuts
  FOR EACH ROW WHEN (NEW.moniteur_id IS NOT NULL)
  EXECUTE FUNCTION monitoring.appliquer_statut();

-- One notification per INSERT statement (a batch), not per row: listeners read the new rows by id.
CREATE FUNCTION monitoring.notifier_statuts() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  dernier bigint;
  nombre  bigint;
BEGIN
  SELECT max(id), count(*) INTO dernier, nombre FROM nouveaux;
  IF nombre > 0 THEN
    PERFORM pg_notify('vigie_statuts', json_build_object('dernier_id', dernier, 'nombre', nombre)::text);
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER statuts_notifier
  AFTER INSERT ON monitoring.statuts
  REFERENCING NEW TABLE AS nouveaux
  FOR EACH STATEMENT EXECUTE FUNCTION monitoring.notifier_statuts();

CREATE FUNCTION monitoring.notifier_alerte() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('vigie_alertes', json_build_object(
    'id', NEW.id, 'moniteur_id', NEW.moniteur_id, 'type', NEW.type)::text);
  RETURN NULL;
END
$$;

CREATE TRIGGER alertes_notifier
  AFTER INSERT ON monitoring.alertes
  FOR EACH ROW EXECUTE FUNCTION monitoring.notifier_alerte();
