-- Checks from several locations with a quorum. A monitor names the locations that check it (NULL: every location)
-- and how many of them must see it down for it to be DOWN. Each result carries the location of the instance that
-- made it; the state machine keeps each location's consecutive failures in the monitor's state row and decides
-- DOWN when at least `quorum` locations, each by its own latest result, see the monitor down.

ALTER TABLE monitoring.moniteurs
  ADD COLUMN emplacements text[] CHECK (cardinality(emplacements) BETWEEN 1 AND 100),
  ADD COLUMN quorum integer NOT NULL DEFAULT 1 CHECK (quorum BETWEEN 1 AND 100),
  ADD CONSTRAINT moniteurs_quorum_emplacements CHECK (emplacements IS NULL OR quorum <= cardinality(emplacements));

-- A plain ADD COLUMN with a constant default: no rewrite, and it reaches every partition if the table is partitioned.
ALTER TABLE monitoring.statuts ADD COLUMN emplacement text NOT NULL DEFAULT 'default';

-- DOWN alerts name the locations that saw the monitor down.
ALTER TABLE monitoring.alertes ADD COLUMN emplacements text[];

-- The locations that ever had an instance. disparu_a is set, once, by the first instance that sees none of a
-- location's instances alive any more (it logs it); the location then drops out of the quorum count. An instance of
-- it that registers or heartbeats again clears it.
CREATE TABLE monitoring.emplacements (
  nom       text PRIMARY KEY CHECK (length(nom) BETWEEN 1 AND 100),
  cree_a    timestamptz NOT NULL DEFAULT now(),
  disparu_a timestamptz
);

INSERT INTO monitoring.emplacements (nom) SELECT DISTINCT emplacement FROM monitoring.instances ON CONFLICT DO NOTHING;

-- One location's view of a monitor: its consecutive failures and when it last checked.
CREATE TYPE monitoring.vue_emplacement AS (emplacement text, echecs integer, verifie_a timestamptz);

ALTER TABLE monitoring.etats_moniteurs ADD COLUMN vues monitoring.vue_emplacement[] NOT NULL DEFAULT '{}';

-- Results stored before this migration are all of the location 'default'.
UPDATE monitoring.etats_moniteurs
   SET vues = ARRAY[ROW('default', echecs_consecutifs, dernier_verifie_a)::monitoring.vue_emplacement]
 WHERE dernier_verifie_a IS NOT NULL;

-- A location taken off a monitor gives up its lease there at once.
CREATE FUNCTION monitoring.liberer_baux_emplacements() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM monitoring.baux WHERE moniteur_id = NEW.id AND NOT (emplacement = ANY (NEW.emplacements));
  RETURN NULL;
END
$$;

CREATE TRIGGER moniteurs_liberer_baux_emplacements
  AFTER UPDATE OF emplacements ON monitoring.moniteurs
  FOR EACH ROW WHEN (NEW.emplacements IS NOT NULL AND NEW.emplacements IS DISTINCT FROM OLD.emplacements)
  EXECUTE FUNCTION monitoring.liberer_baux_emplacements();

-- The state machine, per location. A location sees the monitor down when its own consecutive failures reach
-- `tentatives`. Locations whose latest result is older than two intervals, that the monitor no longer names, or
-- whose instances are all gone, do not vote. DOWN when at least `quorum` locations vote down (the quorum lowered to
-- the locations still there, so that a vanished location holds no monitor hostage); UP on a success when fewer do;
-- a failure below the quorum leaves the state as it is. With one location and quorum 1 this is the state machine
-- of 002 exactly. The other tables are read only for monitors checked from several locations.
CREATE OR REPLACE FUNCTION monitoring.appliquer_statut() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  e               monitoring.etats_moniteurs%ROWTYPE;
  tentatives      integer;
  seuil_lent      integer;
  quorum          integer;
  intervalle      integer;
  nommes          text[];
  ici             monitoring.vue_emplacement;
  v               monitoring.vue_emplacement;
  nouvelles_vues  monitoring.vue_emplacement[];
  frais_depuis    timestamptz;
  en_panne        text[] := '{}';
  disparus        text[];
  quorum_effectif integer := 1;
  nouvel_etat     text;
  est_lent        boolean;
  cause_alerte    text;
  plusieurs       boolean;
BEGIN
  -- The row lock serialises concurrent writers of one monitor, so each transition is seen exactly once.
  SELECT * INTO e FROM monitoring.etats_moniteurs WHERE moniteur_id = NEW.moniteur_id FOR UPDATE;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  FOREACH v IN ARRAY e.vues LOOP
    IF v.emplacement = NEW.emplacement THEN
      ici := v;
    END IF;
  END LOOP;
  -- A result older than the one already applied from its location (a late writer) is stored but does not move
  -- the state.
  IF ici.verifie_a IS NOT NULL AND NEW.verifie_a < ici.verifie_a THEN
    RETURN NULL;
  END IF;
  SELECT m.tentatives, m.seuil_lent_ms, m.quorum, m.intervalle_secondes, m.emplacements
    INTO tentatives, seuil_lent, quorum, intervalle, nommes
    FROM monitoring.moniteurs m WHERE m.id = NEW.moniteur_id;
  -- From a location the monitor does not name (a "check now" there, a location just taken off): stored, no vote.
  IF nommes IS NOT NULL AND NOT NEW.emplacement = ANY (nommes) THEN
    RETURN NULL;
  END IF;

  ici.emplacement := NEW.emplacement;
  ici.echecs := CASE WHEN NEW.est_disponible THEN 0 ELSE coalesce(ici.echecs, 0) + 1 END;
  ici.verifie_a := NEW.verifie_a;
  nouvelles_vues := ARRAY[ici];
  IF ici.echecs >= tentatives THEN
    en_panne := ARRAY[NEW.emplacement];
  END IF;
  frais_depuis := NEW.verifie_a - make_interval(secs => 2 * intervalle);
  FOREACH v IN ARRAY e.vues LOOP
    CONTINUE WHEN v.emplacement = NEW.emplacement OR v.verifie_a < frais_depuis
               OR (nommes IS NOT NULL AND NOT v.emplacement = ANY (nommes));
    nouvelles_vues := nouvelles_vues || v;
    IF v.echecs >= tentatives THEN
      en_panne := en_panne || v.emplacement;
    END IF;
  END LOOP;

  plusieurs := cardinality(nouvelles_vues) > 1 OR quorum > 1;
  IF plusieurs THEN
    SELECT array_agg(nom) INTO disparus FROM monitoring.emplacements WHERE disparu_a IS NOT NULL;
    IF disparus IS NOT NULL THEN
      en_panne := ARRAY(SELECT p FROM unnest(en_panne) p WHERE p = NEW.emplacement OR NOT p = ANY (disparus));
    END IF;
    IF quorum > 1 THEN
      IF nommes IS NOT NULL THEN
        SELECT count(*) INTO quorum_effectif FROM unnest(nommes) n
         WHERE n = NEW.emplacement OR disparus IS NULL OR NOT n = ANY (disparus);
      ELSE
        SELECT count(*) INTO quorum_effectif FROM monitoring.emplacements WHERE disparu_a IS NULL;
      END IF;
      quorum_effectif := greatest(1, least(quorum, quorum_effectif));
    END IF;
  END IF;

  IF cardinality(en_panne) >= quorum_effectif THEN
    nouvel_etat := 'DOWN';
  ELSIF NEW.est_disponible THEN
    nouvel_etat := 'UP';
  ELSE
    nouvel_etat := e.etat;
  END IF;

  IF nouvel_etat <> e.etat THEN
    IF e.etat <> 'PENDING' THEN
      e.numero_transition := e.numero_transition + 1;
      IF nouvel_etat = 'DOWN' THEN
        en_panne := ARRAY(SELECT p FROM unnest(en_panne) p ORDER BY p);
        cause_alerte := coalesce(NEW.erreur, 'check failed');
        IF plusieurs THEN
          cause_alerte := cause_alerte || ' (down from ' || array_to_string(en_panne, ', ') || ')';
        END IF;
        INSERT INTO monitoring.alertes (moniteur_id, type, cause, statut_id, numero_transition, cree_a, emplacements)
          VALUES (NEW.moniteur_id, 'DOWN', cause_alerte, NEW.id, e.numero_transition, NEW.verifie_a, en_panne);
      ELSE
        cause_alerte := 'back up after ' || monitoring.duree_lisible(NEW.verifie_a - e.depuis) || ' down';
        INSERT INTO monitoring.alertes (moniteur_id, type, cause, statut_id, numero_transition, cree_a)
          VALUES (NEW.moniteur_id, nouvel_etat, cause_alerte, NEW.id, e.numero_transition, NEW.verifie_a);
      END IF;
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
         echecs_consecutifs = ici.echecs,
         numero_transition = e.numero_transition,
         depuis = e.depuis,
         -- the latest result of any location, its id and time together (they find it in its partition)
         dernier_statut_id = CASE WHEN (NEW.verifie_a >= e.dernier_verifie_a) IS NOT FALSE THEN NEW.id
                                  ELSE e.dernier_statut_id END,
         dernier_verifie_a = greatest(e.dernier_verifie_a, NEW.verifie_a),
         vues = nouvelles_vues
   WHERE moniteur_id = NEW.moniteur_id;
  RETURN NULL;
END
$$;
