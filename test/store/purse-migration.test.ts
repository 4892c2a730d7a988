import t from 'tap'
import { openDatabase, type Db } from '../../src/store/database.js'
import { migrate, readMigrations } from '../../src/store/migrate.js'
import { createStore } from '../../src/store/open-store.js'

const ACCOUNT = '0xca11ab1e00000000000000000000000000000001'
const PURSE_PER_ADDRESS = 7
const day = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * 24 * 3600 * 1000).toISOString()
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`

/** A database as migrations 001-006 left it: one purse row per customer and currency. */
function databaseOfOneRowPerCurrency (): Db {
  const db = openDatabase(':memory:')
  migrate(db, readMigrations().filter((m) => m.version < PURSE_PER_ADDRESS))
  db.prepare("INSERT INTO accounts VALUES (?, 'key-0000001', 'secret-0000001', 'config', ?)").run(ACCOUNT, day(0))
  const customer = db.prepare('INSERT INTO customers (id, account, created_at, updated_at) VALUES (?, ?, ?, ?)')
  customer.run(uuid(101), ACCOUNT, day(0), day(0))
  customer.run(uuid(102), ACCOUNT, day(0), day(0))
  const purse = db.prepare(`INSERT INTO purses (seq, id, account, customer_id, currency, network, address, status, created_at, last_deposit_at, expires_at)
    VALUES (@seq, @id, '${ACCOUNT}', @customer, @currency, @network, @address, @status, @created, @deposit, @expires)`)
  const rows = [
    // Tron address T1: TRX expired, then USDT_TRX and a new TRX purse were handed the same address.
    { seq: 1, customer: uuid(101), currency: 'TRX', network: 'tron', address: 'T1', status: 'ARCHIVED', created: day(0), deposit: null, expires: day(30) },
    { seq: 2, customer: uuid(101), currency: 'USDT_TRX', network: 'tron', address: 'T1', status: 'PENDING_PAYMENT', created: day(10), deposit: day(20), expires: day(385) },
    { seq: 4, customer: uuid(101), currency: 'TRX', network: 'tron', address: 'T1', status: 'PENDING_PAYMENT', created: day(31), deposit: null, expires: day(61) },
    // EVM address E1, declined through its USDT_BSC purse.
    { seq: 3, customer: uuid(101), currency: 'ETH', network: 'evm', address: 'E1', status: 'DECLINED', created: day(5), deposit: null, expires: day(35) },
    { seq: 5, customer: uuid(101), currency: 'USDT_BSC', network: 'evm', address: 'E1', status: 'DECLINED', created: day(6), deposit: null, expires: day(36) },
    // Another customer's single BTC purse.
    { seq: 6, customer: uuid(102), currency: 'BTC', network: 'bitcoin', address: 'B1', status: 'ARCHIVED', created: day(1), deposit: null, expires: day(31) }
  ]
  for (const row of rows) purse.run({ ...row, id: uuid(row.seq) })
  const transaction = db.prepare(`INSERT INTO transactions (id, account, customer_id, purse_id, amount, currency, address_from, transaction_state, compliance_state, created_at)
    VALUES (?, '${ACCOUNT}', ?, ?, 1, ?, 'sender', 'CONFIRMED', 'CHECKED', ?)`)
  transaction.run(uuid(201), uuid(101), uuid(2), 'USDT_TRX', day(20))
  transaction.run(uuid(202), uuid(101), uuid(5), 'USDT_BSC', day(7))
  const event = db.prepare(`INSERT INTO events (account, event_type, level, customer_id, purse_id, transaction_id, data, created_at)
    VALUES ('${ACCOUNT}', ?, 'INFO', ?, ?, ?, ?, ?)`)
  event.run('CUSTOMER_PURSE_EXPIRED', uuid(101), uuid(1), null, JSON.stringify({ purseId: uuid(1) }), day(30))
  event.run('CUSTOMER_PURSE_COMPLIANCE_DECLINED', uuid(101), uuid(5), uuid(202), JSON.stringify({ purseId: uuid(5) }), day(7))
  return db
}

t.test('the migration folds one address\'s per-currency rows into one purse that keeps the oldest id', async (t) => {
  const db = databaseOfOneRowPerCurrency()
  t.teardown(() => db.close())
  t.same(migrate(db), readMigrations().map((m) => m.version).filter((v) => v >= PURSE_PER_ADDRESS), 'this migration and the later ones ran')

  const purses = createStore(db).purses
  t.same(purses.listByCustomer(uuid(101)).map(({ account: _a, customerId: _c, ...p }) => p), [
    { id: uuid(1), network: 'tron', address: 'T1', currencies: ['TRX', 'USDT_TRX'], status: 'PENDING_PAYMENT', createdDate: day(0), expiryDate: day(385) },
    { id: uuid(3), network: 'evm', address: 'E1', currencies: ['ETH', 'USDT_BSC'], status: 'DECLINED', createdDate: day(5), expiryDate: day(36) }
  ], 'active if any row was, declined if any row was; the latest expiry of that status; currencies in first-use order')
  t.same(purses.listByCustomer(uuid(102)).map((p) => [p.id, p.currencies, p.status, p.expiryDate]), [[uuid(6), ['BTC'], 'ARCHIVED', day(31)]], 'a lone row is kept as it was')
  t.equal(db.prepare('SELECT last_deposit_at FROM purses WHERE id = ?').pluck().get(uuid(1)), day(20))

  t.same(db.prepare('SELECT id, purse_id FROM transactions ORDER BY id').all(), [{ id: uuid(201), purse_id: uuid(1) }, { id: uuid(202), purse_id: uuid(3) }], 'transactions point at the kept purse')
  t.same(db.prepare('SELECT purse_id, data FROM events ORDER BY id').all(), [
    { purse_id: uuid(1), data: JSON.stringify({ purseId: uuid(1) }) },
    { purse_id: uuid(3), data: JSON.stringify({ purseId: uuid(5) }) }
  ], 'events point at the kept purse; their data stays as it was sent')
  t.same(db.pragma('foreign_key_check'), [], 'no reference is left dangling')
  t.notOk((db.pragma('table_info(purses)') as Array<{ name: string }>).some((c) => c.name === 'currency'), 'purses have no currency column')
})

t.test('after the migration a customer has one active address per chain family, and an address one purse', async (t) => {
  const db = databaseOfOneRowPerCurrency()
  t.teardown(() => db.close())
  migrate(db)
  const purses = createStore(db).purses
  const base = { account: ACCOUNT, customerId: uuid(101), currency: 'USDC_TRX' as const, network: 'tron' as const, now: day(40), expiresAt: day(70) }
  t.throws(() => purses.create({ ...base, id: uuid(301), address: 'T2' }), { code: 'SQLITE_CONSTRAINT_UNIQUE' }, 'a second active Tron address')
  t.throws(() => purses.create({ ...base, id: uuid(302), customerId: uuid(102), address: 'T1' }), { code: 'SQLITE_CONSTRAINT_UNIQUE' }, 'an address reused')
  t.same(purses.findActive(uuid(101), 'USDC_TRX')?.id, uuid(1), 'the folded purse serves the whole family')
})
