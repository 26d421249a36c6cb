-- More channel kinds: chat and push services, and incident tools that open and close incidents.
ALTER TABLE monitoring.canaux DROP CONSTRAINT canaux_type_check;
ALTER TABLE monitoring.canaux ADD CONSTRAINT canaux_type_check
  CHECK (type IN ('webhook', 'email', 'slack', 'discord', 'ntfy', 'telegram', 'teams', 'mattermost', 'googlechat', 'pagerduty', 'opsgenie', 'pushover', 'gotify', 'matrix'));
