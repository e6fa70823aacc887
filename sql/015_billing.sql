-- Billing: the Stripe customer of an account, the subscription state the entitlement is computed from, and the
-- webhook events already applied. Nothing personal beyond Stripe's ids: no names, addresses or card details.

ALTER TABLE users ADD COLUMN stripe_customer_id text UNIQUE;

ALTER TABLE subscriptions
  ADD COLUMN price_id              text,
  ADD COLUMN cancel_at_period_end  boolean NOT NULL DEFAULT false,
  -- Set when a payment failed: the subscriber keeps premium until then unless a payment succeeds meanwhile.
  ADD COLUMN grace_until           timestamptz,
  -- `created` of the newest Stripe event applied: an older event arriving late never overwrites a newer state.
  ADD COLUMN last_event_at         timestamptz;
CREATE INDEX subscriptions_customer ON subscriptions (stripe_customer_id);

-- Only ids and types are kept, never the event payload.
ALTER TABLE stripe_events
  ADD COLUMN stripe_customer_id  text,
  ADD COLUMN processed_at        timestamptz;   -- applied by the subscription saga; a replay after this does nothing
