import type { LightMyRequestResponse } from 'fastify'
import t from 'tap'
import { DEFAULT_ACCOUNT } from '../../src/demo-credentials.js'
import { ApiError, ErrorCode, Reason } from '../../src/errors.js'
import { testConfig } from '../../src/test-config.js'
import { OTHER_ACCOUNT, build, createCustomer, deposit, waitForDeliveries, webhookConfig } from '../support/helper.js'
import { scaled } from '../support/time-scale.js'
import { startReceiver } from '../support/webhook-receiver.js'

const FUNDS = 'CUSTOMER_PURSE_FUNDS_RECEIVED_FOR_PURSE'
const MEM_POOL = 'CUSTOMER_PURSE_MEM_POOL_FOUND'
const MINE = DEFAULT_ACCOUNT.toLowerCase()
const THEIRS = OTHER_ACCOUNT.account
const GUARD_MS = scaled(10_000)
type App = Awaited<ReturnType<typeof build>>

const wait = (app: App, query: string) =>
  app.inject({ method: 'GET', url: `/_mock/webhooks/wait?${query}${query.includes('timeoutMs=') ? '' : `&timeoutMs=${GUARD_MS}`}` })

const post = (app: App, url: string, payload: Record<string, unknown> = {}) => app.inject({ method: 'POST', url, payload })

/** Resolves once `count` long polls are open: the positive signal that a wait started before what follows. */
async function pollsOpen (app: App, count: number): Promise<void> {
  while (app.webhooks.waiters.count() < count) await new Promise((resolve) => setImmediate(resolve))
}

async function twoAccounts (t: Parameters<typeof startReceiver>[0]) {
  const receiver = await startReceiver(t)
  const app = await build(t, { accounts: [...testConfig().accounts, OTHER_ACCOUNT], webhook: webhookConfig(receiver.url) })
  const mine = await createCustomer(app)
  const theirs = await createCustomer(app, {}, { as: OTHER_ACCOUNT })
  return { app, receiver, mine, theirs }
}

t.test('an open wait is matched in memory on the transaction and the account it names, and a wait without a customer takes any customer\'s event', async (t) => {
  const { app, mine, theirs } = await twoAccounts(t)
  const paused = await deposit(app, { customerId: mine.id, currency: 'BTC', amount: 1, stopAt: 'MEM_POOL_FOUND' })
  const byTransaction = wait(app, `transactionId=${paused.id}&eventType=${FUNDS}&consumer=tx`)
  const byAccount = wait(app, `account=${THEIRS}&eventType=${FUNDS}&consumer=account`)
  await pollsOpen(app, 2)

  const other = await deposit(app, { customerId: mine.id, currency: 'BTC', amount: 2 })
  await waitForDeliveries(app, (d) => d.filter((x) => x.transactionId === other.id && x.status === 'delivered').length === 4)
  t.equal(app.webhooks.waiters.count(), 2, 'another transaction of the default account answered neither wait')

  t.equal((await post(app, `/_mock/transactions/${paused.id}/advance`)).statusCode, 200)
  const forTransaction = await byTransaction
  t.equal(forTransaction.statusCode, 200)
  t.match(forTransaction.json(), { event: { eventType: FUNDS, data: { transactionId: paused.id } } }, 'the named transaction\'s event answered')
  t.equal(app.webhooks.waiters.count(), 1)

  const theirDeposit = await deposit(app, { customerId: theirs.id, currency: 'BTC', amount: 3 })
  const forAccount = await byAccount
  t.equal(forAccount.statusCode, 200)
  t.match(forAccount.json(), { delivery: { account: THEIRS }, event: { eventType: FUNDS, data: { transactionId: theirDeposit.id } } }, 'the named account\'s event answered')
  t.equal(app.webhooks.waiters.count(), 0)
})

t.test('a snapshot restore ends the restored account\'s open waits at once; later waits see only events newer than the restore', async (t) => {
  const { app, mine, theirs } = await twoAccounts(t)
  await deposit(app, { customerId: mine.id, currency: 'BTC', amount: 1 })
  await waitForDeliveries(app, (d) => d.length === 4 && d.every((x) => x.status === 'delivered'))
  t.equal((await post(app, '/_mock/snapshots', { name: 'seeded' })).statusCode, 201)
  // Consumer c takes the account's only funds event, so its next waits stay open.
  t.equal((await wait(app, `account=${MINE}&eventType=${FUNDS}&consumer=c`)).statusCode, 200)
  const restoredAccountWait = wait(app, `account=${MINE}&eventType=${FUNDS}&consumer=c`)
  const otherAccountWait = wait(app, `account=${THEIRS}&eventType=${FUNDS}&consumer=c`)
  await pollsOpen(app, 2)

  const restored = await post(app, '/_mock/snapshots/seeded/restore')
  t.equal(restored.statusCode, 200)
  const { lastEventId } = restored.json() as { lastEventId: number }
  t.equal(app.webhooks.waiters.count(), 1, 'one wait ended with the restore')
  const theirDeposit = await deposit(app, { customerId: theirs.id, currency: 'BTC', amount: 2 })
  const other = await otherAccountWait
  t.equal(other.statusCode, 200, 'the other account\'s wait was left open')
  t.equal(other.json().event.data.transactionId, theirDeposit.id)
  const ended = await restoredAccountWait
  t.equal(ended.statusCode, 408, 'the restored account\'s wait ended with nothing')
  t.equal(ended.json().message, new ApiError(ErrorCode.NOT_FOUND, Reason.noWebhookInTime(GUARD_MS)).message)

  const late = await wait(app, `account=${MINE}&consumer=new&timeoutMs=50`)
  t.equal(late.statusCode, 408, 'a new consumer is not handed the restored events, delivered as they are')

  const memory = wait(app, `account=${MINE}&consumer=new`)
  await pollsOpen(app, 1)
  const deliveries = (await app.inject({ method: 'GET', url: `/_mock/webhooks/deliveries?account=${MINE}` })).json().deliveries as Array<{ id: number, eventId: number }>
  const newest = deliveries.find((d) => d.eventId === lastEventId)
  t.ok(newest, 'the restore\'s lastEventId is the newest restored event')
  const again = await post(app, `/_mock/webhooks/deliveries/${newest?.id}/redeliver`)
  t.equal(again.statusCode, 202)
  await waitForDeliveries(app, (d) => d.some((x) => x.id === again.json().id && x.status === 'delivered'))
  t.equal(app.webhooks.waiters.count(), 1, 'a restored event delivered again answers no wait, the newest one included')

  const next = await deposit(app, { customerId: mine.id, currency: 'BTC', amount: 3 })
  const answered = await memory
  t.equal(answered.statusCode, 200)
  t.match(answered.json(), { event: { eventType: MEM_POOL, data: { transactionId: next.id } } }, 'an event made after the restore answers')
  t.ok(answered.json().event.id > lastEventId)
})

t.test('a wait whose signal has already aborted hands nothing out; a wait without a signal is answered, found at once or later', async (t) => {
  const receiver = await startReceiver(t)
  const app = await build(t, { webhook: webhookConfig(receiver.url) })
  const customer = await createCustomer(app)
  const tx = await deposit(app, { customerId: customer.id, currency: 'BTC', amount: 1, stopAt: 'MEM_POOL_FOUND' })
  await waitForDeliveries(app, (d) => d.length === 1 && d[0]!.status === 'delivered')
  const { waiters } = app.webhooks
  const query = { consumer: 'c', customerId: customer.id }
  t.equal(waiters.count(), 0)

  t.equal(await waiters.wait(query, GUARD_MS, AbortSignal.abort()), undefined, 'a wait whose client is already gone ends with nothing')
  t.equal(waiters.count(), 0)
  const found = await waiters.wait(query, GUARD_MS)
  t.equal(found?.eventType, MEM_POOL, 'the consumer\'s next wait gets the event the aborted one did not take')

  const pending = waiters.wait(query, GUARD_MS)
  t.equal(waiters.count(), 1, 'a wait that found nothing is open')
  t.equal((await post(app, `/_mock/transactions/${tx.id}/advance`)).statusCode, 200)
  const later = await pending
  t.equal(later?.eventType, 'CUSTOMER_PURSE_PENDING_COMPLIANCE', 'and is answered by the next event')
  t.equal(waiters.count(), 0)
})

t.test('a delivery reset away while in flight answers no open wait, even when its receiver then accepts it', async (t) => {
  const receiver = await startReceiver(t)
  let sending!: () => void
  const inFlight = new Promise<void>((resolve) => { sending = resolve })
  let release!: () => void
  const held = new Promise<void>((resolve) => { release = resolve })
  receiver.answer(async (_request, index) => {
    if (index === 0) { sending(); await held }
    return 200
  })
  const app = await build(t, { webhook: webhookConfig(receiver.url) })
  const waiting = wait(app, `eventType=${MEM_POOL}&consumer=c`)
  await pollsOpen(app, 1)
  const before = await createCustomer(app)
  await deposit(app, { customerId: before.id, currency: 'BTC', amount: 1, stopAt: 'MEM_POOL_FOUND' })
  await inFlight
  t.equal((await post(app, '/_mock/reset')).statusCode, 200)
  release()
  await app.webhooks.dispatcher.settled()
  t.equal(receiver.received[0]?.answered, 200, 'the receiver accepted the delivery')
  t.equal(app.webhooks.waiters.count(), 1, 'the wait is still open')

  const after = await createCustomer(app)
  await deposit(app, { customerId: after.id, currency: 'BTC', amount: 1, stopAt: 'MEM_POOL_FOUND' })
  const res: LightMyRequestResponse = await waiting
  t.equal(res.statusCode, 200)
  t.equal(res.json().event.data.customerId, after.id, 'the next delivered event answered it')
})

t.test('a full reset empties what each consumer was handed; a reset of one account does not', async (t) => {
  const receiver = await startReceiver(t)
  const app = await build(t, { webhook: webhookConfig(receiver.url) })
  const customer = await createCustomer(app)
  await deposit(app, { customerId: customer.id, currency: 'BTC', amount: 1, stopAt: 'MEM_POOL_FOUND' })
  await waitForDeliveries(app, (d) => d.length === 1 && d[0]!.status === 'delivered')
  t.equal((await wait(app, 'consumer=a')).statusCode, 200)
  t.equal((await wait(app, 'consumer=b')).statusCode, 200)
  t.equal(app.webhooks.waiters.consumers(), 2)
  t.equal((await post(app, '/_mock/reset', { account: MINE })).statusCode, 200)
  t.equal(app.webhooks.waiters.consumers(), 2, 'kept after an account\'s reset')
  t.equal((await post(app, '/_mock/reset')).statusCode, 200)
  t.equal(app.webhooks.waiters.consumers(), 0, 'emptied by a full reset')
})

t.test('closing the app answers every open wait at once, with nothing', async (t) => {
  const app = await build(t)
  const gone = new AbortController()
  // Ends the wait should the close leave it open, so the file does not wait out its timeout.
  t.teardown(() => gone.abort())
  let answer: unknown = 'still open'
  void app.webhooks.waiters.wait({ consumer: 'c' }, scaled(60_000), gone.signal).then((found) => { answer = found })
  t.equal(app.webhooks.waiters.count(), 1)
  await app.close()
  t.equal(answer, undefined)
  t.equal(app.webhooks.waiters.count(), 0)
})
