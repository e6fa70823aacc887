-- Attempts and fences. Temporal retries an activity whose attempt timed out, and that attempt may still be running
-- (a stalled request, a worker cut off from the server). A retried attempt therefore never shares a batch or a site
-- folder with an earlier one, and the newest attempt fences the older ones out:
-- * every fetch attempt writes its own batch; starting one marks the batches of the activity's older attempts
--   superseded, under the row lock every landing-zone write takes (FOR SHARE), so once a newer attempt has started,
--   no write of an older one lands;
-- * loads of one batch take turns (an advisory lock keyed by the batch), and a load that finds the batch already
--   loaded returns what that load recorded in load_result instead of loading it again;
-- * a site build goes into a folder of its own attempt, and only the attempt named in site_fence may switch the
--   served site to it.

ALTER TABLE ingest_batches
  ADD COLUMN activity_key   text,          -- workflow id / run id / activity id: the attempts of one fetch
  ADD COLUMN attempt        integer,       -- Temporal's attempt number (1 = first)
  ADD COLUMN superseded_at  timestamptz,   -- when a newer attempt of the same activity started; no writes after it
  ADD COLUMN load_result    jsonb;         -- what the load that finished the batch returned, for a retry to return

CREATE INDEX ingest_batches_activity ON ingest_batches (activity_key, attempt);

ALTER TABLE ranking_snapshots
  ADD COLUMN site_fence text;              -- the publishSite attempt (activity key + attempt) allowed to switch the site
