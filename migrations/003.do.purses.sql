-- One active purse per customer and currency. Currencies of one address family (EVM, Tron, ...)
-- share the customer's address, as Calypso's multi-currency addresses do.
CREATE TABLE purses (
  seq             INTEGER PRIMARY KEY,
  id              TEXT NOT NULL UNIQUE,
  account         TEXT NOT NULL REFERENCES accounts (account),
  customer_id     TEXT NOT NULL REFERENCES customers (id),
  currency        TEXT NOT NULL,
  network         TEXT NOT NULL,
  address         TEXT NOT NULL,
  status          TEXT NOT NULL CHECK (status IN ('PENDING_PAYMENT', 'ARCHIVED', 'DECLINED')),
  created_at      TEXT NOT NULL,
  last_deposit_at TEXT,
  expires_at      TEXT NOT NULL
) STRICT;

CREATE UNIQUE INDEX purses_one_active ON purses (customer_id, currency) WHERE status = 'PENDING_PAYMENT';
CREATE INDEX purses_by_customer ON purses (customer_id, seq);
CREATE INDEX purses_by_address ON purses (address, currency);
