import { chmodSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { buildApp } from '../../src/app.js'
import { testConfig } from '../../src/test-config.js'
import { StartupProblem } from '../../src/errors.js'
import { openStore } from '../../src/store/open-store.js'
import { tempDir } from '../support/helper.js'

const NOBODY = 65534

/**
 * Runs `work` without root's right to write anywhere: as uid/gid 65534 when the tests run as root
 * (as in a container), else as the user they run as. Synchronous, so nothing else runs meanwhile.
 */
function withoutRoot<T> (work: () => T): T {
  if (process.getuid === undefined || process.getuid() !== 0 || process.seteuid === undefined || process.setegid === undefined) return work()
  process.setegid(NOBODY)
  process.seteuid(NOBODY)
  try {
    return work()
  } finally {
    process.seteuid(0)
    process.setegid(0)
  }
}

function dirFor (t: Parameters<typeof tempDir>[0]): string {
  const dir = tempDir(t)
  chmodSync(dir, 0o777)
  return dir
}

t.test('a second instance on the same file fails at once, naming the file and who holds it', async (t) => {
  const path = join(dirFor(t), 'mock.db')
  const first = await buildApp(testConfig({ databasePath: path }))
  t.teardown(() => first.close())
  await t.rejects(buildApp(testConfig({ databasePath: path })), { message: StartupProblem.databaseHeld(path) })
})

t.test('a read-only database file: named, with the cause', async (t) => {
  const path = join(dirFor(t), 'mock.db')
  openStore(path).db.close()
  chmodSync(path, 0o444)
  t.throws(() => withoutRoot(() => openStore(path)), { message: StartupProblem.fileReadOnly(path) })
})

t.test('a read-only folder: named, with the cause, whether or not the file exists', async (t) => {
  const dir = join(dirFor(t), 'read-only')
  mkdirSync(dir)
  const existing = join(dir, 'existing.db')
  openStore(existing).db.close()
  chmodSync(existing, 0o666)
  chmodSync(dir, 0o555)
  t.throws(() => withoutRoot(() => openStore(join(dir, 'new.db'))), { message: StartupProblem.folderNotWritable(join(dir, 'new.db'), dir) })
  t.throws(() => withoutRoot(() => openStore(existing)), { message: StartupProblem.folderNotWritable(existing, dir) })
  const nested = join(dir, 'sub', 'mock.db')
  t.throws(() => withoutRoot(() => openStore(nested)), { message: StartupProblem.folderNotWritable(nested, dir) }, 'a folder that cannot be created: its writable-less parent is named')
})

t.test('every message names DATABASE_PATH and the path', async (t) => {
  for (const message of [StartupProblem.databaseHeld('/d/m.db'), StartupProblem.fileReadOnly('/d/m.db'), StartupProblem.folderNotWritable('/d/m.db', '/d'), StartupProblem.cannotOpen('/d/m.db', 'x')]) {
    t.match(message, /^DATABASE_PATH=\/d\/m\.db: /)
  }
})
