-- Configuration as code: what a configuration file (VIGIE_CONFIG, npm run config -- apply) created carries the
-- stable key the file gives it. Applying a file changes and removes only rows with a key: those it owns.
ALTER TABLE monitoring.moniteurs ADD COLUMN cle_config text CHECK (length(cle_config) BETWEEN 1 AND 100);
CREATE UNIQUE INDEX moniteurs_cle_config ON monitoring.moniteurs (cle_config);
ALTER TABLE monitoring.canaux ADD COLUMN cle_config text CHECK (length(cle_config) BETWEEN 1 AND 100);
CREATE UNIQUE INDEX canaux_cle_config ON monitoring.canaux (cle_config);
ALTER TABLE monitoring.maintenances ADD COLUMN cle_config text CHECK (length(cle_config) BETWEEN 1 AND 100);
CREATE UNIQUE INDEX maintenances_cle_config ON monitoring.maintenances (cle_config);
ALTER TABLE monitoring.pages_statut ADD COLUMN cle_config text CHECK (length(cle_config) BETWEEN 1 AND 100);
CREATE UNIQUE INDEX pages_statut_cle_config ON monitoring.pages_statut (cle_config);
