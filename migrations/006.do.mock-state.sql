-- Small facts the mock keeps about itself, e.g. how many times it started on this database
-- (a seeded id sequence starts anew at each start without repeating an earlier start's ids).
CREATE TABLE mock_state (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;
