-- Two more kinds of monitor. Heartbeats (push): the monitored job calls /api/ping/<jeton_ping> and is expected
-- every interval plus a grace; the instance holding the monitor's lease writes a DOWN result when it is late.
-- DNS: a name (cible) resolved for one record type, the answers compared with what is expected.
ALTER TABLE monitoring.moniteurs DROP CONSTRAINT moniteurs_type_check;
ALTER TABLE monitoring.moniteurs ADD CONSTRAINT moniteurs_type_check
  CHECK (type IN ('http', 'tcp', 'icmp', 'push', 'dns'));

ALTER TABLE monitoring.moniteurs
  -- Heartbeats: how long past the expected time a ping may still arrive.
  ADD COLUMN delai_grace_secondes integer NOT NULL DEFAULT 60
    CONSTRAINT moniteurs_delai_grace CHECK (delai_grace_secondes BETWEEN 0 AND 86400),
  -- The secret of the ping URL; every heartbeat monitor has one.
  ADD COLUMN jeton_ping text CONSTRAINT moniteurs_jeton_ping_format CHECK (jeton_ping ~ '^[A-Za-z0-9_-]{22,64}$'),
  -- DNS: {"recordType": "A", "expected": [...], "match": "exact"|"contains"|"regex", "resolver": "host:port"|null}
  ADD COLUMN parametres_dns jsonb,
  ADD CONSTRAINT moniteurs_push_jeton CHECK (type <> 'push' OR jeton_ping IS NOT NULL),
  ADD CONSTRAINT moniteurs_dns_parametres CHECK (type <> 'dns' OR parametres_dns IS NOT NULL);
CREATE UNIQUE INDEX moniteurs_jeton_ping_unique ON monitoring.moniteurs (jeton_ping);

-- What pings tell, apart from monitoring.moniteurs: a ping must not wake every scheduler (its UPDATE triggers do).
-- The lease holder reads it when a deadline comes, so a ping served by any instance counts.
CREATE TABLE monitoring.battements (
  moniteur_id    integer PRIMARY KEY REFERENCES monitoring.moniteurs (id) ON DELETE CASCADE,
  -- The last ping that ended a run (success or /fail), and the last /start.
  dernier_ping_a timestamptz,
  debut_ping_a   timestamptz,
  -- The body of the last ping, as sent (at most 10 kB).
  message        text CHECK (length(message) <= 10240)
);
