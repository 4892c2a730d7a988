import { join } from 'node:path'
import t from 'tap'
import { buildApp } from '../../src/app.js'
import { testConfig } from '../../src/test-config.js'
import { openDatabase } from '../../src/store/database.js'
import { MigrationError, migrate, readMigrations } from '../../src/store/migrate.js'
import { tempDir } from '../support/helper.js'

t.test('migration files are numbered, named and applied in order, each once', async (t) => {
  const migrations = readMigrations()
  t.ok(migrations.length >= 4)
  t.same(migrations.map((m) => m.version), migrations.map((_, i) => i + 1), 'numbered 001, 002, ... without gaps')

  const db = openDatabase(':memory:')
  t.teardown(() => db.close())
  t.same(migrate(db), migrations.map((m) => m.version))
  t.same(migrate(db), [], 'nothing is applied twice')
  const recorded = db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all()
  t.same(recorded, migrations.map((m) => ({ version: m.version, name: m.name })))
})

t.test('a landed migration that was edited stops the start', async (t) => {
  const db = openDatabase(':memory:')
  t.teardown(() => db.close())
  const migrations = readMigrations()
  migrate(db, migrations)
  const edited = migrations.map((m) => m.version === 1 ? { ...m, checksum: 'edited' } : m)
  t.throws(() => migrate(db, edited), { name: 'MigrationError', message: /migration 1 \(accounts\) was edited/ })
  t.same(migrate(db, migrations), [], 'the files as they were still pass')
})

t.test('the app does not start on a database whose recorded migration differs from its file', async (t) => {
  const path = join(tempDir(t), 'mock.db')
  const db = openDatabase(path)
  migrate(db)
  db.prepare("UPDATE schema_migrations SET checksum = 'recorded-before-an-edit' WHERE version = 2").run()
  db.close()
  await t.rejects(buildApp(testConfig({ databasePath: path })), MigrationError)
  const reopened = openDatabase(path)
  t.teardown(() => reopened.close())
  t.equal(reopened.prepare('SELECT checksum FROM schema_migrations WHERE version = 2').pluck().get(), 'recorded-before-an-edit', 'and it changed nothing')
})

t.test('a failing migration leaves nothing half-applied', async (t) => {
  const db = openDatabase(':memory:')
  t.teardown(() => db.close())
  const broken = [{ version: 1, name: 'broken', sql: 'CREATE TABLE a (x INTEGER); CREATE TABLE a (y INTEGER);', checksum: 'c' }]
  t.throws(() => migrate(db, broken))
  t.equal(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'a'").pluck().get(), 0)
  t.equal(db.prepare('SELECT count(*) AS n FROM schema_migrations').pluck().get(), 0)
})
