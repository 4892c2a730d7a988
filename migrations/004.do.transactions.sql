CREATE TABLE transactions (
  seq                   INTEGER PRIMARY KEY,
  id                    TEXT NOT NULL UNIQUE,
  account               TEXT NOT NULL REFERENCES accounts (account),
  customer_id           TEXT NOT NULL REFERENCES customers (id),
  purse_id              TEXT NOT NULL REFERENCES purses (id),
  amount                REAL NOT NULL CHECK (amount > 0),
  currency              TEXT NOT NULL,
  address_from          TEXT NOT NULL,
  transaction_hash      TEXT,
  transaction_state     TEXT NOT NULL CHECK (transaction_state IN ('MEM_POOL_FOUND', 'PENDING_COMPLIANCE_CHECK', 'DECLINED', 'CONFIRMED')),
  compliance_state      TEXT NOT NULL CHECK (compliance_state IN ('UNCHECKED', 'IN_PROGRESS', 'DECLINE', 'CHECKED')),
  translation_completed INTEGER NOT NULL DEFAULT 0 CHECK (translation_completed IN (0, 1)),
  outcome               TEXT NOT NULL DEFAULT 'CONFIRMED' CHECK (outcome IN ('CONFIRMED', 'DECLINED')),
  created_at            TEXT NOT NULL
) STRICT;

CREATE INDEX transactions_by_account ON transactions (account, seq);
CREATE INDEX transactions_by_customer ON transactions (customer_id, seq);
