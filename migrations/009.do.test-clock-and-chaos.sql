-- The test clock: an account's time runs offset_ms ahead of the machine's (POST /_mock/clock/advance).
-- No row is an offset of 0. A snapshot copies these rows with the account's data.
CREATE TABLE account_clocks (
  account   TEXT PRIMARY KEY REFERENCES accounts (account),
  offset_ms INTEGER NOT NULL CHECK (offset_ms >= 0)
) STRICT;

-- The injected webhook faults an attempt was made under: a JSON array of {id, kind}; NULL for none.
ALTER TABLE delivery_attempts ADD COLUMN faults TEXT;

-- A deposit whose later steps wait on time: the next step is due at next_step_at (ms since the
-- epoch on the account's clock), each step step_every_ms after the one before; NULL when not waiting.
ALTER TABLE transactions ADD COLUMN step_every_ms INTEGER;
ALTER TABLE transactions ADD COLUMN next_step_at INTEGER;
CREATE INDEX transactions_waiting ON transactions (next_step_at) WHERE next_step_at IS NOT NULL;
CREATE INDEX purses_expiring ON purses (account, expires_at) WHERE status = 'PENDING_PAYMENT';
