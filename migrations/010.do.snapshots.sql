-- Named copies of one account's data (POST /_mock/snapshots), restored in one transaction.
-- A restore deletes the rows made since, puts back the rows changed since and re-inserts the rows
-- deleted since, finding each by its key: each snapshot_<table> is indexed on (snapshot_id, key).
-- Each snapshot_<table> holds the columns of <table> as they were, plus the snapshot they belong to;
-- a migration that adds a column to a copied table adds it here too (test/store checks they match).
CREATE TABLE snapshots (
  id         INTEGER PRIMARY KEY,
  account    TEXT NOT NULL REFERENCES accounts (account) ON DELETE CASCADE,
  name       TEXT NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (account, name)
) STRICT;

CREATE TABLE snapshot_customers (
  snapshot_id INTEGER NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,
  seq         INTEGER NOT NULL,
  id          TEXT NOT NULL,
  account     TEXT NOT NULL,
  email       TEXT,
  description TEXT,
  external_id TEXT,
  blocked     INTEGER NOT NULL,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX snapshot_customers_key ON snapshot_customers (snapshot_id, id);

CREATE TABLE snapshot_purses (
  snapshot_id     INTEGER NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,
  seq             INTEGER NOT NULL,
  id              TEXT NOT NULL,
  account         TEXT NOT NULL,
  customer_id     TEXT NOT NULL,
  network         TEXT NOT NULL,
  address         TEXT NOT NULL,
  status          TEXT NOT NULL,
  created_at      TEXT NOT NULL,
  last_deposit_at TEXT,
  expires_at      TEXT NOT NULL,
  currencies      TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX snapshot_purses_key ON snapshot_purses (snapshot_id, id);

CREATE TABLE snapshot_transactions (
  snapshot_id           INTEGER NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,
  seq                   INTEGER NOT NULL,
  id                    TEXT NOT NULL,
  account               TEXT NOT NULL,
  customer_id           TEXT NOT NULL,
  purse_id              TEXT NOT NULL,
  amount                REAL NOT NULL,
  currency              TEXT NOT NULL,
  address_from          TEXT NOT NULL,
  transaction_hash      TEXT,
  transaction_state     TEXT NOT NULL,
  compliance_state      TEXT NOT NULL,
  translation_completed INTEGER NOT NULL,
  outcome               TEXT NOT NULL,
  created_at            TEXT NOT NULL,
  step_every_ms         INTEGER,
  next_step_at          INTEGER
) STRICT;
CREATE UNIQUE INDEX snapshot_transactions_key ON snapshot_transactions (snapshot_id, id);

CREATE TABLE snapshot_subscriptions (
  snapshot_id                INTEGER NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,
  seq                        INTEGER NOT NULL,
  account                    TEXT NOT NULL,
  request_id                 TEXT NOT NULL,
  url                        TEXT NOT NULL,
  public_key                 TEXT NOT NULL,
  secret_key                 TEXT NOT NULL,
  notification_event_types   TEXT NOT NULL,
  notification_service_types TEXT NOT NULL,
  origin                     TEXT NOT NULL,
  created_at                 TEXT NOT NULL,
  deleted_at                 TEXT
) STRICT;
CREATE UNIQUE INDEX snapshot_subscriptions_key ON snapshot_subscriptions (snapshot_id, seq);

CREATE TABLE snapshot_events (
  snapshot_id    INTEGER NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,
  id             INTEGER NOT NULL,
  account        TEXT NOT NULL,
  event_type     TEXT NOT NULL,
  level          TEXT NOT NULL,
  customer_id    TEXT,
  purse_id       TEXT,
  transaction_id TEXT,
  data           TEXT NOT NULL,
  created_at     TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX snapshot_events_key ON snapshot_events (snapshot_id, id);

CREATE TABLE snapshot_deliveries (
  snapshot_id      INTEGER NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,
  id               INTEGER NOT NULL,
  event_id         INTEGER NOT NULL,
  subscription_seq INTEGER NOT NULL,
  body             TEXT NOT NULL,
  status           TEXT NOT NULL,
  attempts         INTEGER NOT NULL,
  next_attempt_at  INTEGER,
  redelivery_of    INTEGER,
  created_at       TEXT NOT NULL,
  completed_at     TEXT
) STRICT;
CREATE UNIQUE INDEX snapshot_deliveries_key ON snapshot_deliveries (snapshot_id, id);

CREATE TABLE snapshot_delivery_attempts (
  snapshot_id INTEGER NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,
  id          INTEGER NOT NULL,
  delivery_id INTEGER NOT NULL,
  number      INTEGER NOT NULL,
  started_at  TEXT NOT NULL,
  duration_ms INTEGER NOT NULL,
  http_status INTEGER,
  error       TEXT,
  response    TEXT,
  faults      TEXT
) STRICT;
CREATE UNIQUE INDEX snapshot_delivery_attempts_key ON snapshot_delivery_attempts (snapshot_id, delivery_id, number);

CREATE TABLE snapshot_account_clocks (
  snapshot_id INTEGER NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,
  account     TEXT NOT NULL,
  offset_ms   INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX snapshot_account_clocks_key ON snapshot_account_clocks (snapshot_id, account);

-- A restore deletes the deliveries made since: the foreign key redelivery_of is checked for each,
-- and without this index each check reads every delivery. A per-account reset gains the same.
CREATE INDEX deliveries_by_redelivery_of ON deliveries (redelivery_of) WHERE redelivery_of IS NOT NULL;
