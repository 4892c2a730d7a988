-- Webhook subscriptions, the events the mock emits, and the outbox of deliveries with every attempt.
-- An event and its deliveries are written in the same transaction as the change that caused them.
CREATE TABLE subscriptions (
  seq                        INTEGER PRIMARY KEY,
  account                    TEXT NOT NULL REFERENCES accounts (account),
  request_id                 TEXT NOT NULL,
  url                        TEXT NOT NULL,
  public_key                 TEXT NOT NULL,
  secret_key                 TEXT NOT NULL,
  notification_event_types   TEXT NOT NULL,  -- JSON array
  notification_service_types TEXT NOT NULL,  -- JSON array
  origin                     TEXT NOT NULL CHECK (origin IN ('api', 'config')),
  created_at                 TEXT NOT NULL,
  deleted_at                 TEXT
) STRICT;

CREATE UNIQUE INDEX subscriptions_live_request ON subscriptions (account, request_id) WHERE deleted_at IS NULL;

-- AUTOINCREMENT: event ids only ever grow, even after rows are deleted, so receivers can dedupe on them.
CREATE TABLE events (
  id             INTEGER PRIMARY KEY AUTOINCREMENT,
  account        TEXT NOT NULL REFERENCES accounts (account),
  event_type     TEXT NOT NULL,
  level          TEXT NOT NULL,
  customer_id    TEXT,
  purse_id       TEXT,
  transaction_id TEXT,
  data           TEXT NOT NULL,  -- JSON object
  created_at     TEXT NOT NULL
) STRICT;

CREATE INDEX events_by_transaction ON events (transaction_id, id);

CREATE TABLE deliveries (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id         INTEGER NOT NULL REFERENCES events (id),
  subscription_seq INTEGER NOT NULL REFERENCES subscriptions (seq),
  body             TEXT NOT NULL,  -- the exact bytes sent, serialised once and signed when sent
  status           TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed', 'cancelled')),
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_at  INTEGER,        -- ms since the epoch; set while pending
  redelivery_of    INTEGER REFERENCES deliveries (id),
  created_at       TEXT NOT NULL,
  completed_at     TEXT
) STRICT;

CREATE INDEX deliveries_due ON deliveries (status, next_attempt_at) WHERE status = 'pending';
CREATE INDEX deliveries_by_subscription ON deliveries (subscription_seq, id);
CREATE INDEX deliveries_by_event ON deliveries (event_id);

CREATE TABLE delivery_attempts (
  id          INTEGER PRIMARY KEY,
  delivery_id INTEGER NOT NULL REFERENCES deliveries (id),
  number      INTEGER NOT NULL,
  started_at  TEXT NOT NULL,
  duration_ms INTEGER NOT NULL,
  http_status INTEGER,
  error       TEXT,
  response    TEXT               -- the start of the receiver's answer, for debugging
) STRICT;

CREATE INDEX delivery_attempts_by_delivery ON delivery_attempts (delivery_id, number);
