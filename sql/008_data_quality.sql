-- The data-quality circuit breaker and data flags.
--
-- Quarantined rows carry their cell (season, level, group) and the cause reduced to a field and a rule, so the
-- breaker's verdict and `npm run quarantine` can count them by cell, field and reason without parsing reason text.
-- A batch records the breaker's verdict; a breached batch keeps finished_at NULL (it loaded nothing, so it is no
-- successful ingest for freshness) and status 'breached'.
-- data_flags records what was kept but changed or doubted, e.g. a placeholder birth date turned unknown.

ALTER TABLE quarantine
  ADD COLUMN season      smallint,
  ADD COLUMN sport_id    integer,
  ADD COLUMN stat_group  text,
  ADD COLUMN field       text,                  -- 'stat.battersFaced', 'player.id', ... or NULL when no one field
  ADD COLUMN rule        text;                  -- 'missing_field', 'bf_accounting', ... (the dominant-reason key)

CREATE INDEX quarantine_batch ON quarantine (batch_id);

ALTER TABLE ingest_batches
  ADD COLUMN status   text NOT NULL DEFAULT 'loaded' CHECK (status IN ('loaded', 'breached')),
  ADD COLUMN quality  jsonb;                     -- the breaker's verdict: per-cell counts, thresholds, what tripped

CREATE TABLE data_flags (
  flag_id     bigserial PRIMARY KEY,
  batch_id    bigint REFERENCES ingest_batches (batch_id) ON DELETE CASCADE,
  source      text NOT NULL,
  entity      text NOT NULL,                    -- 'player'
  entity_id   bigint NOT NULL,                  -- player_id for entity 'player'
  rule        text NOT NULL,                    -- 'placeholder_birth_date', 'implausible_birth_date'
  detail      text NOT NULL,
  value       jsonb NOT NULL,                   -- what the source said, e.g. {"birthDate": "1950-01-01"}
  created_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (entity, entity_id, rule, value)
);
