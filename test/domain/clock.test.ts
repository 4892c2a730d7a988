import t, { type Test } from 'tap'
import { advanceClock, createAccountClock, readClock, resetClock } from '../../src/domain/clock.js'
import { createCustomer as addCustomer } from '../../src/domain/customers.js'
import { createDeposit } from '../../src/domain/deposits.js'
import { getOrCreatePurse, PURSE_IDLE_LIFETIME_MS } from '../../src/domain/purses.js'
import type { StoreChange } from '../../src/store/commit-log.js'
import type { DeliveryView } from '../../src/store/deliveries-repository.js'
import { build, createCustomer, deposit, manualClock, signedPost, waitForDeliveries, webhookConfig } from '../support/helper.js'
import { startReceiver } from '../support/webhook-receiver.js'

const T0 = Date.parse('2026-11-25T12:00:00.000Z')
const SECOND = 1000
const MINUTE = 60 * SECOND
const HOUR = 60 * MINUTE
const DAY = 24 * 60 * MINUTE
const iso = (ms: number) => new Date(ms).toISOString()

/** A deposit stepping every 10 minutes and an ETH address left idle, on the account's clock. */
const STEPS_THEN_EXPIRY = [
  ['CUSTOMER_PURSE_MEM_POOL_FOUND', 0],
  ['CUSTOMER_PURSE_PENDING_COMPLIANCE', 10 * MINUTE],
  ['CUSTOMER_PURSE_FUNDS_RECEIVED_FOR_PURSE', 20 * MINUTE],
  ['CUSTOMER_PURSE_TRANSLATION_TO_ACCOUNT_COMPLETED', 30 * MINUTE],
  ['CUSTOMER_PURSE_EXPIRED', PURSE_IDLE_LIFETIME_MS]
]

type App = Awaited<ReturnType<typeof build>>

/** An app on a manual clock whose WEBHOOK_URL is a real receiver, on Calypso's own retry schedule (30 s first). */
async function setUp (t: Test) {
  const clock = manualClock(T0)
  const receiver = await startReceiver(t)
  const app = await build(t, { webhook: webhookConfig(receiver.url, { retryScale: 1 }) }, { clock })
  receiver.setSecret(app.webhooks.configured!.secretKey)
  const account = app.config.accounts[0]!.account.toLowerCase()
  const advance = (ms: number) => advanceClock(app.domain, account, ms, app.webhooks.dispatcher.drain)
  return { app, clock, receiver, account, advance }
}

/** Each event of the account, with its date as milliseconds after T0 on the account's clock. */
function eventTimes (app: App, account: string): Array<[string, number]> {
  const rows = app.store.db.prepare('SELECT event_type, created_at FROM events WHERE account = ? ORDER BY id').all(account) as Array<{ event_type: string, created_at: string }>
  return rows.map((r) => [r.event_type, Date.parse(`${r.created_at}Z`) - T0])
}

const deliveries = async (app: App): Promise<DeliveryView[]> =>
  (await app.inject({ method: 'GET', url: '/_mock/webhooks/deliveries' })).json().deliveries

t.test('an account\'s clock is the machine\'s plus the offset stored for it; without an account, or with no offset, the machine\'s', async (t) => {
  const { app, account } = await setUp(t)
  const machine = manualClock(T0 + 0.25)
  const clock = createAccountClock(app.store.clocks, machine)
  t.equal(clock(account), T0 + 0.25, 'no offset stored yet: the machine\'s time, microseconds kept')
  app.store.clocks.setOffset(account, 5 * SECOND)
  t.equal(clock(account), T0 + 5 * SECOND + 0.25)
  t.equal(clock(), T0 + 0.25, 'without an account: the machine\'s')
  t.equal(clock('0x00000000000000000000000000000000000000ff'), T0 + 0.25, 'an account with no offset stored: the machine\'s')
  machine.advance(MINUTE)
  t.equal(clock(account), T0 + MINUTE + 5 * SECOND + 0.25, 'it runs at the machine\'s pace')
})

t.test('readClock: the account, its time to the millisecond and its offset', async (t) => {
  const { app, clock, account } = await setUp(t)
  clock.set(T0 + 0.75)
  t.same(readClock(app.domain, account), { account, now: '2026-11-25T12:00:00.000Z', offsetMs: 0 })
  app.store.clocks.setOffset(account, 90 * MINUTE)
  t.same(readClock(app.domain, account), { account, now: '2026-11-25T13:30:00.000Z', offsetMs: 90 * MINUTE })
})

t.test('a reset of a clock already on the machine\'s commits nothing; a real one commits one clock change', async (t) => {
  const { app, account, advance } = await setUp(t)
  const clockChanges: StoreChange[] = []
  const stop = app.store.onCommit((changes) => { clockChanges.push(...changes.filter((c) => c.kind === 'clock')) })
  t.teardown(stop)
  t.same(resetClock(app.domain, account), { account, now: iso(T0), offsetMs: 0 })
  t.same(clockChanges, [], 'nothing changed, so nothing is told (the dashboard\'s live feed hears every clock change)')
  await advance(HOUR)
  clockChanges.length = 0
  t.same(resetClock(app.domain, account), { account, now: iso(T0), offsetMs: 0 })
  t.same(clockChanges, [{ kind: 'clock', account }])
})

t.test('a pending retry keeps its date on the account\'s clock as the clock moves and is reset, and goes at that date', async (t) => {
  const { app, receiver, account, advance } = await setUp(t)
  receiver.answer((_request, index) => index < 2 ? 500 : 200)
  await deposit(app, { customerId: (await createCustomer(app)).id, currency: 'BTC', amount: 1, stopAt: 'MEM_POOL_FOUND' })
  const [first] = await waitForDeliveries(app, (d) => d.length === 1 && d[0]!.attempts.length === 1)
  t.equal(first!.nextAttemptAt, iso(T0 + 30 * SECOND), 'the first retry is due 30 s after the failed attempt')

  const short = await advance(10 * SECOND)
  t.same(short, { account, now: iso(T0 + 10 * SECOND), offsetMs: 10 * SECOND, advancedMs: 10 * SECOND, fired: { depositSteps: 0, pursesExpired: 0, deliveriesSent: 0 } })
  t.equal((await deliveries(app))[0]!.nextAttemptAt, iso(T0 + 30 * SECOND), 'an advance short of it leaves its date')
  resetClock(app.domain, account)
  t.equal((await deliveries(app))[0]!.nextAttemptAt, iso(T0 + 30 * SECOND), 'and so does a reset')

  t.equal((await advance(10 * SECOND)).offsetMs, 10 * SECOND)
  const report = await advance(60 * SECOND)
  t.same(report, { account, now: iso(T0 + 70 * SECOND), offsetMs: 70 * SECOND, advancedMs: 60 * SECOND, fired: { depositSteps: 0, pursesExpired: 0, deliveriesSent: 2 } })
  const [done] = await deliveries(app)
  t.equal(done!.status, 'delivered')
  t.same(done!.attempts.map((a) => a.startedAt), [iso(T0), iso(T0 + 30 * SECOND), iso(T0 + 60 * SECOND)],
    'the first retry at its date, the second 30 s after the first failed, both on the account\'s clock')
  t.same(receiver.received.map((r) => r.answered), [500, 500, 200])
})

t.test('an advance stops at each deposit step and purse expiry on the way, in time order, and reports what it fired', async (t) => {
  const { app, account, advance } = await setUp(t)
  const customer = await createCustomer(app)
  const tx = await deposit(app, { customerId: customer.id, currency: 'BTC', amount: 1, stepEveryMs: 10 * MINUTE })
  const eth = (await signedPost(app, 'customer-purse/address/get', { customerId: customer.id, currency: 'ETH' })).json()
  t.equal(app.store.purses.findById(eth.id)!.expiryDate, iso(T0 + PURSE_IDLE_LIFETIME_MS))
  await waitForDeliveries(app, (d) => d.length === 1 && d[0]!.status === 'delivered')

  const report = await advance(31 * DAY)
  t.same(report, {
    account,
    now: iso(T0 + 31 * DAY),
    offsetMs: 31 * DAY,
    advancedMs: 31 * DAY,
    fired: { depositSteps: 3, pursesExpired: 1, deliveriesSent: 4 }
  })
  t.same(eventTimes(app, account), STEPS_THEN_EXPIRY, 'each step 10 minutes after the one before, the ETH address expired on its expiry date, not at the end of the advance')
  const done = app.store.transactions.progress(tx.id)!
  t.equal(done.translationToAccountCompleted, true)
  const list = await deliveries(app)
  t.same(list.map((d) => d.status), ['delivered', 'delivered', 'delivered', 'delivered', 'delivered'])
})

t.test('an advance that ends before the next thing due fires nothing; the next one fires it when it ends on its time', async (t) => {
  const { app, account, advance } = await setUp(t)
  const tx = await deposit(app, { customerId: (await createCustomer(app)).id, currency: 'BTC', amount: 1, stepEveryMs: 10 * MINUTE })
  await waitForDeliveries(app, (d) => d.length === 1 && d[0]!.status === 'delivered')
  t.same((await advance(10 * MINUTE - 1)).fired, { depositSteps: 0, pursesExpired: 0, deliveriesSent: 0 })
  t.equal(app.store.transactions.progress(tx.id)!.transactionState, 'MEM_POOL_FOUND')
  t.same((await advance(1)).fired, { depositSteps: 1, pursesExpired: 0, deliveriesSent: 1 })
  t.same(eventTimes(app, account).map(([type, at]) => [type, at]), [['CUSTOMER_PURSE_MEM_POOL_FOUND', 0], ['CUSTOMER_PURSE_PENDING_COMPLIANCE', 10 * MINUTE]])
})

t.test('time that passes while a receiver answers: a step that falls due meanwhile is taken then, before the clock moves on', async (t) => {
  const { app, clock, receiver, account, advance } = await setUp(t)
  // The first attempt fails; the retry takes 15 minutes of the machine's time to answer.
  receiver.answer((_request, index) => {
    if (index === 0) return 500
    if (index === 1) clock.advance(15 * MINUTE)
    return 200
  })
  await deposit(app, { customerId: (await createCustomer(app)).id, currency: 'BTC', amount: 1, stepEveryMs: 10 * MINUTE })
  await waitForDeliveries(app, (d) => d.length === 1 && d[0]!.attempts.length === 1)

  const report = await advance(60 * MINUTE)
  t.same(report.fired, { depositSteps: 3, pursesExpired: 0, deliveriesSent: 4 })
  t.equal(report.offsetMs, 60 * MINUTE)
  t.equal(report.now, iso(T0 + 75 * MINUTE), 'the machine\'s 15 minutes plus the hour')
  t.same(eventTimes(app, account), [
    ['CUSTOMER_PURSE_MEM_POOL_FOUND', 0],
    ['CUSTOMER_PURSE_PENDING_COMPLIANCE', 15 * MINUTE + 30 * SECOND],
    ['CUSTOMER_PURSE_FUNDS_RECEIVED_FOR_PURSE', 20 * MINUTE],
    ['CUSTOMER_PURSE_TRANSLATION_TO_ACCOUNT_COMPLETED', 30 * MINUTE]
  ], 'the step due at 10 min is taken when the retry (sent at 30 s) has answered, at 15 min 30 s; the later ones at their own times')
})

t.test('a due delivery that nothing sends (the dispatcher is closed) does not hold the clock back', async (t) => {
  const { app, account, advance } = await setUp(t)
  await app.webhooks.dispatcher.close(0)
  await deposit(app, { customerId: (await createCustomer(app)).id, currency: 'BTC', amount: 1, stopAt: 'MEM_POOL_FOUND' })
  const [pending] = await deliveries(app)
  t.equal(pending!.status, 'pending')
  t.equal(pending!.nextAttemptAt, iso(T0), 'due now')

  const report = await advance(5 * MINUTE)
  t.same(report, { account, now: iso(T0 + 5 * MINUTE), offsetMs: 5 * MINUTE, advancedMs: 5 * MINUTE, fired: { depositSteps: 0, pursesExpired: 0, deliveriesSent: 0 } })
  const [still] = await deliveries(app)
  t.equal(still!.status, 'pending')
  t.same(still!.attempts, [])
  t.equal(still!.nextAttemptAt, iso(T0), 'it keeps its date on the account\'s clock')
})

t.test('a due delivery that nothing sends does not move the other timed things: deposit steps and an expiry still fire at their own times', async (t) => {
  const { app, account, advance } = await setUp(t)
  await app.webhooks.dispatcher.close(0)
  const customer = await createCustomer(app)
  await deposit(app, { customerId: customer.id, currency: 'BTC', amount: 1, stepEveryMs: 10 * MINUTE })
  await signedPost(app, 'customer-purse/address/get', { customerId: customer.id, currency: 'ETH' })
  t.equal((await deliveries(app))[0]!.nextAttemptAt, iso(T0), 'a delivery due now, which the closed dispatcher will not send')

  const report = await advance(31 * DAY)
  t.same(report.fired, { depositSteps: 3, pursesExpired: 1, deliveriesSent: 0 })
  t.same(eventTimes(app, account), STEPS_THEN_EXPIRY, 'each at its own time, not all at the end of the advance')
  t.same((await deliveries(app)).map((d) => [d.status, d.attempts.length]), Array(5).fill(['pending', 0]), 'the deliveries wait, unsent')
})

t.test('more purses and steps due at one moment than one pass takes: all of them at that moment, none at the end of the advance', async (t) => {
  // No subscription: nothing is sent, so only the steps and expiries taken tell the advance to look again.
  const clock = manualClock(T0)
  const app = await build(t, {}, { clock })
  const account = app.config.accounts[0]!.account.toLowerCase()
  // 500 customers, each with a deposit whose next step waits 30 days and two idle addresses that expire then: expiry takes 500 a pass.
  for (let i = 0; i < 500; i++) {
    const { id } = addCustomer(app.domain, account, {})
    createDeposit(app.domain, { customerId: id, currency: 'BTC', amount: 1, outcome: 'CONFIRMED', stepEveryMs: PURSE_IDLE_LIFETIME_MS })
    getOrCreatePurse(app.domain, account, id, 'ETH')
  }
  const report = await advanceClock(app.domain, account, 31 * DAY, app.webhooks.dispatcher.drain)
  t.same(report.fired, { depositSteps: 500, pursesExpired: 1000, deliveriesSent: 0 })
  const dates = app.store.db.prepare("SELECT event_type, created_at, count(*) AS n FROM events WHERE event_type <> 'CUSTOMER_PURSE_MEM_POOL_FOUND' GROUP BY event_type, created_at ORDER BY event_type")
    .all() as Array<{ event_type: string, created_at: string, n: number }>
  t.same(dates.map((d) => [d.event_type, Date.parse(`${d.created_at}Z`) - T0, d.n]), [
    ['CUSTOMER_PURSE_EXPIRED', PURSE_IDLE_LIFETIME_MS, 1000],
    ['CUSTOMER_PURSE_PENDING_COMPLIANCE', PURSE_IDLE_LIFETIME_MS, 500]
  ])
})
