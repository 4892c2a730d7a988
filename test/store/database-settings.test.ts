import { existsSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { loadConfig } from '../../src/config.js'
import { StartupProblem } from '../../src/errors.js'
import { openDatabase } from '../../src/store/database.js'
import { build, tempDir } from '../support/helper.js'

t.test('SQLITE_SYNCHRONOUS: NORMAL by default, FULL when asked (an fsync at each commit)', async (t) => {
  t.equal(loadConfig({}).sqliteSynchronous, 'NORMAL')
  t.equal(loadConfig({ SQLITE_SYNCHRONOUS: 'full' }).sqliteSynchronous, 'FULL')
  t.throws(() => loadConfig({ SQLITE_SYNCHRONOUS: 'off' }), /SQLITE_SYNCHRONOUS/, 'OFF, which can lose acknowledged writes to a killed process, is not offered')
  const dir = tempDir(t)
  const normal = await build(t, { databasePath: join(dir, 'normal.db') })
  t.equal(normal.store.db.pragma('synchronous', { simple: true }), 1, 'NORMAL')
  const full = await build(t, { databasePath: join(dir, 'full.db'), sqliteSynchronous: 'FULL' })
  t.equal(full.store.db.pragma('synchronous', { simple: true }), 2, 'FULL')
})

t.test('DATABASE_PATH under a folder that cannot be made answers at once, naming it (it hung under /proc)', async (t) => {
  t.throws(() => openDatabase('/proc/calypso-mock-nope/x.db'), { name: 'DatabaseOpenError', message: StartupProblem.folderNotWritable('/proc/calypso-mock-nope/x.db', '/proc') })
  const nested = join(tempDir(t), 'a', 'b', 'c.db')
  openDatabase(nested).close()
  t.ok(existsSync(nested), 'missing folders are still made')
})
