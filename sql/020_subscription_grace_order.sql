-- The grace after a failed payment, whatever order Stripe's events arrive in (billing/grace-order.ts): when the
-- failure that started the grace happened, and when the grace was last cleared, so a late older event can still
-- start or end it. A grace already running counts from the newest event applied, the best the row knows.
ALTER TABLE subscriptions
  ADD COLUMN grace_failed_at   timestamptz,
  ADD COLUMN grace_cleared_at  timestamptz;
UPDATE subscriptions SET grace_failed_at = last_event_at WHERE grace_until IS NOT NULL;
