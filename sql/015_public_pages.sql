-- What Vigie shows without logging in. Badges: opt-in per monitor, addressed by id or by an optional slug.
ALTER TABLE monitoring.moniteurs
  ADD COLUMN badges_actifs boolean NOT NULL DEFAULT false,
  -- Lower-case words joined by dashes; never only digits, so that /badge/<id-or-slug> is never ambiguous.
  ADD COLUMN slug text CONSTRAINT moniteurs_slug_format
    CHECK (slug ~ '^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$' AND slug !~ '^[0-9]+$');
CREATE UNIQUE INDEX moniteurs_slug_unique ON monitoring.moniteurs (slug);
