-- Fantrax: the link (an encrypted Secret ID under a keyring key), the leagues seen at the last sync, every sync with
-- the rosters it stored, the player matches (automatic, and the user's corrections), and the recommendations.

-- One link per user; the leagues live in their own table (a Secret ID sees every league of its owner).
ALTER TABLE fantrax_links
  DROP COLUMN league_id,
  DROP COLUMN team_id,
  ADD COLUMN secret_key_id    text NOT NULL DEFAULT 'unknown',   -- the keyring key that sealed it (rotation)
  ADD COLUMN needs_reconnect  boolean NOT NULL DEFAULT false,    -- Fantrax refused the Secret ID
  ADD COLUMN last_synced_at   timestamptz,
  ADD COLUMN last_error       text;                              -- a summary, never the Secret ID
ALTER TABLE fantrax_links ALTER COLUMN secret_key_id DROP DEFAULT;

CREATE TABLE fantrax_leagues (
  user_id      uuid NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
  league_id    text NOT NULL,
  league_name  text NOT NULL,
  team_id      text NOT NULL,
  team_name    text NOT NULL,
  -- 'synced', or 'inaccessible' when Fantrax refused the league (private, gone) at the last sync.
  status       text NOT NULL DEFAULT 'synced' CHECK (status IN ('synced', 'inaccessible')),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, league_id)
);

CREATE TABLE fantrax_syncs (
  sync_id      bigserial PRIMARY KEY,
  user_id      uuid NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
  workflow_id  text,
  started_at   timestamptz NOT NULL DEFAULT now(),
  finished_at  timestamptz,
  status       text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'succeeded', 'failed')),
  error        text
);
CREATE INDEX fantrax_syncs_user ON fantrax_syncs (user_id, started_at DESC);

-- Every team's roster in every league, as one sync saw it.
CREATE TABLE fantrax_roster_entries (
  sync_id        bigint NOT NULL REFERENCES fantrax_syncs (sync_id) ON DELETE CASCADE,
  league_id      text NOT NULL,
  team_id        text NOT NULL,
  fantrax_id     text NOT NULL,
  roster_status  text NOT NULL CHECK (roster_status IN ('ACTIVE', 'RESERVE', 'MINORS', 'INJURED_RESERVE')),
  position       text,
  PRIMARY KEY (sync_id, league_id, team_id, fantrax_id)
);

-- Per user: the automatic match of each Fantrax player on his leagues' rosters, and his correction, which wins.
CREATE TABLE fantrax_matches (
  user_id             uuid NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
  fantrax_id          text NOT NULL,
  fantrax_name        text NOT NULL,
  fantrax_team        text,
  fantrax_position    text,
  player_id           integer,                -- the automatic match; null when none
  confidence          real NOT NULL CHECK (confidence BETWEEN 0 AND 1),
  label               text NOT NULL CHECK (label IN ('certain', 'likely', 'uncertain', 'none')),
  corrected           boolean NOT NULL DEFAULT false,
  corrected_player_id integer,                -- the user's answer when corrected (null: nobody we know)
  updated_at          timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, fantrax_id)
);

CREATE TABLE fantrax_recommendations (
  user_id      uuid NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
  league_id    text NOT NULL,
  snapshot_id  text NOT NULL,                 -- the served ranking snapshot they were computed from
  computed_at  timestamptz NOT NULL DEFAULT now(),
  body         jsonb NOT NULL,
  PRIMARY KEY (user_id, league_id)
);
