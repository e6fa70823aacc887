-- Batches reference their landing-zone responses (a re-run reuses stored responses instead of refetching),
-- each batch keeps its full accounting, and rank moves become notifications.

CREATE TABLE ingest_batch_responses (
  batch_id     bigint NOT NULL REFERENCES ingest_batches (batch_id) ON DELETE CASCADE,
  response_id  bigint NOT NULL REFERENCES raw_responses (response_id),
  reused       boolean NOT NULL,               -- true: read from the landing zone, no HTTP request made
  PRIMARY KEY (batch_id, response_id)
);

ALTER TABLE ingest_batches
  ADD COLUMN run_key            text UNIQUE,                 -- workflow/run/activity: an activity's retries share a batch
  ADD COLUMN http_requests      integer NOT NULL DEFAULT 0,  -- attempts that reached the network, retries included
  ADD COLUMN responses_reused   integer NOT NULL DEFAULT 0,
  ADD COLUMN rows_fetched       integer NOT NULL DEFAULT 0,  -- season lines in the responses
  ADD COLUMN duplicates_merged  integer NOT NULL DEFAULT 0,  -- identical repeats, and traded players' per-team rows
  ADD COLUMN rows_new           integer NOT NULL DEFAULT 0,  -- lines inserted or changed by this load
  ADD COLUMN rows_flagged       integer NOT NULL DEFAULT 0,
  ADD CONSTRAINT batch_accounting_adds_up
    CHECK (finished_at IS NULL OR rows_fetched = rows_loaded + rows_quarantined + duplicates_merged);

CREATE INDEX ingest_batches_source_finished ON ingest_batches (source, finished_at DESC);

CREATE TABLE notifications (
  notification_id    bigserial PRIMARY KEY,
  kind               text NOT NULL,            -- 'rank_move'
  player_id          integer NOT NULL,
  ranking_snapshot_id text NOT NULL,
  previous_rank      integer,
  new_rank           integer,
  details            jsonb NOT NULL DEFAULT '{}',
  created_at         timestamptz NOT NULL DEFAULT now(),
  UNIQUE (kind, player_id, ranking_snapshot_id)
);
