-- Feature snapshots, the model registry, predictions and the published ranking snapshots.

CREATE TABLE feature_snapshots (
  snapshot_id     text PRIMARY KEY,
  as_of_seasons   smallint[] NOT NULL,
  feature_names   text[] NOT NULL,
  row_count       integer NOT NULL,
  arrow_path      text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE player_features (
  snapshot_id   text NOT NULL REFERENCES feature_snapshots (snapshot_id) ON DELETE CASCADE,
  player_id     integer NOT NULL,
  as_of_season  smallint NOT NULL,
  stat_group    text NOT NULL,
  label         smallint,                      -- null: outcome window not yet complete
  features      real[] NOT NULL,               -- NaN marks a missing value; order is feature_snapshots.feature_names
  PRIMARY KEY (snapshot_id, player_id, as_of_season)
);

CREATE TABLE models (
  model_version   text PRIMARY KEY,
  algorithm       text NOT NULL,
  params          jsonb NOT NULL,
  feature_names   text[] NOT NULL,
  snapshot_id     text REFERENCES feature_snapshots (snapshot_id),
  metrics         jsonb NOT NULL DEFAULT '{}',
  artifact_path   text NOT NULL,
  status          text NOT NULL DEFAULT 'candidate' CHECK (status IN ('candidate', 'champion', 'retired')),
  created_at      timestamptz NOT NULL DEFAULT now(),
  promoted_at     timestamptz
);
CREATE UNIQUE INDEX models_one_champion ON models (status) WHERE status = 'champion';

CREATE TABLE prediction_runs (
  prediction_run_id  text PRIMARY KEY,
  model_version      text NOT NULL REFERENCES models (model_version),
  snapshot_id        text NOT NULL REFERENCES feature_snapshots (snapshot_id),
  as_of_season       smallint NOT NULL,
  created_at         timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE predictions (
  prediction_run_id  text NOT NULL REFERENCES prediction_runs (prediction_run_id) ON DELETE CASCADE,
  player_id          integer NOT NULL,
  model_version      text NOT NULL REFERENCES models (model_version),
  as_of_season       smallint NOT NULL,
  probability        real NOT NULL CHECK (probability BETWEEN 0 AND 1),
  confidence         text NOT NULL CHECK (confidence IN ('High', 'Medium', 'Low')),
  base_value         real NOT NULL,
  shap               real[] NOT NULL,          -- one log-odds contribution per feature, in the model's feature order
  rank               integer NOT NULL,
  PRIMARY KEY (prediction_run_id, player_id)
);
CREATE INDEX predictions_player ON predictions (player_id, prediction_run_id);

CREATE TABLE ranking_snapshots (
  snapshot_id        text PRIMARY KEY,
  prediction_run_id  text NOT NULL REFERENCES prediction_runs (prediction_run_id),
  generated_at       timestamptz NOT NULL DEFAULT now(),
  path               text NOT NULL,
  prospect_count     integer NOT NULL,
  site_path          text,
  published_at       timestamptz
);
