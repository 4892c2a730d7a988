import t, { type Test } from 'tap'
import { openDatabase } from '../../src/store/database.js'
import { createCommitLog } from '../../src/store/commit-log.js'
import { createGroupCommit } from '../../src/store/group-commit.js'

function setUp (t: Test) {
  const db = openDatabase(':memory:')
  t.teardown(() => db.close())
  db.exec('CREATE TABLE rows (value TEXT NOT NULL)')
  const insert = db.prepare('INSERT INTO rows (value) VALUES (?)')
  const values = () => db.prepare('SELECT value FROM rows ORDER BY rowid').pluck().all()
  return { db, insert, values, write: createGroupCommit(db) }
}

t.test('writes of one turn share a transaction, each in its own savepoint', async (t) => {
  const { db, insert, values, write } = setUp(t)
  let inTransaction = false
  const results = await Promise.allSettled([
    write(() => { insert.run('a'); inTransaction = db.inTransaction; return 1 }),
    write(() => { insert.run('b'); throw new Error('refused') }),
    write(() => { insert.run('c'); return 3 })
  ])
  t.ok(inTransaction, 'the work ran inside a transaction')
  t.match(results, [{ status: 'fulfilled', value: 1 }, { status: 'rejected', reason: { message: 'refused' } }, { status: 'fulfilled', value: 3 }])
  t.same(values(), ['a', 'c'], 'only the failed write was rolled back')
  t.notOk(db.inTransaction, 'and everything is committed when the promises settle')
})

t.test('a write resolves only after its commit', async (t) => {
  const { db, insert, write } = setUp(t)
  await write(() => insert.run('x'))
  t.notOk(db.inTransaction)
  t.equal(db.prepare('SELECT count(*) FROM rows').pluck().get(), 1)
})

t.test('a failed commit rejects every write of the batch', async (t) => {
  const { db, insert, values, write } = setUp(t)
  // A deferred constraint that fails at COMMIT: foreign keys checked at the end of the transaction.
  db.exec('PRAGMA foreign_keys = ON; CREATE TABLE parent (id INTEGER PRIMARY KEY); CREATE TABLE child (p INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)')
  const results = await Promise.allSettled([
    write(() => insert.run('kept?')),
    write(() => db.prepare('INSERT INTO child (p) VALUES (42)').run())
  ])
  t.same(results.map((r) => r.status), ['rejected', 'rejected'])
  t.same(values(), [], 'nothing of the batch was kept')
})

t.test('the on-commit hook hears a group\'s changes once, after commit and before any writer is answered', async (t) => {
  const db = openDatabase(':memory:')
  t.teardown(() => db.close())
  db.exec('CREATE TABLE rows (value TEXT NOT NULL)')
  const insert = db.prepare('INSERT INTO rows (value) VALUES (?)')
  const log = createCommitLog(db)
  const write = createGroupCommit(db, log)
  const heard: Array<{ changes: string[], committed: boolean, answered: number }> = []
  let answered = 0
  log.onCommit((changes) => {
    heard.push({ changes: changes.map((c) => (c as { account: string }).account), committed: !db.inTransaction, answered })
  })
  const note = (value: string) => log.note({ kind: 'account', account: value })
  const results = await Promise.allSettled([
    write(() => { insert.run('a'); note('a') }).then(() => { answered++ }),
    write(() => { insert.run('b'); note('b'); throw new Error('refused') }),
    // A savepoint inside a write that is rolled back and caught: its note goes with it.
    write(() => {
      try { log.transaction(() => { note('inner'); throw new Error('inner refused') }) } catch {}
      note('c')
    }).then(() => { answered++ })
  ])
  t.same(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled'])
  t.same(heard, [{ changes: ['a', 'c'], committed: true, answered: 0 }], 'one call, after commit, with only what was kept')

  // A transaction outside the group commit is heard as soon as it commits; a failed one never.
  log.transaction(() => note('alone'))
  t.throws(() => log.transaction(() => { note('lost'); throw new Error('no') }))
  t.same(heard.slice(1).map((h) => h.changes), [['alone']])
})
