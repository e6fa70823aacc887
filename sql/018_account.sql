-- Account and data rights: password-reset tokens, and Stripe customers whose deletion must be retried after an
-- account was erased.

-- A reset token is e-mailed once and stored only as its sha256; it works once, for an hour.
CREATE TABLE password_reset_tokens (
  token_hash  text PRIMARY KEY,
  user_id     uuid NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz
);
CREATE INDEX password_reset_tokens_user ON password_reset_tokens (user_id);

-- Written in the transaction that erases an account, for each of its Stripe customers; the row goes once Stripe has
-- deleted the customer. It is the one place an erased account's customer id may remain, and only until then: it
-- names no user.
CREATE TABLE stripe_customer_deletions (
  stripe_customer_id  text PRIMARY KEY,
  requested_at        timestamptz NOT NULL DEFAULT now(),
  attempts            integer NOT NULL DEFAULT 0,
  next_attempt_at     timestamptz NOT NULL DEFAULT now(),
  last_error          text
);
