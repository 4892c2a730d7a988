import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, rmdirSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import Database from 'better-sqlite3'
import { StartupProblem } from '../errors.js'

export type Db = Database.Database

export function isInMemory (path: string): boolean {
  return path === ':memory:' || path.startsWith('file::memory:')
}

/** A database the server cannot start on; the message names DATABASE_PATH, the path and the cause. */
export class DatabaseOpenError extends Error {
  override name = 'DatabaseOpenError'
}

/** Whether this process may write there, tried rather than asked: access(2) answers for the real uid, not the effective one. */
function writable (path: string): boolean {
  try {
    if (statSync(path).isDirectory()) rmdirSync(mkdtempSync(join(path, '.calypso-mock-probe-')))
    else closeSync(openSync(path, 'r+'))
    return true
  } catch {
    return false
  }
}

/** The folder that stops SQLite: the database's own, or its nearest existing parent when it is missing. */
function existingFolder (path: string): string {
  let dir = dirname(path)
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir)
  return dir
}

/** Creates the missing folders of `dir`, outermost first; a recursive mkdir never returns under /proc (Node 20 to 24). */
function makeFolders (dir: string): void {
  const missing: string[] = []
  for (let d = dir; !existsSync(d) && dirname(d) !== d; d = dirname(d)) missing.unshift(d)
  for (const folder of missing) mkdirSync(folder)
}

/** Names what SQLite's or mkdir's error means: "database is locked" or "disk I/O error" name nothing. */
function describeOpenFailure (path: string, err: unknown): DatabaseOpenError {
  const code = String((err as { code?: unknown }).code ?? '')
  if (code.startsWith('SQLITE_BUSY')) return new DatabaseOpenError(StartupProblem.databaseHeld(path))
  const dir = existingFolder(path)
  if (!writable(dir)) return new DatabaseOpenError(StartupProblem.folderNotWritable(path, dir))
  if (existsSync(path) && !writable(path)) return new DatabaseOpenError(StartupProblem.fileReadOnly(path))
  return new DatabaseOpenError(StartupProblem.cannotOpen(path, err instanceof Error ? err.message : String(err)))
}

/** Opens the database (creating its folder on demand) with the pragmas the mock relies on. */
/** SQLITE_SYNCHRONOUS: NORMAL survives a killed process, FULL also an OS crash or a power cut. */
export type Synchronous = 'NORMAL' | 'FULL'

export function openDatabase (path: string, synchronous: Synchronous = 'NORMAL'): Db {
  if (isInMemory(path)) return configure(new Database(path), synchronous)
  let db: Db | undefined
  try {
    makeFolders(dirname(path))
    // No busy wait: the file is locked only by another instance, which keeps it until it stops.
    db = new Database(path, { timeout: 0 })
    return configure(db, synchronous)
  } catch (err) {
    db?.close()
    throw describeOpenFailure(path, err)
  }
}

function configure (db: Db, synchronous: Synchronous): Db {
  // One process owns the file: an exclusive lock spares every transaction its file-lock calls and
  // keeps the WAL index in memory. Other programs can read the file once the mock has stopped.
  db.pragma('locking_mode = EXCLUSIVE')
  // WAL appends each commit; NORMAL keeps every commit safe against a killed process (only a power
  // cut can lose the last commits), at a fraction of FULL's fsyncs.
  db.pragma('journal_mode = WAL')
  // 8 MB: a snapshot's restore reads an account's rows and their copies, and with SQLite's default
  // 2 MB it took 35-57 ms where it takes 28-30. The cache is memory the server keeps after a burst
  // (glibc does not give freed pages back): about 6 MB more than the default (docs/benchmarks.md).
  db.pragma('cache_size = -8192')
  // A checkpoint copies each page changed since the last one back into the file once: every 10 000
  // pages (about 40 MB) instead of SQLite's 1 000, a hot index page is copied once where it was
  // copied ten times, and a request waits on a checkpoint a tenth as often (create p99 11 -> 7 ms).
  db.pragma('wal_autocheckpoint = 10000')
  db.pragma('journal_size_limit = 67108864')
  // FULL adds an fsync of the WAL at each commit (SQLITE_SYNCHRONOUS; its cost: npm run bench).
  db.pragma(`synchronous = ${synchronous}`)
  db.pragma('foreign_keys = ON')
  db.pragma('busy_timeout = 5000')
  return db
}
