-- E-mail outbox: a row is written in the same transaction as the change it tells about, and a Temporal workflow
-- drains it over SMTP. The payload holds what the template needs, never the address: that is read from the user at
-- send time, so a deleted account's pending mail has nowhere to go and is cancelled.

CREATE TABLE email_outbox (
  email_id         bigserial PRIMARY KEY,
  user_id          uuid REFERENCES users (user_id) ON DELETE SET NULL,
  kind             text NOT NULL CHECK (kind IN ('welcome', 'payment_failed', 'password_reset', 'rank_move', 'weekly_digest')),
  dedupe_key       text NOT NULL UNIQUE,       -- the same event enqueued twice is one e-mail
  payload          jsonb NOT NULL DEFAULT '{}',
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'cancelled')),
  attempts         integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL DEFAULT now(),
  last_error       text,
  message_id       text,                       -- the Message-ID header, fixed before the first attempt
  created_at       timestamptz NOT NULL DEFAULT now(),
  sent_at          timestamptz
);
CREATE INDEX email_outbox_due ON email_outbox (next_attempt_at) WHERE status IN ('pending', 'sending');
CREATE INDEX email_outbox_user ON email_outbox (user_id);
