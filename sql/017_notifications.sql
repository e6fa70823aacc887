-- E-mail notifications: what each user wants to hear about, the one-click unsubscribes he made, and the outbox's
-- bookkeeping for sending each message at most once.

-- One row per user who changed anything; no row means the defaults (every kind on, threshold 10 places).
CREATE TABLE notification_settings (
  user_id              uuid PRIMARY KEY REFERENCES users (user_id) ON DELETE CASCADE,
  rank_move            boolean NOT NULL DEFAULT true,
  weekly_digest        boolean NOT NULL DEFAULT true,
  rank_move_threshold  integer NOT NULL DEFAULT 10 CHECK (rank_move_threshold BETWEEN 1 AND 1000),
  updated_at           timestamptz NOT NULL DEFAULT now()
);

-- Every one-click unsubscribe (the link in an e-mail): the setting it turned off is in notification_settings.
CREATE TABLE email_unsubscribes (
  unsubscribe_id   bigserial PRIMARY KEY,
  user_id          uuid NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
  kind             text NOT NULL CHECK (kind IN ('rank_move', 'weekly_digest')),
  unsubscribed_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX email_unsubscribes_user ON email_unsubscribes (user_id);

-- claimed_at: when a drain took the row (status 'sending'); a claim that never started an attempt expires.
-- attempt_started_at: set just before the message is handed to SMTP, cleared when the outcome is recorded. A row
-- found with it still set was handed over by an attempt that never said how it went: the message may have been
-- delivered, so it is never sent again ('unconfirmed'), which keeps one Message-ID to one delivery.
ALTER TABLE email_outbox
  ADD COLUMN claimed_at          timestamptz,
  ADD COLUMN attempt_started_at  timestamptz;
ALTER TABLE email_outbox DROP CONSTRAINT email_outbox_status_check;
ALTER TABLE email_outbox ADD CONSTRAINT email_outbox_status_check
  CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'cancelled', 'unconfirmed'));
