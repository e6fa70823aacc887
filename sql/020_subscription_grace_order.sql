-- The grace after a failed payment, whatever order Stripe's events arrive in (billing/grace-order.ts): every payment
-- failure since the grace was last cleared (its time and its grace end, two arrays in step, oldest first), and when
-- the grace was last cleared, so a late older event can still start, end or move it. A grace already running counts
-- from the newest event applied, the best the row knows.
ALTER TABLE subscriptions
  ADD COLUMN grace_failures      timestamptz[] NOT NULL DEFAULT '{}',
  ADD COLUMN grace_failure_ends  timestamptz[] NOT NULL DEFAULT '{}',
  ADD COLUMN grace_cleared_at    timestamptz,
  ADD CONSTRAINT subscriptions_grace_failures_in_step
    CHECK (cardinality(grace_failures) = cardinality(grace_failure_ends));
UPDATE subscriptions SET grace_failures = ARRAY[last_event_at], grace_failure_ends = ARRAY[grace_until]
 WHERE grace_until IS NOT NULL AND last_event_at IS NOT NULL;
