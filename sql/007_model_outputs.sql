-- What batch inference stores beside the probability, and what the registry needs to compare models fairly.

ALTER TABLE predictions
  ADD COLUMN raw_probability    real,            -- before calibration
  ADD COLUMN position_rank      integer,
  ADD COLUMN organization_rank  integer,
  ADD COLUMN spread             real,            -- sd across the bootstrap ensemble
  ADD COLUMN eta                smallint,
  ADD COLUMN dynasty            jsonb,
  ADD COLUMN evidence           jsonb,
  ADD COLUMN narrative          text[],
  ADD COLUMN comparables        jsonb;

ALTER TABLE models
  ADD COLUMN holdout_season   smallint,          -- the cohort its metrics were measured on
  ADD COLUMN calibrator       jsonb,
  ADD COLUMN retired_reason   text;

-- Every promotion, rejection and rollback, with the metrics that decided it.
CREATE TABLE model_events (
  event_id       bigserial PRIMARY KEY,
  at             timestamptz NOT NULL DEFAULT now(),
  model_version  text NOT NULL REFERENCES models (model_version),
  event          text NOT NULL CHECK (event IN ('promoted', 'kept-as-candidate', 'rolled-back', 'restored')),
  reason         text NOT NULL,
  details        jsonb NOT NULL DEFAULT '{}'
);
