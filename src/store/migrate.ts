import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { StartupProblem } from '../errors.js'
import { packageRoot, packageVersion } from '../package-root.js'
import type { Db } from './database.js'

/** `migrations/` sits at the package root. */
export const MIGRATIONS_DIR = join(packageRoot(), 'migrations')

const FILE_NAME = /^(\d{3})\.do\.([a-z0-9-]+)\.sql$/

export interface Migration {
  version: number
  name: string
  sql: string
  checksum: string
}

export function readMigrations (dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .map((file) => ({ file, match: FILE_NAME.exec(file) }))
    .filter((entry): entry is { file: string, match: RegExpExecArray } => entry.match !== null)
    .map(({ file, match }) => {
      const sql = readFileSync(`${dir}/${file}`, 'utf8')
      return {
        version: Number(match[1]),
        name: match[2] as string,
        sql,
        checksum: createHash('sha256').update(sql).digest('hex')
      }
    })
    .sort((a, b) => a.version - b.version)
}

export class MigrationError extends Error {
  override name = 'MigrationError'
}

/** The tables the migrations create, some only for a while, and their record: all a database of the mock holds. */
function ownTables (migrations: readonly Migration[]): Set<string> {
  const names = migrations.flatMap((m) => [...m.sql.matchAll(/CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?["`]?(\w+)/gi)].map((match) => (match[1] as string).toLowerCase()))
  return new Set([...names, 'schema_migrations'])
}

/**
 * Stops the start on a database the mock did not make, before anything is written to it: one with
 * a table no migration creates, one with tables but no record of migrations, or one that records a
 * migration this version does not know (made by a newer calypso-mock). An empty file is the mock's.
 */
export function refuseForeignDatabase (db: Db, path: string, migrations: readonly Migration[]): void {
  const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name").pluck().all() as string[]
  if (tables.length === 0) return
  const own = ownTables(migrations)
  const foreign = tables.filter((name) => !own.has(name.toLowerCase()))
  if (foreign.length > 0) throw new MigrationError(StartupProblem.foreignTables(path, foreign))
  if (!tables.includes('schema_migrations')) throw new MigrationError(StartupProblem.noMigrationRecord(path, tables))
  const known = new Set(migrations.map((m) => m.version))
  const unknown = (db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all() as Array<{ version: number, name: string }>)
    .find((row) => !known.has(row.version))
  if (unknown !== undefined) throw new MigrationError(StartupProblem.unknownMigration(path, unknown.version, unknown.name, packageVersion()))
}

/**
 * Applies every migration not yet recorded, in order, each in its own transaction. A recorded
 * migration whose file has changed stops the start: landed migrations are never edited.
 */
export function migrate (db: Db, migrations = readMigrations()): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    checksum   TEXT NOT NULL,
    applied_at TEXT NOT NULL
  ) STRICT`)
  const applied = new Map(
    (db.prepare('SELECT version, checksum FROM schema_migrations').all() as Array<{ version: number, checksum: string }>)
      .map((row) => [row.version, row.checksum])
  )
  const record = db.prepare('INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)')
  const done: number[] = []
  for (const migration of migrations) {
    const checksum = applied.get(migration.version)
    if (checksum !== undefined) {
      if (checksum !== migration.checksum) {
        throw new MigrationError(`migration ${migration.version} (${migration.name}) was edited after it was applied; add a new migration instead`)
      }
      continue
    }
    db.transaction(() => {
      db.exec(migration.sql)
      record.run(migration.version, migration.name, migration.checksum, new Date().toISOString())
    })()
    done.push(migration.version)
  }
  return done
}
