-- The landing zone (every raw source response, compressed) and the quarantine (every rejected input row).

CREATE TABLE ingest_batches (
  batch_id     bigserial PRIMARY KEY,
  source       text NOT NULL,                  -- 'mlb-stats-api', 'fangraphs-csv', ...
  season       smallint,
  started_at   timestamptz NOT NULL DEFAULT now(),
  finished_at  timestamptz,
  requests     integer NOT NULL DEFAULT 0,
  rows_loaded  integer NOT NULL DEFAULT 0,
  rows_quarantined integer NOT NULL DEFAULT 0
);

CREATE TABLE raw_responses (
  response_id  bigserial PRIMARY KEY,
  batch_id     bigint REFERENCES ingest_batches (batch_id),
  source       text NOT NULL,
  url          text NOT NULL,
  fetched_at   timestamptz NOT NULL,
  status       smallint NOT NULL,
  body_gzip    bytea NOT NULL,
  body_sha256  text NOT NULL,
  UNIQUE (url, fetched_at)
);
CREATE INDEX raw_responses_url ON raw_responses (url, fetched_at DESC);
CREATE INDEX raw_responses_batch ON raw_responses (batch_id);

CREATE TABLE quarantine (
  quarantine_id  bigserial PRIMARY KEY,
  batch_id       bigint REFERENCES ingest_batches (batch_id),
  source         text NOT NULL,
  entity         text NOT NULL,                -- 'season_line', 'player', 'grade', ...
  reason         text NOT NULL,
  payload        jsonb NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  resolved_at    timestamptz,
  resolution     text
);
CREATE INDEX quarantine_open ON quarantine (source, entity) WHERE resolved_at IS NULL;

CREATE TABLE scouting_grades (
  grade_id          bigserial PRIMARY KEY,
  source            text NOT NULL CHECK (source IN ('fangraphs', 'baseball_america')),
  season            smallint NOT NULL,
  player_id         integer REFERENCES players (player_id),
  match_confidence  real,
  name              text NOT NULL,
  organization      text,
  position          text,
  future_value      smallint,                  -- FanGraphs FV, 20-80
  overall_rank      integer,                   -- Baseball America Top 100
  eta               smallint,
  tools             jsonb NOT NULL DEFAULT '{}', -- present/future tool grades
  imported_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (source, season, name, organization)
);
