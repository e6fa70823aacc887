-- Model monitoring (issue 11): each day the pipeline scores, the feature drift (PSI per feature) of the rows the
-- serving model scored against the rows it trained on, and the live calibration of every model whose stored
-- predictions have since had their outcomes labelled. A day is written whole: re-running it deletes the day's row,
-- which cascades to its drift and calibration rows, and inserts the new ones in the same transaction.

CREATE TABLE monitoring_days (
  day                   date PRIMARY KEY,                 -- the run's date (publishRankings' `today`)
  model_version         text NOT NULL REFERENCES models (model_version),  -- the serving model that scored the day
  -- No foreign keys to the run or snapshots: a retried inference replaces its prediction run (delete + insert).
  prediction_run_id     text NOT NULL,
  feature_snapshot_id   text NOT NULL,                    -- the scoring rows (and the labels of live calibration)
  training_snapshot_id  text,                             -- the serving model's training rows
  training_rows         integer NOT NULL CHECK (training_rows >= 0),
  scoring_rows          integer NOT NULL CHECK (scoring_rows >= 0),
  drift_status          text NOT NULL CHECK (drift_status IN ('measured', 'not-enough-data')),
  drift_reason          text,                             -- why not measured
  psi_max               double precision,
  psi_max_feature       text,
  computed_at           timestamptz NOT NULL DEFAULT now(),
  CHECK ((drift_status = 'measured') = (psi_max IS NOT NULL))
);

CREATE TABLE feature_drift (
  day               date NOT NULL REFERENCES monitoring_days (day) ON DELETE CASCADE,
  model_version     text NOT NULL REFERENCES models (model_version),
  feature           text NOT NULL,
  psi               double precision NOT NULL CHECK (psi >= 0),
  binning           text NOT NULL CHECK (binning IN ('quantile', 'categorical', 'missing-only')),
  training_missing  integer NOT NULL,                     -- rows with the feature missing (NaN)
  scoring_missing   integer NOT NULL,
  bins              jsonb NOT NULL,                       -- [{label, expected, actual}] shares per bin
  PRIMARY KEY (day, model_version, feature)
);

CREATE TABLE live_calibration (
  day            date NOT NULL REFERENCES monitoring_days (day) ON DELETE CASCADE,
  model_version  text NOT NULL REFERENCES models (model_version),
  serving        boolean NOT NULL,                        -- the model that scored the day
  status         text NOT NULL CHECK (status IN ('measured', 'not-enough-data')),
  reason         text,
  outcomes       integer NOT NULL CHECK (outcomes >= 0),  -- known outcomes the figures rest on
  positives      integer NOT NULL CHECK (positives >= 0),
  as_of_seasons  smallint[] NOT NULL,                     -- cohorts those outcomes belong to
  ece            double precision,                        -- expected calibration error, equal-count bins
  brier          double precision,
  auc            double precision,                        -- null while one class only
  reliability    jsonb,                                   -- [{from, to, predicted, observed, count}]
  PRIMARY KEY (day, model_version),
  CHECK ((status = 'measured') = (ece IS NOT NULL AND brier IS NOT NULL AND reliability IS NOT NULL))
);
CREATE UNIQUE INDEX live_calibration_one_serving ON live_calibration (day) WHERE serving;
