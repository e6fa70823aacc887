-- Reference data: organizations, their affiliates by season, players and draft picks.

CREATE TABLE organizations (
  org_id        integer PRIMARY KEY,          -- the MLB club's team id
  name          text NOT NULL,
  abbreviation  text NOT NULL,
  updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE affiliates (
  team_id     integer NOT NULL,
  season      smallint NOT NULL,
  sport_id    integer NOT NULL,
  name        text NOT NULL,
  org_id      integer REFERENCES organizations (org_id),
  PRIMARY KEY (team_id, season)
);
CREATE INDEX affiliates_org_season ON affiliates (org_id, season);

CREATE TABLE players (
  player_id         integer PRIMARY KEY,       -- MLBAM id
  full_name         text NOT NULL,
  birth_date        date,
  primary_position  text,
  bat_side          text,
  pitch_hand        text,
  mlb_debut_date    date,
  updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX players_name ON players (lower(full_name));

CREATE TABLE draft_picks (
  player_id    integer NOT NULL,
  year         smallint NOT NULL,
  round        text NOT NULL,                  -- '1', 'C-1', '2' ... as the source spells it
  pick_number  integer NOT NULL,
  org_id       integer,
  school       text,
  PRIMARY KEY (player_id, year)
);
