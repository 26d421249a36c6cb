-- Hourly rollups of monitoring.statuts, kept up to date by a statement trigger as results are written, so
-- statistics over days and years read a few hundred rows instead of every check. Results of the current
-- hour are in its rollup row too, so a window ending now needs raw rows only for its first, partial hour.

-- Latency histogram buckets: 0..31 ms are exact; above, each power of two is cut into 16 buckets, so a
-- bucket spans at most 1/16 of its lower bound and its midpoint is within 3.2 % of any value in it.
-- server/stats/histogram.ts holds the inverse; the two must agree.
CREATE FUNCTION monitoring.seau_latence(ms integer) RETURNS smallint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT (CASE WHEN ms < 32 THEN ms
               ELSE 32 + (k - 5) * 16 + ((ms >> (k - 4)) & 15) END)::smallint
    FROM (SELECT length(ltrim(ms::bit(32)::text, '0')) - 1 AS k) AS puissance
$$;

CREATE TABLE monitoring.statuts_horaires (
  moniteur_id   integer NOT NULL REFERENCES monitoring.moniteurs (id) ON DELETE CASCADE,
  -- start of the hour (UTC grid)
  heure         timestamptz NOT NULL,
  verifications integer NOT NULL,
  echecs        integer NOT NULL,
  -- latency of the successful checks (verifications - echecs of them)
  latence_somme bigint NOT NULL,
  latence_min   integer,
  latence_max   integer,
  -- sparse histogram: bucket numbers ascending, and the number of successful checks in each
  seaux         smallint[] NOT NULL,
  nombres       integer[] NOT NULL,
  PRIMARY KEY (moniteur_id, heure)
);

-- retention prunes the oldest hours first
CREATE INDEX statuts_horaires_heure ON monitoring.statuts_horaires (heure);

-- Adds results (given column-wise) to their hourly rollups. Rows are upserted in key order, so concurrent
-- writers lock them in the same order and cannot deadlock.
CREATE FUNCTION monitoring.cumuler_statuts(
  moniteurs integer[], instants timestamptz[], disponibles boolean[], latences integer[]
) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO monitoring.statuts_horaires AS h
         (moniteur_id, heure, verifications, echecs, latence_somme, latence_min, latence_max, seaux, nombres)
  SELECT moniteur_id, heure, sum(n)::int, sum(echecs)::int, coalesce(sum(somme), 0), min(mini), max(maxi),
         coalesce(array_agg(seau ORDER BY seau) FILTER (WHERE seau IS NOT NULL), '{}'),
         coalesce(array_agg(succes ORDER BY seau) FILTER (WHERE seau IS NOT NULL), '{}')
    FROM (SELECT moniteur_id, heure, seau,
                 count(*) AS n,
                 count(*) FILTER (WHERE NOT disponible) AS echecs,
                 count(*) FILTER (WHERE disponible) AS succes,
                 sum(latence) FILTER (WHERE disponible) AS somme,
                 min(latence) FILTER (WHERE disponible) AS mini,
                 max(latence) FILTER (WHERE disponible) AS maxi
            FROM (SELECT r.moniteur_id, r.disponible, r.latence,
                         date_bin('1 hour', r.instant, timestamptz '2000-01-01 00:00:00+00') AS heure,
                         CASE WHEN r.disponible THEN monitoring.seau_latence(r.latence) END AS seau
                    FROM unnest(moniteurs, instants, disponibles, latences) AS r(moniteur_id, instant, disponible, latence)
                   WHERE r.moniteur_id IS NOT NULL) AS resultats
           GROUP BY moniteur_id, heure, seau) AS par_seau
   GROUP BY moniteur_id, heure
   ORDER BY moniteur_id, heure
  ON CONFLICT (moniteur_id, heure) DO UPDATE SET
    verifications = h.verifications + excluded.verifications,
    echecs        = h.echecs + excluded.echecs,
    latence_somme = h.latence_somme + excluded.latence_somme,
    latence_min   = least(h.latence_min, excluded.latence_min),
    latence_max   = greatest(h.latence_max, excluded.latence_max),
    (seaux, nombres) = (
      SELECT coalesce(array_agg(seau ORDER BY seau), '{}'), coalesce(array_agg(nombre ORDER BY seau), '{}')
        FROM (SELECT seau, sum(nombre)::int AS nombre
                FROM (SELECT * FROM unnest(h.seaux, h.nombres)
                      UNION ALL
                      SELECT * FROM unnest(excluded.seaux, excluded.nombres)) AS tous(seau, nombre)
               GROUP BY seau) AS fusion)
$$;

CREATE FUNCTION monitoring.cumuler_nouveaux_statuts() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM monitoring.cumuler_statuts(array_agg(moniteur_id), array_agg(verifie_a),
                                     array_agg(est_disponible), array_agg(latence_ms))
     FROM nouveaux WHERE moniteur_id IS NOT NULL;
  RETURN NULL;
END
$$;

CREATE TRIGGER statuts_cumuler
  AFTER INSERT ON monitoring.statuts
  REFERENCING NEW TABLE AS nouveaux
  FOR EACH STATEMENT EXECUTE FUNCTION monitoring.cumuler_nouveaux_statuts();

-- Results stored before this migration.
SELECT monitoring.cumuler_statuts(array_agg(moniteur_id), array_agg(verifie_a),
                                  array_agg(est_disponible), array_agg(latence_ms))
  FROM monitoring.statuts WHERE moniteur_id IS NOT NULL;

-- Statistics read the first partial hour of a window from raw rows: with the two columns they need in the
-- index, that read does not touch the table.
CREATE INDEX statuts_moniteur_verifie_a_couvrant
  ON monitoring.statuts (moniteur_id, verifie_a) INCLUDE (est_disponible, latence_ms);
DROP INDEX monitoring.statuts_moniteur_verifie_a;

-- Incidents of a window are read from the status transitions by time.
CREATE INDEX transitions_moniteur_cree_a ON monitoring.transitions (moniteur_id, cree_a);
