import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { buildApp } from '../../src/app.js'
import { testConfig } from '../../src/test-config.js'
import { build, createCustomer, signedPost, tempDir } from '../support/helper.js'

const SHOP_B = { account: '0x00000000000000000000000000000000000000b2', apiKey: 'shop-b-api-key', apiSecret: 'shop-b-api-secret' }

const YAML_SEED = `
accounts:
  - account: "${SHOP_B.account}"
    apiKey: ${SHOP_B.apiKey}
    apiSecret: ${SHOP_B.apiSecret}
customers:
  - id: 0b6f2f8e-3c1a-4d7e-9b2a-5f4e3d2c1b0a
    email: alice@example.com
    externalId: alice-1
    purses: [ETH]
    deposits:
      - { currency: USDT_TRX, amount: 125.5 }
  - email: bob@example.com
    account: "${SHOP_B.account}"
    blocked: true
    deposits:
      - { currency: BTC, amount: 0.1, outcome: DECLINED }
      - { currency: ETH, amount: 1, stopAt: PENDING_COMPLIANCE_CHECK }
`

function seedFile (dir: string, name: string, text: string): string {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}

async function stored (app: Awaited<ReturnType<typeof build>>) {
  const { customers } = (await app.inject({ method: 'GET', url: '/_mock/customers' })).json() as { customers: Array<{ id: string, email: string, account: string, blocked: boolean }> }
  const { transactions } = (await app.inject({ method: 'GET', url: '/_mock/transactions' })).json() as { transactions: Array<{ customerId: string, currency: string, transactionState: string, translationToAccountCompleted: boolean }> }
  return { customers, transactions }
}

t.test('a YAML seed loads accounts, customers (blocked or not), purses and deposits through the domain', async (t) => {
  const dir = tempDir(t)
  const app = await build(t, { seedFile: seedFile(dir, 'seed.yaml', YAML_SEED) })
  const { customers, transactions } = await stored(app)
  t.match(customers, [
    { email: 'bob@example.com', account: SHOP_B.account, blocked: true },
    { id: '0b6f2f8e-3c1a-4d7e-9b2a-5f4e3d2c1b0a', email: 'alice@example.com', account: app.config.accounts[0]!.account, blocked: false }
  ])
  const bob = customers[0]!.id
  t.match(transactions, [
    { customerId: bob, currency: 'ETH', transactionState: 'PENDING_COMPLIANCE_CHECK' },
    { customerId: bob, currency: 'BTC', transactionState: 'DECLINED' },
    { customerId: '0b6f2f8e-3c1a-4d7e-9b2a-5f4e3d2c1b0a', currency: 'USDT_TRX', transactionState: 'CONFIRMED', translationToAccountCompleted: true }
  ])
  const purses = (await app.inject({ method: 'GET', url: '/_mock/purses?customerId=0b6f2f8e-3c1a-4d7e-9b2a-5f4e3d2c1b0a' })).json() as { purses: Array<{ currencies: string[] }> }
  t.same(purses.purses.map((p) => p.currencies), [['ETH'], ['USDT_TRX']], 'one purse per address: the EVM one asked for, the TRON one made by the deposit')
  const res = await signedPost(app, 'customer-purse/customer/create', { email: 'new@example.com' }, { as: SHOP_B })
  t.equal(res.statusCode, 200, 'the seeded account signs with its seeded keys')
})

t.test('seeding is idempotent across restarts: a database with data is left as it is', async (t) => {
  const dir = tempDir(t)
  const config = testConfig({ databasePath: join(dir, 'mock.db'), seedFile: seedFile(dir, 'seed.json', JSON.stringify({ customers: [{ email: 'once@example.com', deposits: [{ currency: 'TRX', amount: 5 }] }] })) })
  for (let start = 1; start <= 2; start++) {
    const app = await buildApp(config)
    const { customers, transactions } = await stored(app)
    t.same([customers.filter((c) => c.email === 'once@example.com').length, transactions.length], [1, 1], `after start ${start}: the seeded customer and deposit, once`)
    // Data of the first run's own: the second start finds it, and does not seed again.
    if (start === 1) await createCustomer(app, { email: 'later@example.com' })
    else t.equal(customers.length, 2)
    await app.close()
  }
})

t.test('a bad seed file stops the start, names the file, the entry and the field, and loads nothing', async (t) => {
  const dir = tempDir(t)
  const databasePath = join(dir, 'mock.db')
  const start = (name: string, text: string) => buildApp(testConfig({ databasePath, seedFile: seedFile(dir, name, text) }))

  const badAmount = seedFile(dir, 'amount.yaml', 'customers:\n  - email: a@example.com\n  - email: bob@example.com\n    deposits:\n      - { currency: BTC, amount: -1 }\n')
  await t.rejects(buildApp(testConfig({ databasePath, seedFile: badAmount })), { message: `SEED_FILE ${badAmount}: customers[1] (bob@example.com): deposits[0].amount: Too small: expected number to be >0` })
  await t.rejects(start('typo.json', '{"customers":[{"emial":"a@example.com"}]}'), { message: /typo\.json: customers\[0\]: Unrecognized key: "emial"/ })
  await t.rejects(start('currency.yaml', 'customers:\n  - externalId: c-1\n    purses: [DOGE]\n'), { message: /currency\.yaml: customers\[0\] \(c-1\): purses\[0\]: unknown currency/ })
  await t.rejects(start('broken.yaml', 'customers: [\n'), { message: /broken\.yaml: cannot be read as YAML/ })
  await t.rejects(buildApp(testConfig({ databasePath, seedFile: join(dir, 'absent.json') })), { message: /absent\.json: cannot be read as JSON: ENOENT/ })
  // Valid as a file; refused by the domain at its third entry, after two were written: all rolled back.
  const domain = seedFile(dir, 'domain.yaml', `customers:
  - email: first@example.com
    deposits: [{ currency: BTC, amount: 1 }]
  - email: second@example.com
  - email: third@example.com
    account: "0x00000000000000000000000000000000000000c3"
`)
  await t.rejects(buildApp(testConfig({ databasePath, seedFile: domain })), { message: `SEED_FILE ${domain}: customers[2] (third@example.com): account: no account 0x00000000000000000000000000000000000000c3; list it under accounts, or configure it` })
  const declined = seedFile(dir, 'declined.yaml', 'customers:\n  - email: d@example.com\n    deposits: [{ currency: BTC, amount: 1, outcome: DECLINED, stopAt: CONFIRMED }]\n')
  await t.rejects(buildApp(testConfig({ databasePath, seedFile: declined })), { message: /customers\[0\] \(d@example\.com\): deposits\[0\]: stopAt CONFIRMED cannot be reached/ })

  const app = await buildApp(testConfig({ databasePath }))
  t.teardown(() => app.close())
  t.same(await stored(app), { customers: [], transactions: [] }, 'nothing of any of them was kept')
})

t.test('a seed loads when the configured account is written in mixed case, as Calypso issues some', async (t) => {
  const dir = tempDir(t)
  const issued = { account: '0xCA11AB1E000000000000000000000000000000Ab', apiKey: 'mixed-case-key', apiSecret: 'mixed-case-secret' }
  const app = await build(t, { accounts: [issued], seedFile: seedFile(dir, 'seed.json', JSON.stringify({ customers: [{ email: 'mixed@example.com' }] })) })
  const { customers } = await stored(app)
  t.match(customers, [{ email: 'mixed@example.com', account: issued.account.toLowerCase() }])
})
