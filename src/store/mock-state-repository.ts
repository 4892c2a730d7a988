import type { Db } from './database.js'

/** The mock's own counters, kept beside the data (table mock_state). */
export function createMockStateRepository (db: Db) {
  const getStarts = db.prepare<[], string>("SELECT value FROM mock_state WHERE key = 'starts'").pluck()
  const setStarts = db.prepare<[string]>("INSERT INTO mock_state (key, value) VALUES ('starts', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
  const journalMode = db.prepare<[], string>('PRAGMA journal_mode').pluck()
  return {
    /** Counts this start and returns how many starts the database has seen, this one included. */
    countStart (): number {
      return db.transaction(() => {
        const next = Number(getStarts.get() ?? 0) + 1
        setStarts.run(String(next))
        return next
      })()
    },
    journalMode: (): string => journalMode.get() ?? 'unknown'
  }
}
