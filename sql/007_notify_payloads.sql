-- Notifications carry the new row's id and nothing more: listeners read the rows from their tables (a NOTIFY
-- is a wake-up hint), so the JSON built here before was read by no one. The id stays so that each row (each
-- batch of results) still gets its own notification, and a psql LISTEN shows which row woke it.

CREATE OR REPLACE FUNCTION monitoring.notifier_statuts() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  dernier bigint;
BEGIN
  SELECT max(id) INTO dernier FROM nouveaux;
  IF dernier IS NOT NULL THEN
    PERFORM pg_notify('vigie_statuts', dernier::text);
  END IF;
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION monitoring.notifier_alerte() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('vigie_alertes', NEW.id::text);
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION monitoring.notifier_transition() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('vigie_transitions', NEW.id::text);
  RETURN NULL;
END
$$;
