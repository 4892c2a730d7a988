import t from 'tap'
import { DEFAULT_ACCOUNT } from '../../src/demo-credentials.js'
import { advanceDeposit, takeDueSteps } from '../../src/domain/deposits.js'
import { PURSE_IDLE_LIFETIME_MS } from '../../src/domain/purses.js'
import { ApiError, ErrorCode, Reason } from '../../src/errors.js'
import { build, createCustomer, deposit, manualClock, signedPost } from '../support/helper.js'

const T0 = Date.parse('2026-11-25T12:00:00.000Z')
const MINUTE = 60 * 1000
const HOUR = 60 * MINUTE
const iso = (ms: number) => new Date(ms).toISOString()
const ACCOUNT = DEFAULT_ACCOUNT
const MEM_POOL = 'CUSTOMER_PURSE_MEM_POOL_FOUND'
const PENDING = 'CUSTOMER_PURSE_PENDING_COMPLIANCE'
const FUNDS = 'CUSTOMER_PURSE_FUNDS_RECEIVED_FOR_PURSE'
const CREDITED = 'CUSTOMER_PURSE_TRANSLATION_TO_ACCOUNT_COMPLETED'
const DECLINED = 'CUSTOMER_PURSE_COMPLIANCE_DECLINED'

t.test('a deposit stopped at CONFIRMED has its funds received, so its purse lives a year from then; one stopped before has not', async (t) => {
  const clock = manualClock(T0)
  const app = await build(t, {}, { clock })
  const confirmed = await deposit(app, { customerId: (await createCustomer(app)).id, currency: 'BTC', amount: 1, stopAt: 'CONFIRMED' })
  t.match(confirmed, { transactionState: 'CONFIRMED', complianceState: 'CHECKED', translationToAccountCompleted: false })
  t.same(app.store.events.typesForTransaction(confirmed.id), [MEM_POOL, PENDING, FUNDS])
  t.equal(app.store.purses.findById(confirmed.purseId)!.expiryDate, '2027-11-25T12:00:00.000Z', '365 days after the funds were received')
  t.equal(app.store.purses.findById(confirmed.purseId)!.status, 'PENDING_PAYMENT', 'its address still takes deposits')

  const pending = await deposit(app, { customerId: (await createCustomer(app)).id, currency: 'BTC', amount: 1, stopAt: 'PENDING_COMPLIANCE_CHECK' })
  t.match(pending, { transactionState: 'PENDING_COMPLIANCE_CHECK', complianceState: 'IN_PROGRESS', translationToAccountCompleted: false })
  t.equal(app.store.purses.findById(pending.purseId)!.expiryDate, iso(T0 + PURSE_IDLE_LIFETIME_MS), 'no funds received yet: the idle lifetime')
  t.equal(app.store.purses.findById(pending.purseId)!.status, 'PENDING_PAYMENT')
})

t.test('a declined deposit paused at MEM_POOL_FOUND: CONFIRMED is refused and changes nothing; it stops at PENDING_COMPLIANCE_CHECK, then ends DECLINED and declines its purse without extending it', async (t) => {
  const clock = manualClock(T0)
  const app = await build(t, {}, { clock })
  const tx = await deposit(app, { customerId: (await createCustomer(app)).id, currency: 'BTC', amount: 1, outcome: 'DECLINED', stopAt: 'MEM_POOL_FOUND' })
  const purse = app.store.purses.findById(tx.purseId)!
  t.equal(purse.status, 'PENDING_PAYMENT')

  t.throws(() => advanceDeposit(app.domain, tx.id, 'CONFIRMED'), new ApiError(ErrorCode.BAD_REQUEST, Reason.confirmedAfterDecline))
  t.equal(app.store.transactions.progress(tx.id)!.transactionState, 'MEM_POOL_FOUND', 'refused before any step')
  t.same(app.store.events.typesForTransaction(tx.id), [MEM_POOL])

  clock.advance(MINUTE)
  t.match(advanceDeposit(app.domain, tx.id, 'PENDING_COMPLIANCE_CHECK'), { transactionState: 'PENDING_COMPLIANCE_CHECK', complianceState: 'IN_PROGRESS', translationToAccountCompleted: false })
  t.match(advanceDeposit(app.domain, tx.id, undefined), { transactionState: 'DECLINED', complianceState: 'DECLINE', translationToAccountCompleted: false })
  t.same(app.store.events.typesForTransaction(tx.id), [MEM_POOL, PENDING, DECLINED])
  t.same(app.store.purses.findById(tx.purseId), { ...purse, status: 'DECLINED' }, 'declined, with its dates as they were')
  t.throws(() => advanceDeposit(app.domain, tx.id, undefined), new ApiError(ErrorCode.BAD_REQUEST, Reason.transactionComplete(tx.id, 'DECLINED', false)))
  t.throws(() => advanceDeposit(app.domain, tx.id, 'CONFIRMED'), new ApiError(ErrorCode.BAD_REQUEST, Reason.transactionComplete(tx.id, 'DECLINED', false)), 'complete comes first')

  const refused = await app.inject({ method: 'POST', url: '/_mock/deposits', payload: { address: purse.address, currency: 'BTC', amount: 1 } })
  t.equal(refused.statusCode, 400)
  t.equal(refused.json().message, new ApiError(ErrorCode.BAD_REQUEST, Reason.addressClosed(purse.address, 'DECLINED')).message, 'a declined address takes no deposits')
  t.equal(app.store.db.prepare('SELECT count(*) FROM transactions').pluck().get(), 1, 'and nothing is recorded')
})

t.test('advancing a deposit to the state it is in is refused and leaves it waiting on time; moved on by hand, it no longer waits', async (t) => {
  const clock = manualClock(T0)
  const app = await build(t, {}, { clock })
  const tx = await deposit(app, { customerId: (await createCustomer(app)).id, currency: 'BTC', amount: 1, stepEveryMs: 10 * MINUTE })
  t.equal(app.store.transactions.nextStepAt(tx.id), T0 + 10 * MINUTE)

  t.throws(() => advanceDeposit(app.domain, tx.id, 'MEM_POOL_FOUND'), new ApiError(ErrorCode.BAD_REQUEST, Reason.stopAtNotLater(tx.id, 'MEM_POOL_FOUND')))
  t.equal(app.store.transactions.nextStepAt(tx.id), T0 + 10 * MINUTE, 'a refused advance leaves it waiting on time')
  t.same(app.store.events.typesForTransaction(tx.id), [MEM_POOL])

  t.match(advanceDeposit(app.domain, tx.id, 'PENDING_COMPLIANCE_CHECK'), { transactionState: 'PENDING_COMPLIANCE_CHECK' })
  t.throws(() => advanceDeposit(app.domain, tx.id, 'PENDING_COMPLIANCE_CHECK'), new ApiError(ErrorCode.BAD_REQUEST, Reason.stopAtNotLater(tx.id, 'PENDING_COMPLIANCE_CHECK')))
  t.equal(app.store.transactions.nextStepAt(tx.id), undefined, 'moved on by hand, it waits for nothing')
  clock.advance(HOUR)
  t.equal(takeDueSteps(app.domain, ACCOUNT), 0)
  t.equal(app.store.transactions.progress(tx.id)!.transactionState, 'PENDING_COMPLIANCE_CHECK')

  const missing = '3fa85f64-5717-4562-b3fc-2c963f66afa6'
  t.throws(() => advanceDeposit(app.domain, missing, undefined), new ApiError(ErrorCode.NOT_FOUND, Reason.depositTransactionNotFound(missing)))
})

t.test('takeDueSteps, run late, takes every step due by then, each timed from when the one before was due, not from now', async (t) => {
  const clock = manualClock(T0 + 0.5)
  const app = await build(t, {}, { clock })
  const tx = await deposit(app, { customerId: (await createCustomer(app)).id, currency: 'BTC', amount: 1, stepEveryMs: 10 * MINUTE })
  t.match(tx, { transactionState: 'MEM_POOL_FOUND', complianceState: 'UNCHECKED', translationToAccountCompleted: false }, 'it answers after its first step')
  t.equal(app.store.transactions.stepEveryMs(tx.id), 10 * MINUTE)
  t.equal(app.store.transactions.nextStepAt(tx.id), T0 + 10 * MINUTE, 'the next step waits stepEveryMs from the deposit, in whole milliseconds')

  clock.set(T0 + 10 * MINUTE - 0.5)
  t.equal(takeDueSteps(app.domain, ACCOUNT), 0, 'not a moment early')
  clock.set(T0 + 25 * MINUTE)
  t.equal(takeDueSteps(app.domain, ACCOUNT), 2, 'the steps due at 10 and at 20 minutes')
  t.match(app.store.transactions.progress(tx.id), { transactionState: 'CONFIRMED', translationToAccountCompleted: false })
  t.equal(app.store.transactions.nextStepAt(tx.id), T0 + 30 * MINUTE, '10 minutes after the last step was due')
  t.equal(app.store.purses.findById(tx.purseId)!.expiryDate, '2027-11-25T12:25:00.000Z', 'the funds were received when the step was taken: 365 days from then')
  t.equal(takeDueSteps(app.domain, ACCOUNT), 0, 'nothing is taken twice')

  clock.set(T0 + 30 * MINUTE)
  t.equal(takeDueSteps(app.domain, ACCOUNT), 1)
  t.equal(app.store.transactions.progress(tx.id)!.translationToAccountCompleted, true)
  t.equal(app.store.transactions.nextStepAt(tx.id), undefined, 'the flow is over: nothing waits')
  clock.advance(HOUR)
  t.equal(takeDueSteps(app.domain, ACCOUNT), 0)
  t.same(app.store.events.typesForTransaction(tx.id), [MEM_POOL, PENDING, FUNDS, CREDITED])
})

t.test('deposits that do not wait on time leave nothing waiting: a paused one stays paused however late it gets', async (t) => {
  const clock = manualClock(T0)
  const app = await build(t, {}, { clock })
  const done = await deposit(app, { customerId: (await createCustomer(app)).id, currency: 'BTC', amount: 1 })
  const paused = await deposit(app, { customerId: (await createCustomer(app)).id, currency: 'BTC', amount: 1, stopAt: 'MEM_POOL_FOUND' })
  for (const tx of [done, paused]) {
    t.equal(app.store.transactions.stepEveryMs(tx.id), undefined)
    t.equal(app.store.transactions.nextStepAt(tx.id), undefined)
  }
  clock.advance(24 * HOUR)
  t.equal(takeDueSteps(app.domain, ACCOUNT), 0)
  t.equal(app.store.transactions.progress(paused.id)!.transactionState, 'MEM_POOL_FOUND')
  t.same(app.store.events.typesForTransaction(paused.id), [MEM_POOL])
})

t.test('a deposit to an address in another currency of its chain records that currency on the purse itself', async (t) => {
  const app = await build(t)
  const customer = await createCustomer(app)
  const address = (await signedPost(app, 'customer-purse/address/get', { customerId: customer.id, currency: 'ETH' })).json()
  const tx = await deposit(app, { address: address.address, currency: 'USDT_BSC', amount: 5 })
  t.equal(tx.purseId, address.id)
  t.same(app.store.purses.findById(address.id)!.currencies, ['ETH', 'USDT_BSC'], 'without asking address/get for it')
  await deposit(app, { address: address.address, currency: 'USDT_BSC', amount: 6 })
  t.same(app.store.purses.findById(address.id)!.currencies, ['ETH', 'USDT_BSC'], 'once')
})
