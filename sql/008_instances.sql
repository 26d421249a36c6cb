-- Each running Vigie sharing this database: registered at start, heartbeating, removed on a clean stop. A row whose
-- heartbeat (vu_a) is older than a few heartbeats is a dead instance (killed, cut off): what it held is taken over.

CREATE TABLE monitoring.instances (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- INSTANCE, or the host name: several instances may share a name (the id tells them apart)
  nom         text NOT NULL CHECK (length(nom) BETWEEN 1 AND 200),
  -- LOCATION: the instances of one location share the checking of its monitors
  emplacement text NOT NULL CHECK (length(emplacement) BETWEEN 1 AND 100),
  version     text NOT NULL,
  demarre_a   timestamptz NOT NULL DEFAULT now(),
  vu_a        timestamptz NOT NULL DEFAULT now(),
  -- monitors it checks, as of its last heartbeat
  moniteurs   integer NOT NULL DEFAULT 0 CHECK (moniteurs >= 0)
);

CREATE INDEX instances_emplacement_vu_a ON monitoring.instances (emplacement, vu_a);
