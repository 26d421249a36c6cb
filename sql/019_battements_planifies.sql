-- Heartbeats on a cron schedule, and heartbeats evaluated in one location.
--
-- A heartbeat monitor may be expected on a cron schedule in a time zone instead of every interval:
-- {"cron": "0 3 * * *", "timeZone": "Europe/Paris"}; its deadline is the next expected run plus the grace.
ALTER TABLE monitoring.moniteurs
  ADD COLUMN planification jsonb,
  ADD CONSTRAINT moniteurs_planification_push CHECK (planification IS NULL OR type = 'push');

-- A heartbeat's deadline is evaluated once, whatever the number of locations: its lease is the only lease of the
-- monitor (baux.unique_emplacement, one such row per monitor). Another location takes it over only when every
-- instance of the holder's location is gone. Pings are recorded under the location of that lease, so that every
-- result of a heartbeat is one location's view.
ALTER TABLE monitoring.baux ADD COLUMN unique_emplacement boolean NOT NULL DEFAULT false;
CREATE UNIQUE INDEX baux_unique_emplacement ON monitoring.baux (moniteur_id) WHERE unique_emplacement;

-- Leases of heartbeats taken before this migration (one per location) are claimed again, once.
DELETE FROM monitoring.baux b USING monitoring.moniteurs m WHERE m.id = b.moniteur_id AND m.type = 'push';

-- A monitor becoming a heartbeat, or ceasing to be one, gives up its leases (as a paused monitor does, with the same
-- function): they are claimed again as they must be.
CREATE TRIGGER moniteurs_liberer_baux_type
  AFTER UPDATE OF type ON monitoring.moniteurs
  FOR EACH ROW WHEN ((NEW.type = 'push') <> (OLD.type = 'push'))
  EXECUTE FUNCTION monitoring.liberer_baux_pause();
