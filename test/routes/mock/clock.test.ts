import t, { type Test } from 'tap'
import { testConfig } from '../../../src/test-config.js'
import { ErrorCode, Reason } from '../../../src/errors.js'
import { CALYPSO_RETRY_SECONDS } from '../../../src/webhooks/retry-schedule.js'
import { assertError, build, createCustomer, deposit, OTHER_ACCOUNT, signedPost, waitForDeliveries, webhookConfig } from '../../support/helper.js'
import { startReceiver } from '../../support/webhook-receiver.js'

/** The whole ladder: the first attempt, then 19 retries spaced by Calypso's intervals. */
const LADDER_MS = CALYPSO_RETRY_SECONDS.reduce((sum, s) => sum + s, 0) * 1000
const HOUR = 3600 * 1000

async function setUp (t: Test) {
  const receiver = await startReceiver(t)
  // The real schedule (retryScale 1): only the test clock can take a delivery through it here.
  const app = await build(t, { webhook: webhookConfig(receiver.url, { retryScale: 1 }), accounts: [...testConfig().accounts, OTHER_ACCOUNT] })
  receiver.setSecret(app.webhooks.configured!.secretKey)
  return { app, receiver }
}

const advance = (app: Awaited<ReturnType<typeof build>>, body: unknown) => app.inject({ method: 'POST', url: '/_mock/clock/advance', payload: body as object })
const clockOf = async (app: Awaited<ReturnType<typeof build>>, account?: string) =>
  (await app.inject({ method: 'GET', url: `/_mock/clock${account === undefined ? '' : `?account=${account}`}` })).json()

t.test('advancing the whole ladder takes a failing delivery to failed after exactly 20 attempts, each at its time on the ladder', async (t) => {
  const { app, receiver } = await setUp(t)
  receiver.answer(() => 500)
  await deposit(app, { customerId: (await createCustomer(app)).id, currency: 'BTC', amount: 1, stopAt: 'MEM_POOL_FOUND' })
  const [pending] = await waitForDeliveries(app, (d) => d.length === 1 && d[0]!.attempts.length === 1)
  t.equal(pending!.status, 'pending')

  const started = performance.now()
  const res = await advance(app, { ms: LADDER_MS })
  const elapsed = performance.now() - started
  t.equal(res.statusCode, 200, res.body)
  t.comment(`advancing ${LADDER_MS} ms (${(LADDER_MS / HOUR).toFixed(1)} h) made ${res.json().fired.deliveriesSent} attempts in ${elapsed.toFixed(0)} ms`)
  t.equal(res.json().fired.deliveriesSent, 19, 'the 19 retries were made before the call answered')
  const [failed] = (await app.inject({ method: 'GET', url: '/_mock/webhooks/deliveries' })).json().deliveries
  t.equal(failed.status, 'failed')
  t.equal(failed.attempts.length, 20)
  t.equal(receiver.received.length, 20, 'the receiver was sent all 20')
  const starts = failed.attempts.map((a: { startedAt: string }) => Date.parse(a.startedAt))
  const gaps = starts.slice(1).map((s: number, i: number) => Math.round((s - starts[i]) / 1000))
  // Each retry went at its own time on the account's clock (to the second: an attempt takes a few ms).
  t.same(gaps.map((g: number, i: number) => Math.abs(g - (CALYPSO_RETRY_SECONDS[i] ?? 0)) <= 1), CALYPSO_RETRY_SECONDS.map(() => true), `gaps ${gaps.join(', ')}`)
})

t.test('advancing 34 h (the ladder\'s last interval) reaches attempt 17, still pending', async (t) => {
  const { app, receiver } = await setUp(t)
  receiver.answer(() => 500)
  const tx = await deposit(app, { customerId: (await createCustomer(app)).id, currency: 'BTC', amount: 1, stopAt: 'MEM_POOL_FOUND' })
  await waitForDeliveries(app, (d) => d.length === 1 && d[0]!.attempts.length === 1)
  t.equal((await advance(app, { ms: 34 * HOUR })).statusCode, 200)
  const [delivery] = (await app.inject({ method: 'GET', url: `/_mock/webhooks/deliveries?customerId=${tx.customerId}` })).json().deliveries
  t.equal(delivery.status, 'pending')
  t.equal(delivery.attempts.length, 17, 'the first 16 retries (77 490 s in all) fit in 34 h; the 17th would be at 125 400 s')
  const clock = await clockOf(app)
  t.ok(Date.parse(delivery.nextAttemptAt) > Date.parse(clock.now), 'the next retry is shown on the account\'s clock, still ahead of it')
})

t.test('business times follow the clock; another account\'s do not; request timestamps stay on the machine\'s clock', async (t) => {
  const { app } = await setUp(t)
  const before = await clockOf(app)
  t.equal(before.offsetMs, 0)
  const res = await advance(app, { ms: 48 * HOUR })
  t.equal(res.json().offsetMs, 48 * HOUR)
  const customer = await createCustomer(app)
  const stored = (await app.inject({ method: 'GET', url: `/_mock/customers?search=${customer.id}` })).json().customers[0]
  t.ok(Date.parse(stored.createdDate) - Date.now() > 47 * HOUR, 'createdDate is two days ahead')
  const tx = await deposit(app, { customerId: customer.id, currency: 'BTC', amount: 1 })
  t.ok(Date.parse(tx.createdDate) - Date.now() > 47 * HOUR, 'the transaction\'s createdDate too')
  const address = (await signedPost(app, 'customer-purse/purse/get-all', { customerId: customer.id })).json()
  t.ok(Date.parse(address[0].createdDate) - Date.now() > 47 * HOUR, 'and the purse\'s')

  const other = await createCustomer(app, {}, { as: OTHER_ACCOUNT })
  const otherStored = (await app.inject({ method: 'GET', url: `/_mock/customers?search=${other.id}` })).json().customers[0]
  t.ok(Math.abs(Date.parse(otherStored.createdDate) - Date.now()) < HOUR, 'another account keeps the machine\'s time')

  // A client signs with its machine's time: the account's clock is not a timestamp it could know.
  const ahead = await signedPost(app, 'customer-purse/customer/create', {}, { timestamp: Date.now() + 48 * HOUR })
  assertError(t, ahead, ErrorCode.INVALID_TIMESTAMP, /ahead of the server clock/)

  const reset = await app.inject({ method: 'POST', url: '/_mock/clock/reset', payload: {} })
  t.equal(reset.json().offsetMs, 0)
  t.ok(Math.abs(Date.parse(reset.json().now) - Date.now()) < HOUR)
})

t.test('an advance expires purses and takes the steps of deposits that wait on time, in time order', async (t) => {
  const { app, receiver } = await setUp(t)
  const customer = await createCustomer(app)
  const tx = await deposit(app, { customerId: customer.id, currency: 'BTC', amount: 1, stepEveryMs: 10 * 60 * 1000 })
  t.equal(tx.transactionState, 'MEM_POOL_FOUND', 'a deposit that waits on time answers after its first step')
  await signedPost(app, 'customer-purse/address/get', { customerId: customer.id, currency: 'ETH' })
  const res = await advance(app, { ms: 31 * 24 * HOUR })
  t.same(res.json().fired, { depositSteps: 3, pursesExpired: 1, deliveriesSent: 5 })
  await receiver.waitFor((r) => r.length === 5)
  t.same(receiver.received.map((r) => r.body.eventType), [
    'CUSTOMER_PURSE_MEM_POOL_FOUND',
    'CUSTOMER_PURSE_PENDING_COMPLIANCE',
    'CUSTOMER_PURSE_FUNDS_RECEIVED_FOR_PURSE',
    'CUSTOMER_PURSE_TRANSLATION_TO_ACCOUNT_COMPLETED',
    'CUSTOMER_PURSE_EXPIRED'
  ], 'the steps 10 minutes apart, then the ETH address\'s expiry after 30 days (the BTC one received a deposit)')
  const dates = receiver.received.map((r) => Date.parse(`${r.body.createdDate}Z`))
  t.same(dates.slice(1, 4).map((d, i) => Math.round((d - (dates[i] as number)) / 1000)), [600, 600, 600], 'each step at its own time')
  const done = (await app.inject({ method: 'GET', url: `/_mock/transactions?customerId=${customer.id}` })).json().transactions[0]
  t.equal(done.translationToAccountCompleted, true)
})

t.test('a deposit that waits on time also moves on in real time', async (t) => {
  const { app, receiver } = await setUp(t)
  const customer = await createCustomer(app)
  await deposit(app, { customerId: customer.id, currency: 'BTC', amount: 1, stepEveryMs: 1 })
  await receiver.waitFor((r) => r.length === 4)
  t.equal(receiver.received.at(-1)!.body.eventType, 'CUSTOMER_PURSE_TRANSLATION_TO_ACCOUNT_COMPLETED')
})

t.test('bad input: a clear 4xx in Calypso\'s error body, and nothing changes', async (t) => {
  const { app } = await setUp(t)
  const cases: Array<[unknown, RegExp]> = [
    [{}, /ms/],
    [{ ms: 0 }, /ms/],
    [{ ms: -5 }, /ms/],
    [{ ms: 1.5 }, /ms/],
    [{ ms: '1000' }, /ms/],
    [{ ms: 1000, seconds: 1 }, /seconds/],
    [{ ms: 11 * 365 * 24 * HOUR }, /ms/]
  ]
  for (const [body, mention] of cases) assertError(t, await advance(app, body), ErrorCode.BAD_REQUEST, mention)
  const unknown = await advance(app, { ms: 1000, account: '0x00000000000000000000000000000000000000ff' })
  assertError(t, unknown, ErrorCode.NOT_FOUND, Reason.accountNotFound('0x00000000000000000000000000000000000000ff'))
  assertError(t, await app.inject({ method: 'GET', url: '/_mock/clock?acount=x' }), ErrorCode.BAD_REQUEST, /acount/)
  assertError(t, await app.inject({ method: 'POST', url: '/_mock/clock/reset', payload: { acount: 'x' } }), ErrorCode.BAD_REQUEST, /acount/)
  t.equal((await clockOf(app)).offsetMs, 0, 'the clock did not move')
  t.equal((await clockOf(app, OTHER_ACCOUNT.account)).offsetMs, 0)
})

t.test('a reset of the data puts the account\'s clock back', async (t) => {
  const { app } = await setUp(t)
  await advance(app, { ms: HOUR, account: OTHER_ACCOUNT.account })
  t.equal((await clockOf(app, OTHER_ACCOUNT.account)).offsetMs, HOUR)
  await app.inject({ method: 'POST', url: '/_mock/reset', payload: { account: OTHER_ACCOUNT.account } })
  t.equal((await clockOf(app, OTHER_ACCOUNT.account)).offsetMs, 0)
})

t.test('advances of one account at once run one after the other, and add up', async (t) => {
  const { app } = await setUp(t)
  const answers = await Promise.all([advance(app, { ms: HOUR }), advance(app, { ms: 2 * HOUR }), advance(app, { ms: 3 * HOUR })])
  t.same(answers.map((a) => a.statusCode), [200, 200, 200])
  t.same(answers.map((a) => a.json().offsetMs).sort((a, b) => a - b), [HOUR, 3 * HOUR, 6 * HOUR], 'each from where the one before stopped')
  t.equal((await clockOf(app)).offsetMs, 6 * HOUR)
})
