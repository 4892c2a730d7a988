import { join } from 'node:path'
import Database from 'better-sqlite3'
import t from 'tap'
import { StartupProblem } from '../../src/errors.js'
import { packageVersion } from '../../src/package-root.js'
import { openStore } from '../../src/store/open-store.js'
import { tempDir } from '../support/helper.js'

/** A SQLite file made by someone else, and the tables it holds. */
function makeFile (t: Parameters<typeof tempDir>[0], sql: string): string {
  const path = join(tempDir(t), 'other.db')
  const db = new Database(path)
  db.exec(sql)
  db.close()
  return path
}

function tablesOf (path: string): string[] {
  const db = new Database(path, { readonly: true })
  try {
    return db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").pluck().all() as string[]
  } finally {
    db.close()
  }
}

t.test('a file with a table the mock does not create is refused, naming DATABASE_PATH and the table; nothing is added', async (t) => {
  const path = makeFile(t, 'CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes (text) VALUES (\'mine\')')
  t.throws(() => openStore(path), { name: 'MigrationError', message: StartupProblem.foreignTables(path, ['notes']) })
  t.same(tablesOf(path), ['notes'], 'the file is as it was')
})

t.test('a file with a customers table of its own is refused saying so, not with "table customers already exists"', async (t) => {
  const path = makeFile(t, 'CREATE TABLE customers (id TEXT PRIMARY KEY, name TEXT)')
  t.throws(() => openStore(path), { message: StartupProblem.noMigrationRecord(path, ['customers']) })
  t.same(tablesOf(path), ['customers'])
})

t.test('a database that records a migration this version does not know is refused: a newer calypso-mock made it', async (t) => {
  const dir = tempDir(t)
  const path = join(dir, 'newer.db')
  openStore(path).db.close()
  const db = new Database(path)
  db.prepare('INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (999, \'from-the-future\', \'x\', \'2030-01-01T00:00:00.000Z\')').run()
  db.close()
  t.throws(() => openStore(path), { message: StartupProblem.unknownMigration(path, 999, 'from-the-future', packageVersion()) })
})

t.test('an empty file, and the mock\'s own database, open as before', async (t) => {
  const empty = makeFile(t, '')
  const store = openStore(empty)
  store.db.close()
  const again = openStore(empty)
  t.ok(again.accounts.list() !== undefined, 'its own database reopens')
  again.db.close()
})
