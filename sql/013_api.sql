-- The premium API: roles (free, premium, admin), preferences, rotating refresh tokens, the JWT signing keys, and the
-- published prospect cards the API lists, filters and searches (written by the pipeline's publish step).

CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS btree_gin;   -- lets one GIN index hold the snapshot id beside the trigrams

ALTER TABLE users RENAME COLUMN tier TO role;
ALTER TABLE users DROP CONSTRAINT IF EXISTS users_tier_check;
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('free', 'premium', 'admin'));
ALTER TABLE users
  ADD COLUMN preferences    jsonb NOT NULL DEFAULT '{}',  -- strategy (contending/rebuilding) and scoring weights
  ADD COLUMN updated_at     timestamptz NOT NULL DEFAULT now(),
  ADD COLUMN last_login_at  timestamptz;
-- Emails are stored normalized (trimmed, NFKC, lower case) by the application; this keeps them so.
ALTER TABLE users ADD CONSTRAINT users_email_normalized CHECK (email = lower(btrim(email)));

ALTER TABLE refresh_tokens
  ADD COLUMN used_at         timestamptz,   -- rotated: presenting it again revokes the whole family
  ADD COLUMN revoked_reason  text;
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);

-- Access tokens are signed with the newest key; older public keys stay in the JWKS until their tokens expire.
CREATE TABLE signing_keys (
  kid          text PRIMARY KEY,
  alg          text NOT NULL CHECK (alg IN ('EdDSA', 'ES256')),
  public_jwk   jsonb NOT NULL,
  private_jwk  jsonb NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  retired_at   timestamptz                 -- no longer signs; verifies until retired_at + the access-token lifetime
);

-- One row per prospect of a ranking snapshot, with the snapshot's full prospect record (`card`, lib/snapshot.ts) and
-- the columns the API filters, sorts and searches on. Served once ranking_snapshots.published_at is set.
CREATE TABLE published_prospects (
  ranking_snapshot_id  text NOT NULL REFERENCES ranking_snapshots (snapshot_id) ON DELETE CASCADE,
  player_id            integer NOT NULL,
  rank                 integer NOT NULL,
  name                 text NOT NULL,
  search_name          text NOT NULL,        -- accents stripped, lower case: what trigram search matches
  position             text NOT NULL,
  is_pitcher           boolean NOT NULL,
  org_id               integer,
  org_abbreviation     text,
  level                text NOT NULL,
  age                  real,
  eta                  smallint,
  confidence           text NOT NULL CHECK (confidence IN ('High', 'Medium', 'Low')),
  probability          real NOT NULL,
  dynasty_value        real NOT NULL,
  card                 jsonb NOT NULL,
  PRIMARY KEY (ranking_snapshot_id, player_id)
);
CREATE UNIQUE INDEX published_prospects_rank ON published_prospects (ranking_snapshot_id, rank);
-- Search is always within one snapshot: the snapshot id in the same GIN index keeps old snapshots' rows out of the scan.
CREATE INDEX published_prospects_search ON published_prospects USING gin (ranking_snapshot_id, search_name gin_trgm_ops);
CREATE INDEX ranking_snapshots_published ON ranking_snapshots (published_at DESC) WHERE published_at IS NOT NULL;
