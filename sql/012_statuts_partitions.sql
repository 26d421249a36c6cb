-- monitoring.statuts partitioned by check time, one partition a week, so that retention drops whole weeks instead
-- of deleting rows one by one. A week, not a day: with the default 90-day retention that is about 17 partitions
-- (13 kept, 3 made ahead, the default one), and a lookup by id alone (getResult, the live catch-up by id, the
-- state's last result) probes each partition's primary key once, and each query plans over all of them: a day each
-- would mean ~95. The service makes the coming weeks ahead (monitoring.creer_partitions_statuts, run hourly); the
-- default partition takes any result no week holds (far past or future clocks, a service stopped for weeks), so
-- that no insert ever fails, and its rows move to their week when that week is made.
--
-- Keys: the primary key of a partitioned table must hold the partition key, hence (id, verifie_a). id comes first,
-- so a lookup by id is one index probe per partition. moniteur_id cannot be in it yet: it is NULL for one-off
-- checks (see README, "Past one PostgreSQL").
--
-- An existing table is converted in place: its rows of the current week (and later) move to the new partitions,
-- and the table with the older rows becomes one partition, monitoring.statuts_anterieurs, of everything before the
-- current week (attached, not copied: its rows are not rewritten; retention deletes them as they age and drops the
-- partition once its end is past the cutoff). Ids, the id sequence, indexes, triggers and the foreign key are
-- kept. No table references statuts (alertes.statut_id, transitions.statut_id and etats_moniteurs.dernier_statut_id
-- are plain columns), so nothing else changes.

ALTER TABLE monitoring.statuts RENAME TO statuts_anterieurs;
ALTER INDEX monitoring.statuts_pkey RENAME TO statuts_anterieurs_pkey;
ALTER INDEX monitoring.statuts_verifie_a RENAME TO statuts_anterieurs_verifie_a;
ALTER INDEX monitoring.statuts_moniteur_verifie_a_couvrant RENAME TO statuts_anterieurs_moniteur_verifie_a_couvrant;
ALTER SEQUENCE monitoring.statuts_id_seq RENAME TO statuts_anterieurs_id_seq;
-- Recreated below on the partitioned table (a partition may not have triggers with transition tables, and its own
-- row triggers would fire a second time).
DROP TRIGGER statuts_appliquer ON monitoring.statuts_anterieurs;
DROP TRIGGER statuts_notifier ON monitoring.statuts_anterieurs;
DROP TRIGGER statuts_alerter_certificat ON monitoring.statuts_anterieurs;
DROP TRIGGER statuts_cumuler ON monitoring.statuts_anterieurs;

-- Every check result. moniteur_id is NULL for one-off checks (POST /api/verifier).
CREATE TABLE monitoring.statuts (
  id                     bigint GENERATED ALWAYS AS IDENTITY,
  moniteur_id            integer REFERENCES monitoring.moniteurs (id) ON DELETE CASCADE,
  est_disponible         boolean NOT NULL,
  code_http              smallint,
  latence_ms             integer NOT NULL CONSTRAINT statuts_latence_ms_check CHECK (latence_ms >= 0),
  verifie_a              timestamptz NOT NULL,
  url                    text NOT NULL,
  cause                  text,
  erreur                 text,
  duree_dns_ms           integer,
  duree_connexion_ms     integer,
  duree_tls_ms           integer,
  duree_premier_octet_ms integer,
  jours_certificat       integer,
  PRIMARY KEY (id, verifie_a)
) PARTITION BY RANGE (verifie_a);

-- GET /api/resultats: newest first across all monitors
CREATE INDEX statuts_verifie_a ON monitoring.statuts (verifie_a DESC);
-- a monitor's results in a time range; statistics read the two included columns without the table
CREATE INDEX statuts_moniteur_verifie_a_couvrant
  ON monitoring.statuts (moniteur_id, verifie_a) INCLUDE (est_disponible, latence_ms);

CREATE TABLE monitoring.statuts_defaut PARTITION OF monitoring.statuts DEFAULT;

-- The start of the week (Monday 00:00 UTC) holding an instant, whatever the session's time zone.
CREATE FUNCTION monitoring.semaine_statuts(instant timestamptz) RETURNS timestamptz
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT date_bin('7 days', instant, timestamptz '2000-01-03 00:00:00+00')
$$;

-- The partitions of statuts and their bounds, read from the catalog (the truth, whoever made them): debut NULL
-- is MINVALUE, and the default partition has both NULL.
CREATE VIEW monitoring.partitions_statuts AS
SELECT c.relname AS nom,
       c.relpartbound IS NOT NULL AND pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT' AS par_defaut,
       substring(pg_get_expr(c.relpartbound, c.oid) FROM $re$FROM \('([^']*)'\)$re$)::timestamptz AS debut,
       substring(pg_get_expr(c.relpartbound, c.oid) FROM $re$TO \('([^']*)'\)$re$)::timestamptz AS fin
  FROM pg_inherits i
  JOIN pg_class c ON c.oid = i.inhrelid
 WHERE i.inhparent = 'monitoring.statuts'::regclass;

-- Makes the week partitions covering [debut, fin) that do not exist yet; returns how many it made. Rows of those
-- weeks in the default partition move into them first (attaching a range the default partition holds rows of
-- would fail). A week overlapping an existing partition (the one of older rows) is left alone.
CREATE FUNCTION monitoring.creer_partitions_statuts(debut timestamptz, fin timestamptz) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  semaine timestamptz := monitoring.semaine_statuts(debut);
  suivante timestamptz;
  nom text;
  creees integer := 0;
BEGIN
  -- One maker at a time across instances. Any constant works; it only has to be the same for every instance (and
  -- differ from the other advisory locks' keys).
  PERFORM pg_advisory_xact_lock(7311427);
  WHILE semaine < fin LOOP
    suivante := semaine + interval '7 days';
    nom := 'statuts_' || to_char(semaine AT TIME ZONE 'UTC', 'YYYYMMDD');
    IF NOT EXISTS (SELECT 1 FROM monitoring.partitions_statuts p
                    WHERE NOT p.par_defaut
                      AND (p.debut IS NULL OR p.debut < suivante)
                      AND (p.fin IS NULL OR p.fin > semaine)) THEN
      -- Writers of these weeks wait here (a moment: the default partition is normally empty) instead of adding
      -- rows to the default partition between the move and the attach.
      LOCK TABLE monitoring.statuts IN SHARE UPDATE EXCLUSIVE MODE;
      LOCK TABLE monitoring.statuts_defaut IN ACCESS EXCLUSIVE MODE;
      EXECUTE format('CREATE TABLE monitoring.%I (LIKE monitoring.statuts INCLUDING DEFAULTS INCLUDING CONSTRAINTS)',
                     nom);
      -- Straight into the new table: the parent's triggers do not fire again for rows already applied.
      EXECUTE format('WITH deplaces AS (DELETE FROM monitoring.statuts_defaut
                                         WHERE verifie_a >= $1 AND verifie_a < $2 RETURNING *)
                      INSERT INTO monitoring.%I SELECT * FROM deplaces', nom)
        USING semaine, suivante;
      EXECUTE format('ALTER TABLE monitoring.statuts ATTACH PARTITION monitoring.%I FOR VALUES FROM (%L) TO (%L)',
                     nom, semaine, suivante);
      creees := creees + 1;
    END IF;
    semaine := suivante;
  END LOOP;
  RETURN creees;
END
$$;

-- Drops the partitions whose whole range ended by `limite` (rows checked strictly before it); returns how many.
-- Dropping one locks the whole table for a moment: when a long query holds it, the drop gives up after
-- attente_verrou instead of making every writer queue behind it, and the next run tries again (retention deletes
-- the rows meanwhile).
CREATE FUNCTION monitoring.supprimer_partitions_statuts(limite timestamptz, attente_verrou interval)
RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  p record;
  supprimees integer := 0;
BEGIN
  PERFORM set_config('lock_timeout', (extract(epoch FROM attente_verrou) * 1000)::bigint::text, true);
  FOR p IN SELECT nom FROM monitoring.partitions_statuts
            WHERE NOT par_defaut AND fin <= limite ORDER BY fin LOOP
    BEGIN
      EXECUTE format('DROP TABLE monitoring.%I', p.nom);
      supprimees := supprimees + 1;
    EXCEPTION WHEN lock_not_available THEN
      EXIT;
    END;
  END LOOP;
  PERFORM set_config('lock_timeout', '0', true);
  RETURN supprimees;
END
$$;

-- The id sequence goes on where the old table's was.
SELECT setval(pg_get_serial_sequence('monitoring.statuts', 'id'), s.last_value, s.is_called)
  FROM monitoring.statuts_anterieurs_id_seq s;

-- This week and the next two, made ahead like the service does.
SELECT monitoring.creer_partitions_statuts(now(), now() + interval '14 days');

DO $$
DECLARE
  semaine timestamptz := monitoring.semaine_statuts(now());
BEGIN
  -- Rows of this week and later go to the new partitions (no trigger yet: they were applied when written).
  INSERT INTO monitoring.statuts OVERRIDING SYSTEM VALUE
    SELECT id, moniteur_id, est_disponible, code_http, latence_ms, verifie_a, url, cause, erreur, duree_dns_ms,
           duree_connexion_ms, duree_tls_ms, duree_premier_octet_ms, jours_certificat
      FROM monitoring.statuts_anterieurs WHERE verifie_a >= semaine;
  DELETE FROM monitoring.statuts_anterieurs WHERE verifie_a >= semaine;
  IF NOT EXISTS (SELECT 1 FROM monitoring.statuts_anterieurs) THEN
    DROP TABLE monitoring.statuts_anterieurs;
  ELSE
    -- The older rows stay where they are. The primary key on (id, verifie_a) is built on them by the attach; the
    -- other indexes, the check and the foreign key are the same as the parent's and are kept as they are.
    ALTER TABLE monitoring.statuts_anterieurs DROP CONSTRAINT statuts_anterieurs_pkey;
    ALTER TABLE monitoring.statuts_anterieurs ALTER COLUMN id DROP IDENTITY;
    EXECUTE format('ALTER TABLE monitoring.statuts ATTACH PARTITION monitoring.statuts_anterieurs
                      FOR VALUES FROM (MINVALUE) TO (%L)', semaine);
  END IF;
END
$$;

-- The triggers of 002, 004 and 005, as they were.
CREATE TRIGGER statuts_appliquer
  AFTER INSERT ON monitoring.statuts
  FOR EACH ROW WHEN (NEW.moniteur_id IS NOT NULL)
  EXECUTE FUNCTION monitoring.appliquer_statut();

CREATE TRIGGER statuts_notifier
  AFTER INSERT ON monitoring.statuts
  REFERENCING NEW TABLE AS nouveaux
  FOR EACH STATEMENT EXECUTE FUNCTION monitoring.notifier_statuts();

CREATE TRIGGER statuts_alerter_certificat
  AFTER INSERT ON monitoring.statuts
  FOR EACH ROW WHEN (NEW.moniteur_id IS NOT NULL AND NEW.jours_certificat IS NOT NULL)
  EXECUTE FUNCTION monitoring.alerter_certificat();

CREATE TRIGGER statuts_cumuler
  AFTER INSERT ON monitoring.statuts
  REFERENCING NEW TABLE AS nouveaux
  FOR EACH STATEMENT EXECUTE FUNCTION monitoring.cumuler_nouveaux_statuts();
