-- Merchant accounts and their API key pairs. Accounts from the configuration are written at
-- every start; accounts created at run time (origin 'runtime') live until deleted.
CREATE TABLE accounts (
  account    TEXT PRIMARY KEY,
  api_key    TEXT NOT NULL UNIQUE,
  api_secret TEXT NOT NULL,
  origin     TEXT NOT NULL CHECK (origin IN ('config', 'runtime')),
  created_at TEXT NOT NULL
) STRICT;
