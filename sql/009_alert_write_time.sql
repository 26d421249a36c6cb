-- When each alert was written, apart from cree_a (when its check ran): results kept in memory through a database
-- outage are written after it, and their notifications say how late the alert was raised.
ALTER TABLE monitoring.alertes ADD COLUMN enregistre_a timestamptz;
UPDATE monitoring.alertes SET enregistre_a = cree_a;
ALTER TABLE monitoring.alertes
  ALTER COLUMN enregistre_a SET DEFAULT now(),
  ALTER COLUMN enregistre_a SET NOT NULL;
