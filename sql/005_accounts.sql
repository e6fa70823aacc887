-- Premium accounts: users, refresh tokens, Stripe subscriptions, watchlists, Fantrax links and the audit log.

CREATE TABLE users (
  user_id        uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email          text NOT NULL UNIQUE,
  password_hash  text NOT NULL,
  tier           text NOT NULL DEFAULT 'free' CHECK (tier IN ('free', 'premium')),
  created_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE refresh_tokens (
  token_hash   text PRIMARY KEY,               -- sha256 of the token; the token itself is never stored
  user_id      uuid NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
  family_id    uuid NOT NULL,                  -- reuse of a rotated token revokes the whole family
  expires_at   timestamptz NOT NULL,
  revoked_at   timestamptz,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);

CREATE TABLE subscriptions (
  stripe_subscription_id  text PRIMARY KEY,
  user_id                 uuid NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
  stripe_customer_id      text NOT NULL,
  status                  text NOT NULL,
  current_period_end      timestamptz,
  updated_at              timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX subscriptions_user ON subscriptions (user_id);

CREATE TABLE stripe_events (
  event_id     text PRIMARY KEY,               -- each webhook event is handled once
  type         text NOT NULL,
  received_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE watchlists (
  user_id     uuid NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
  player_id   integer NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, player_id)
);

CREATE TABLE fantrax_links (
  user_id            uuid PRIMARY KEY REFERENCES users (user_id) ON DELETE CASCADE,
  secret_ciphertext  bytea NOT NULL,           -- AES-GCM; the Secret ID is a credential
  secret_iv          bytea NOT NULL,
  secret_tag         bytea NOT NULL,
  league_id          text,
  team_id            text,
  linked_at          timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE audit_log (
  audit_id   bigserial PRIMARY KEY,
  at         timestamptz NOT NULL DEFAULT now(),
  actor      text NOT NULL,                    -- user id, 'stripe', 'pipeline', ...
  action     text NOT NULL,
  subject    text,
  details    jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at ON audit_log (at);
