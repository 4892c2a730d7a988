import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'

export type Db = Database.Database

export function isInMemory (path: string): boolean {
  return path === ':memory:' || path.startsWith('file::memory:')
}

/** Opens the database (creating its folder on demand) with the pragmas the mock relies on. */
export function openDatabase (path: string): Db {
  if (!isInMemory(path)) mkdirSync(dirname(path), { recursive: true })
  const db = new Database(path)
  // WAL lets readers run beside the writer; NORMAL keeps every commit safe against a killed
  // process (only a power cut can lose the last commits), at a fraction of FULL's fsyncs.
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = NORMAL')
  db.pragma('foreign_keys = ON')
  db.pragma('busy_timeout = 5000')
  return db
}
