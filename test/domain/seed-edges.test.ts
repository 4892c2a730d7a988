import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { buildApp } from '../../src/app.js'
import { createAccount } from '../../src/domain/accounts.js'
import { createCustomer } from '../../src/domain/customers.js'
import { applySeed, customerEntry, isEmpty, SeedEntryError } from '../../src/domain/seed.js'
import { Reason } from '../../src/errors.js'
import { seedData } from '../../src/schemas/seed.js'
import { testConfig } from '../../src/test-config.js'
import { build, tempDir } from '../support/helper.js'

type App = Awaited<ReturnType<typeof build>>

const SHOP_B = { account: '0x00000000000000000000000000000000000000b2', apiKey: 'shop-b-api-key', apiSecret: 'shop-b-api-secret' }
const SHOP_C = { account: '0x00000000000000000000000000000000000000c3', apiKey: 'shop-c-api-key', apiSecret: 'shop-c-api-secret' }
const ALICE = '0b6f2f8e-3c1a-4d7e-9b2a-5f4e3d2c1b0a'
const BOB = '7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f'

/** Seeds `input` (checked by the seed file's schema first, as the plugin does) into the app's database. */
const seed = (app: App, input: unknown) =>
  applySeed(app.domain, app.config.webhook, seedData.parse(input), app.config.accounts[0]!.account.toLowerCase())

const customerCount = (app: App) => app.domain.store.customers.listAll({ limit: 100, offset: 0 }).length

/** A storage failure that is not the mock's own refusal: SQLite refuses every insert into `table`. */
function failInserts (app: App, table: string): void {
  app.domain.store.db.exec(`CREATE TEMP TRIGGER refuse_${table} BEFORE INSERT ON ${table} BEGIN SELECT RAISE(ABORT, 'the disk refused ${table}'); END`)
}

t.test('customerEntry names a customer by its place, then its email, else its externalId, else nothing', async (t) => {
  t.equal(customerEntry(0, {}), 'customers[0]')
  t.equal(customerEntry(4, { email: undefined, externalId: undefined }), 'customers[4]')
  t.equal(customerEntry(3, { email: 'ann@example.com' }), 'customers[3] (ann@example.com)')
  t.equal(customerEntry(1, { externalId: 'ann-1' }), 'customers[1] (ann-1)')
  t.equal(customerEntry(2, { email: 'ann@example.com', externalId: 'ann-1' }), 'customers[2] (ann@example.com)', 'the email when both are given')
  t.equal(customerEntry(5, { email: '', externalId: 'ann-1' }), 'customers[5] (ann-1)', 'an empty email names nothing')
  t.equal(customerEntry(6, { email: '', externalId: '' }), 'customers[6]', 'nor does an empty externalId: no empty brackets')
})

t.test('isEmpty: only configured accounts and no customer; an account made at run time counts as data', async (t) => {
  const fresh = await build(t)
  t.ok(fresh.domain.store.accounts.list().length > 0, 'the configured accounts are in the store')
  t.equal(isEmpty(fresh.domain), true, 'a fresh database with its configured accounts is empty')

  const withAccount = await build(t)
  createAccount(withAccount.domain, withAccount.config.webhook, SHOP_B)
  t.equal(customerCount(withAccount), 0)
  t.equal(isEmpty(withAccount.domain), false, 'a run-time account, no customer: not empty')

  const withCustomer = await build(t)
  createCustomer(withCustomer.domain, withCustomer.config.accounts[0]!.account.toLowerCase(), { email: 'early@example.com' })
  t.equal(isEmpty(withCustomer.domain), false, 'a customer of a configured account: not empty')
})

t.test('a seed into an empty database says what it loaded', async (t) => {
  const app = await build(t)
  const result = seed(app, {
    accounts: [SHOP_B],
    customers: [{ id: ALICE, email: 'alice@example.com' }, { email: 'bob@example.com', account: SHOP_B.account }]
  })
  t.strictSame(result, { loaded: true, accounts: 1, customers: 2 })
  t.equal(customerCount(app), 2)
})

t.test('each seeded customer gets its account, its blocked flag and the purses listed, and no other', async (t) => {
  const app = await build(t)
  const main = app.config.accounts[0]!.account.toLowerCase()
  seed(app, {
    accounts: [SHOP_B],
    customers: [
      { id: ALICE, email: 'alice@example.com', purses: ['ETH', 'BTC'] },
      { id: BOB, email: 'bob@example.com', account: SHOP_B.account, blocked: true }
    ]
  })
  const { customers, purses } = app.domain.store
  t.match(customers.findById(main, ALICE), { id: ALICE, blocked: false }, 'without an account: the default one, not blocked')
  t.match(customers.findById(SHOP_B.account, BOB), { id: BOB, blocked: true }, 'its own account, blocked')
  t.same(purses.listByCustomer(ALICE).map((p) => p.currencies).sort(), [['BTC'], ['ETH']], 'one purse per currency listed')
  t.same(purses.listByCustomer(BOB), [], 'none when none is listed')
})

t.test('a customer of an account neither listed nor configured is refused, naming the account', async (t) => {
  const app = await build(t)
  t.throws(() => seed(app, { customers: [{ email: 'alice@example.com' }, { externalId: 'carol-1', account: SHOP_C.account }] }), {
    name: 'SeedEntryError',
    entry: 'customers[1] (carol-1)',
    message: `customers[1] (carol-1): ${Reason.seedAccountUnknown(SHOP_C.account)}`
  })
  t.equal(customerCount(app), 0, 'the first customer was rolled back')
})

t.test('a seed into a database holding data loads nothing and says so', async (t) => {
  const runtime = await build(t)
  createAccount(runtime.domain, runtime.config.webhook, SHOP_C)
  t.strictSame(seed(runtime, { accounts: [SHOP_B], customers: [{ email: 'alice@example.com' }] }), { loaded: false, accounts: 0, customers: 0 }, 'after a run-time account')
  t.equal(customerCount(runtime), 0, 'no customer was seeded')
  t.equal(runtime.domain.store.accounts.findByAccount(SHOP_B.account), undefined, 'no account was seeded')

  const customers = await build(t)
  createCustomer(customers.domain, customers.config.accounts[0]!.account.toLowerCase(), { email: 'early@example.com' })
  t.strictSame(seed(customers, { customers: [{ email: 'alice@example.com' }] }), { loaded: false, accounts: 0, customers: 0 }, 'after a customer')
  t.equal(customerCount(customers), 1, 'only the customer already there')
})

t.test('a refused entry throws a SeedEntryError naming the entry, without the catalog title, and nothing is kept', async (t) => {
  const app = await build(t)
  let thrown: unknown
  try {
    seed(app, {
      accounts: [SHOP_B],
      customers: [{ id: ALICE, email: 'alice@example.com' }, { id: ALICE.toUpperCase(), email: 'again@example.com' }]
    })
  } catch (err) {
    thrown = err
  }
  t.ok(thrown instanceof SeedEntryError, 'a SeedEntryError')
  t.ok(thrown instanceof Error, 'which is an Error')
  const err = thrown as SeedEntryError
  t.equal(err.name, 'SeedEntryError')
  t.equal(err.entry, 'customers[1] (again@example.com)')
  t.equal(err.message, `customers[1] (again@example.com): ${Reason.seedCustomerTwice(ALICE)}`, 'the id given twice, whatever its letter case')
  t.equal(customerCount(app), 0, 'the first customer was rolled back')
  t.equal(app.domain.store.accounts.findByAccount(SHOP_B.account), undefined, 'and the account')
  t.equal(isEmpty(app.domain), true, 'the database is as empty as before')
})

t.test('a refused account is named by its place and its account', async (t) => {
  const app = await build(t)
  const taken = { ...SHOP_C, apiKey: SHOP_B.apiKey }
  t.throws(() => seed(app, { accounts: [SHOP_B, taken] }), { name: 'SeedEntryError', entry: `accounts[1] (${SHOP_C.account})`, message: `accounts[1] (${SHOP_C.account}): ${Reason.apiKeyTaken}` })
  const configured = app.config.accounts[0]!
  const again = { account: configured.account, apiKey: 'another-api-key', apiSecret: 'another-api-secret' }
  t.throws(() => seed(app, { accounts: [again] }), { message: `accounts[0] (${configured.account}): ${Reason.accountExists(configured.account.toLowerCase())}` })
  t.equal(app.domain.store.accounts.findByAccount(SHOP_B.account), undefined, 'the first account was rolled back')
})

t.test('a refused deposit is named by its customer and its place in the customer\'s deposits', async (t) => {
  const app = await build(t)
  t.throws(() => seed(app, {
    customers: [{
      externalId: 'dee-1',
      deposits: [{ currency: 'BTC', amount: 1 }, { currency: 'BTC', amount: 1, outcome: 'DECLINED', stopAt: 'CONFIRMED' }]
    }]
  }), { name: 'SeedEntryError', message: `customers[0] (dee-1): deposits[1]: ${Reason.confirmedAfterDecline}` })
  t.equal(app.domain.store.transactions.listAll({ limit: 10, offset: 0 }).length, 0, 'the first deposit was rolled back')
})

t.test('a failure that is not the mock\'s own refusal reaches the caller as it was thrown', async (t) => {
  for (const [table, input] of [
    ['accounts', { accounts: [SHOP_B] }],
    ['customers', { customers: [{ email: 'alice@example.com' }] }],
    ['transactions', { customers: [{ email: 'alice@example.com', deposits: [{ currency: 'TRX', amount: 5 }] }] }]
  ] as const) {
    const app = await build(t)
    failInserts(app, table)
    t.throws(() => seed(app, input), { name: 'SqliteError', message: `the disk refused ${table}` }, `an insert into ${table}`)
    t.equal(isEmpty(app.domain), true, `nothing kept after the failed insert into ${table}`)
  }
})

t.test('a seed file with a refused account stops the start with the entry named', async (t) => {
  const dir = tempDir(t)
  const path = join(dir, 'accounts.json')
  writeFileSync(path, JSON.stringify({ accounts: [SHOP_B, { ...SHOP_C, apiKey: SHOP_B.apiKey }] }))
  await t.rejects(buildApp(testConfig({ seedFile: path })), { message: `SEED_FILE ${path}: accounts[1] (${SHOP_C.account}): ${Reason.apiKeyTaken}` })
})
