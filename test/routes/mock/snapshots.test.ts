import { join } from 'node:path'
import t from 'tap'
import { testConfig } from '../../../src/test-config.js'
import { SNAPSHOTS_PER_ACCOUNT } from '../../../src/domain/snapshots.js'
import { ErrorCode, Reason } from '../../../src/errors.js'
import { snapshotColumnDrift } from '../../../src/store/snapshots-repository.js'
import { OTHER_ACCOUNT, assertError, build, createCustomer, deposit, signedPost, tempDir, waitForDeliveries, webhookConfig } from '../../support/helper.js'
import { startReceiver } from '../../support/webhook-receiver.js'

type App = Awaited<ReturnType<typeof build>>

const ACCOUNT = testConfig().accounts[0]?.account as string

/** Every row of the account's data, as the store keeps it, less the row numbers a restore may renumber. */
function dataOf (app: App, account = ACCOUNT) {
  const rows = (sql: string) => app.store.db.prepare(sql).all(account) as Array<Record<string, unknown>>
  const withoutSeq = (list: Array<Record<string, unknown>>) => list.map(({ seq: _seq, ...rest }) => rest)
  return {
    customers: withoutSeq(rows('SELECT * FROM customers WHERE account = ? ORDER BY seq')),
    purses: withoutSeq(rows('SELECT * FROM purses WHERE account = ? ORDER BY seq')),
    transactions: withoutSeq(rows('SELECT * FROM transactions WHERE account = ? ORDER BY seq')),
    subscriptions: withoutSeq(rows('SELECT * FROM subscriptions WHERE account = ? ORDER BY seq')),
    events: rows('SELECT * FROM events WHERE account = ? ORDER BY id'),
    deliveries: rows(`SELECT d.*, s.request_id FROM deliveries d JOIN events e ON e.id = d.event_id
      JOIN subscriptions s ON s.seq = d.subscription_seq WHERE e.account = ? ORDER BY d.id`).map(({ subscription_seq: _s, ...rest }) => rest),
    attempts: rows(`SELECT a.delivery_id, a.number, a.started_at, a.duration_ms, a.http_status, a.error, a.response
      FROM delivery_attempts a JOIN deliveries d ON d.id = a.delivery_id JOIN events e ON e.id = d.event_id
      WHERE e.account = ? ORDER BY a.delivery_id, a.number`)
  }
}

const post = async (app: App, url: string, payload: object) => app.inject({ method: 'POST', url, payload })

/** An app whose webhooks reach a receiver, with one customer, a confirmed deposit, a purse and the deliveries done. */
async function seeded (t: Parameters<typeof build>[0]) {
  const receiver = await startReceiver(t)
  const app = await build(t, { accounts: [...testConfig().accounts, OTHER_ACCOUNT], webhook: webhookConfig(receiver.url) })
  receiver.setSecret(app.webhooks.configured?.secretKey as string)
  const customer = await createCustomer(app, { email: 'seeded@example.com' })
  const tx = await deposit(app, { customerId: customer.id, currency: 'BTC', amount: 0.5 })
  await waitForDeliveries(app, (list) => list.length === 4 && list.every((d) => d.status === 'delivered'))
  return { app, receiver, customer, tx }
}

t.test('a restore makes the account\'s data exactly what it was when saved', async (t) => {
  const { app, customer } = await seeded(t)
  const saved = await post(app, '/_mock/snapshots', { name: 'seeded' })
  t.equal(saved.statusCode, 201)
  t.match(saved.json(), { name: 'seeded', account: ACCOUNT, customers: 1, transactions: 1, deliveries: 4 })
  const before = dataOf(app)

  // Everything a test might do since: new rows, changed rows, an API subscription made and deleted.
  await createCustomer(app, { email: 'later@example.com' })
  await signedPost(app, 'customer-purse/customer/block', { customerId: customer.id })
  await signedPost(app, 'customer-purse/customer/update', { id: customer.id, email: 'changed@example.com' })
  await deposit(app, { customerId: customer.id, currency: 'ETH', amount: 2, stopAt: 'PENDING_COMPLIANCE_CHECK' })
  const sub = await signedPost(app, 'subscription/webhook/create', { requestId: 'b7a1c1de-0000-4000-8000-000000000001', notificationEventTypes: [], notificationServiceTypes: ['CUSTOMER_PURSE'], url: 'http://127.0.0.1:9/x' })
  t.equal(sub.statusCode, 200)
  t.not(dataOf(app), before, 'the data did change')

  const restored = await post(app, '/_mock/snapshots/seeded/restore', {})
  t.equal(restored.statusCode, 200)
  t.match(restored.json(), { restored: 'seeded', account: ACCOUNT })
  t.same(dataOf(app), before, 'every row is back as it was, and nothing made since is left')

  const listed = (await app.inject({ method: 'GET', url: '/_mock/customers' })).json() as { customers: Array<{ id: string, email: string, blocked: boolean }> }
  t.match(listed.customers, [{ id: customer.id, email: 'seeded@example.com', blocked: false }], 'the API sees the restored customer, unblocked')
  t.equal(listed.customers.length, 1, 'and only it')
})

t.test('a restore after a reset of the account brings every row back', async (t) => {
  const { app } = await seeded(t)
  await post(app, '/_mock/snapshots', { name: 'seeded' })
  const before = dataOf(app)
  t.equal((await post(app, '/_mock/reset', { account: ACCOUNT })).statusCode, 200)
  t.equal(dataOf(app).customers.length, 0)
  t.equal((await post(app, '/_mock/snapshots/seeded/restore', {})).statusCode, 200)
  t.same(dataOf(app), before)
  const ids = app.store.db.prepare('SELECT id FROM customers').pluck().all()
  t.equal(new Set(ids).size, ids.length)
})

t.test('snapshots belong to one account: restoring one leaves the others as they are', async (t) => {
  const { app } = await seeded(t)
  await post(app, '/_mock/snapshots', { name: 'seeded' })
  const other = await createCustomer(app, {}, { as: OTHER_ACCOUNT })
  await createCustomer(app)
  const othersBefore = dataOf(app, OTHER_ACCOUNT.account)
  await post(app, '/_mock/snapshots/seeded/restore', {})
  t.same(dataOf(app, OTHER_ACCOUNT.account), othersBefore)
  t.equal(othersBefore.customers[0]?.id, other.id)

  const res = await post(app, '/_mock/snapshots/seeded/restore', { account: OTHER_ACCOUNT.account })
  assertError(t, res, ErrorCode.NOT_FOUND, Reason.snapshotNotFound('seeded', OTHER_ACCOUNT.account))
  t.same((await app.inject({ method: 'GET', url: `/_mock/snapshots?account=${OTHER_ACCOUNT.account}` })).json(), { snapshots: [] })
})

t.test('a subscription whose row number another account took meanwhile comes back under a new one, with its deliveries', async (t) => {
  const { app } = await seeded(t)
  const sub = await signedPost(app, 'subscription/webhook/create', { requestId: 'b7a1c1de-0000-4000-8000-000000000002', notificationEventTypes: [], notificationServiceTypes: ['CUSTOMER_PURSE'], url: 'http://127.0.0.1:9/x' })
  t.equal(sub.statusCode, 200)
  await signedPost(app, 'subscription/webhook', { requestId: 'b7a1c1de-0000-4000-8000-000000000002' }, { method: 'DELETE' })
  await post(app, '/_mock/snapshots', { name: 'with-api-subscription' })
  const before = dataOf(app)
  // The reset hard-deletes the API subscription, the row with the largest seq; the other account's new one takes that seq.
  await post(app, '/_mock/reset', { account: ACCOUNT })
  const taken = await signedPost(app, 'subscription/webhook/create', { requestId: 'b7a1c1de-0000-4000-8000-000000000003', notificationEventTypes: [], notificationServiceTypes: ['CUSTOMER_PURSE'], url: 'http://127.0.0.1:9/y' }, { as: OTHER_ACCOUNT })
  t.equal(taken.statusCode, 200)
  const othersBefore = dataOf(app, OTHER_ACCOUNT.account)
  t.equal((await post(app, '/_mock/snapshots/with-api-subscription/restore', {})).statusCode, 200)
  t.same(dataOf(app), before, 'the deliveries follow their subscription')
  t.same(dataOf(app, OTHER_ACCOUNT.account), othersBefore)
})

t.test('a restore on a later start keeps that start\'s WEBHOOK_URL, not the one saved with the snapshot', async (t) => {
  const databasePath = join(tempDir(t), 'mock.db')
  const urls = async (app: App) => (await signedPost(app, 'subscription/webhook', undefined)).json().subscriptions.map((s: { url: string }) => s.url)
  const first = await build(t, { databasePath, webhook: webhookConfig('http://127.0.0.1:1/before') })
  t.equal((await post(first, '/_mock/snapshots', { name: 'then' })).statusCode, 201)
  await first.close()

  const second = await build(t, { databasePath, webhook: webhookConfig('http://127.0.0.1:1/after') })
  t.same(await urls(second), ['http://127.0.0.1:1/after'])
  t.equal((await post(second, '/_mock/snapshots/then/restore', {})).statusCode, 200)
  t.same(await urls(second), ['http://127.0.0.1:1/after'], 'the configured subscription still goes where this start says')
})

t.test('a snapshot is refused while a delivery of the account is pending, and saves nothing', async (t) => {
  const receiver = await startReceiver(t, { down: true })
  const app = await build(t, { webhook: webhookConfig(receiver.url) })
  await createCustomer(app)
  await deposit(app, { customerId: (await createCustomer(app)).id, currency: 'BTC', amount: 1, stopAt: 'MEM_POOL_FOUND' })
  const pending = app.store.snapshots.pendingDeliveries(ACCOUNT)
  t.ok(pending > 0)
  const res = await post(app, '/_mock/snapshots', { name: 'too-soon' })
  assertError(t, res, ErrorCode.BAD_REQUEST, 'still pending', '/_mock/webhooks/deliveries?status=pending')
  t.same((await app.inject({ method: 'GET', url: '/_mock/snapshots' })).json(), { snapshots: [] })
})

t.test('names: unique per account, replaced only when asked, and limited in number', async (t) => {
  const app = await build(t)
  await createCustomer(app)
  t.equal((await post(app, '/_mock/snapshots', { name: 'one' })).statusCode, 201)
  await createCustomer(app)
  assertError(t, await post(app, '/_mock/snapshots', { name: 'one' }), ErrorCode.BAD_REQUEST, Reason.snapshotExists('one'))
  t.match((await app.inject({ method: 'GET', url: '/_mock/snapshots' })).json(), { snapshots: [{ name: 'one', customers: 1 }] })
  const replaced = await post(app, '/_mock/snapshots', { name: 'one', replace: true })
  t.equal(replaced.statusCode, 201)
  t.match(replaced.json(), { name: 'one', customers: 2 })

  for (let i = 1; i < SNAPSHOTS_PER_ACCOUNT; i++) t.equal((await post(app, '/_mock/snapshots', { name: `n${i}` })).statusCode, 201)
  assertError(t, await post(app, '/_mock/snapshots', { name: 'one-too-many' }), ErrorCode.BAD_REQUEST, Reason.snapshotLimit(SNAPSHOTS_PER_ACCOUNT))
  t.equal((await post(app, '/_mock/snapshots', { name: 'one', replace: true })).statusCode, 201, 'replacing one is not one more')

  const deleted = await app.inject({ method: 'DELETE', url: '/_mock/snapshots/n1' })
  t.same(deleted.json(), { deleted: 'n1', account: ACCOUNT })
  t.equal((await post(app, '/_mock/snapshots', { name: 'one-too-many' })).statusCode, 201)
  assertError(t, await app.inject({ method: 'DELETE', url: '/_mock/snapshots/n1' }), ErrorCode.NOT_FOUND, Reason.snapshotNotFound('n1', ACCOUNT))
})

t.test('bad input is refused in Calypso\'s error body and changes nothing', async (t) => {
  const app = await build(t)
  await createCustomer(app)
  const cases: Array<[string, object, Array<string | RegExp>]> = [
    ['/_mock/snapshots', { name: 'x', replaec: true }, ['replaec']],
    ['/_mock/snapshots', { nmae: 'x' }, ['nmae']],
    ['/_mock/snapshots', { name: '' }, ['name']],
    ['/_mock/snapshots', { name: '../etc' }, ['name']],
    ['/_mock/snapshots', { name: 'x'.repeat(65) }, ['name']],
    ['/_mock/snapshots', { name: 'x', replace: 'yes' }, ['replace']],
    ['/_mock/snapshots', [], []],
    ['/_mock/snapshots', { name: 'x', account: '0x12' }, ['account']]
  ]
  for (const [url, payload, mentions] of cases) {
    assertError(t, await post(app, url, payload), ErrorCode.BAD_REQUEST, ...mentions)
  }
  const nobody = '0x00000000000000000000000000000000000000ff'
  assertError(t, await post(app, '/_mock/snapshots', { name: 'x', account: nobody }), ErrorCode.NOT_FOUND, Reason.accountNotFound(nobody))
  assertError(t, await post(app, '/_mock/snapshots/missing/restore', {}), ErrorCode.NOT_FOUND, Reason.snapshotNotFound('missing', ACCOUNT))
  assertError(t, await post(app, '/_mock/snapshots/x/restore', { acount: ACCOUNT }), ErrorCode.BAD_REQUEST, 'acount')
  assertError(t, await app.inject({ method: 'GET', url: '/_mock/snapshots?acount=1' }), ErrorCode.BAD_REQUEST, 'acount')
  t.same((await app.inject({ method: 'GET', url: '/_mock/snapshots' })).json(), { snapshots: [] })
  t.equal(app.store.db.prepare('SELECT count(*) FROM customers').pluck().get(), 1)
})

t.test('a restore clears the account\'s faults, ends its open waits, and later waits see only new events', async (t) => {
  const { app, customer } = await seeded(t)
  await post(app, '/_mock/snapshots', { name: 'seeded' })
  t.equal((await post(app, '/_mock/faults', { path: 'customer-purse/customer/create', account: ACCOUNT, status: 500, times: 3 })).statusCode, 201)
  t.equal((await post(app, '/_mock/faults', { path: 'customer-purse/customer/create', account: OTHER_ACCOUNT.account, status: 500, times: 3 })).statusCode, 201)
  t.equal((await post(app, '/_mock/webhooks/faults', { account: ACCOUNT, times: 2 })).statusCode, 201)
  const open = app.inject({ method: 'GET', url: `/_mock/webhooks/wait?account=${ACCOUNT}&eventType=CUSTOMER_PURSE_EXPIRED&timeoutMs=60000` })
  let openAnswered = false
  void open.then(() => { openAnswered = true })
  await new Promise<void>((resolve) => { const poll = () => app.webhooks.waiters.count() > 0 || openAnswered ? resolve() : setImmediate(poll); poll() })
  t.notOk(openAnswered, 'the wait is open')

  await post(app, '/_mock/snapshots/seeded/restore', {})
  t.equal((await open).statusCode, 408, 'the open wait ends at once')
  t.same((await app.inject({ method: 'GET', url: '/_mock/webhooks/faults' })).json(), { faults: [] })
  t.match((await app.inject({ method: 'GET', url: '/_mock/faults' })).json(), { faults: [{ account: OTHER_ACCOUNT.account }] }, 'another account\'s fault stays')
  t.equal(((await app.inject({ method: 'GET', url: '/_mock/faults' })).json() as { faults: unknown[] }).faults.length, 1)

  // The seeded deposit's events were delivered and never waited for: were they handed out, the
  // oldest of them would answer this wait, not the deposit made after the restore.
  const later = await deposit(app, { customerId: customer.id, currency: 'BTC', amount: 1 })
  const fresh = await app.inject({ method: 'GET', url: `/_mock/webhooks/wait?account=${ACCOUNT}&consumer=fresh&eventType=CUSTOMER_PURSE_MEM_POOL_FOUND&timeoutMs=10000` })
  t.equal(fresh.statusCode, 200)
  t.equal(fresh.json().event.data.transactionId, later.id, 'a restored event is not handed to a wait')
})

t.test('every copied table has a snapshot_ twin with the same columns', async (t) => {
  const app = await build(t)
  t.same(snapshotColumnDrift(app.store.db), [])
  app.store.db.exec('ALTER TABLE customers ADD COLUMN later TEXT')
  t.match(snapshotColumnDrift(app.store.db), [/snapshot_customers has .*customers has .*later/], 'a column added to one side only is named')
})

t.test('a snapshot lets an attempt in flight finish: the receiver may hold the last webhook before its answer is recorded', async (t) => {
  const receiver = await startReceiver(t)
  const app = await build(t, { webhook: webhookConfig(receiver.url) })
  receiver.setSecret(app.webhooks.configured?.secretKey as string)
  let release: () => void = () => {}
  const held = new Promise<number>((resolve) => { release = () => resolve(200) })
  receiver.answer(() => held)
  await deposit(app, { customerId: (await createCustomer(app)).id, currency: 'BTC', amount: 1, stopAt: 'MEM_POOL_FOUND' })
  await new Promise<void>((resolve) => { const poll = () => app.webhooks.dispatcher.inFlight() > 0 ? resolve() : setImmediate(poll); poll() })
  const saving = post(app, '/_mock/snapshots', { name: 'after-the-last' })
  release()
  const saved = await saving
  t.equal(saved.statusCode, 201, saved.body)
  t.match(saved.json(), { deliveries: 1 })
  t.equal(app.store.snapshots.pendingDeliveries(ACCOUNT), 0)
})

t.test('the test clock is part of a snapshot: a restore puts the account\'s time back', async (t) => {
  const app = await build(t)
  const clock = async () => (await app.inject({ method: 'GET', url: '/_mock/clock' })).json() as { offsetMs: number }
  t.equal((await post(app, '/_mock/clock/advance', { ms: 3_600_000 })).statusCode, 200)
  await post(app, '/_mock/snapshots', { name: 'an-hour-on' })
  await post(app, '/_mock/clock/advance', { ms: 86_400_000 })
  t.equal((await clock()).offsetMs, 90_000_000)
  await post(app, '/_mock/snapshots/an-hour-on/restore', {})
  t.equal((await clock()).offsetMs, 3_600_000, 'the offset saved')
  await post(app, '/_mock/clock/reset', {})
  await post(app, '/_mock/snapshots', { name: 'machine-time' })
  await post(app, '/_mock/clock/advance', { ms: 1000 })
  await post(app, '/_mock/snapshots/machine-time/restore', {})
  t.equal((await clock()).offsetMs, 0, 'no offset saved, none after the restore')
})
