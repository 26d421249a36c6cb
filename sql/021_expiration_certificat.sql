-- When the HTTPS certificate a check saw expires (the days left, jours_certificat, are a rounded-down count):
-- the dashboard shows the date.
ALTER TABLE monitoring.statuts ADD COLUMN expiration_certificat timestamptz;
