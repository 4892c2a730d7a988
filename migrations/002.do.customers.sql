CREATE TABLE customers (
  seq         INTEGER PRIMARY KEY,
  id          TEXT NOT NULL UNIQUE,
  account     TEXT NOT NULL REFERENCES accounts (account),
  email       TEXT,
  description TEXT,
  external_id TEXT,
  blocked     INTEGER NOT NULL DEFAULT 0 CHECK (blocked IN (0, 1)),
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
) STRICT;

CREATE INDEX customers_by_account ON customers (account, seq);
