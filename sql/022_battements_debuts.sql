-- A /start opens a run that must end within the grace, much sooner than the regular deadline the lease holder is
-- waiting for: each recorded start wakes the instances (payload: the monitor's id), and the holder looks at that
-- deadline at once. Pings are served by any instance, so the holder learns of the start only from here.

CREATE FUNCTION monitoring.notifier_debut_battement() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.debut_ping_a IS NOT NULL
     AND (TG_OP = 'INSERT' OR NEW.debut_ping_a IS DISTINCT FROM OLD.debut_ping_a) THEN
    PERFORM pg_notify('vigie_debuts', NEW.moniteur_id::text);
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER battements_notifier_debut
  AFTER INSERT OR UPDATE OF debut_ping_a ON monitoring.battements
  FOR EACH ROW EXECUTE FUNCTION monitoring.notifier_debut_battement();
