import t from 'tap'
import { DEFAULT_ACCOUNT } from '../../../../src/demo-credentials.js'
import { ApiError, ErrorCode, Reason } from '../../../../src/errors.js'
import { testConfig } from '../../../../src/test-config.js'
import { OTHER_ACCOUNT, assertError, build, createCustomer, deposit, signedPost, waitForDeliveries, webhookConfig } from '../../../support/helper.js'
import { startReceiver } from '../../../support/webhook-receiver.js'

const FUNDS = 'CUSTOMER_PURSE_FUNDS_RECEIVED_FOR_PURSE'
/** The whole message of a 408: the catalog's text for 004, then the detail. */
const timedOut = (detail: string) => new ApiError(ErrorCode.NOT_FOUND, detail).message
type App = Awaited<ReturnType<typeof build>>

async function appWithReceiver (t: Parameters<typeof startReceiver>[0]) {
  const receiver = await startReceiver(t)
  return build(t, { webhook: webhookConfig(receiver.url) })
}

const wait = (app: App, query: string) =>
  app.inject({ method: 'GET', url: `/_mock/webhooks/wait?${query}${query.includes('timeoutMs=') ? '' : '&timeoutMs=10000'}` })

/** Resolves once `count` long polls are open: the positive signal that a wait started before what follows. */
async function pollsOpen (app: App, count: number): Promise<void> {
  while (app.webhooks.waiters.count() < count) await new Promise((resolve) => setImmediate(resolve))
}

const get = async (app: App, url: string) => (await app.inject({ method: 'GET', url })).json()

t.test('an event delivered before the wait starts is answered, once per consumer', async (t) => {
  const app = await appWithReceiver(t)
  const customer = await createCustomer(app)
  const tx = await deposit(app, { customerId: customer.id, currency: 'BTC', amount: 1 })
  await waitForDeliveries(app, (d) => d.length === 4 && d.every((x) => x.status === 'delivered'), `?customerId=${customer.id}`)

  const first = await wait(app, `transactionId=${tx.id}&eventType=${FUNDS}`)
  t.equal(first.statusCode, 200)
  t.match(first.json(), { event: { eventType: FUNDS, data: { transactionId: tx.id } }, delivery: { transactionId: tx.id } })
  const again = await wait(app, `transactionId=${tx.id}&eventType=${FUNDS}&timeoutMs=20`)
  t.equal(again.statusCode, 408, 'the same wait again does not hand back the event it already returned')
  t.match(again.json(), { errorCode: ErrorCode.NOT_FOUND, message: timedOut(Reason.noWebhookInTime(20)) })
  const other = await wait(app, `transactionId=${tx.id}&eventType=${FUNDS}&consumer=another-suite`)
  t.equal(other.json().event.id, first.json().event.id, 'another consumer is handed the same event')
})

t.test('an event delivered after the wait starts is answered', async (t) => {
  const app = await appWithReceiver(t)
  const customer = await createCustomer(app)
  const pending = wait(app, `customerId=${customer.id}&eventType=${FUNDS}`)
  await pollsOpen(app, 1)
  const tx = await deposit(app, { customerId: customer.id, currency: 'ETH', amount: 2 })
  const res = await pending
  t.equal(res.statusCode, 200)
  t.match(res.json().event, { eventType: FUNDS, data: { transactionId: tx.id, customerId: customer.id, customerBlocked: false } })
})

t.test('the same wait after a second deposit gets the second deposit\'s event, not the first', async (t) => {
  const app = await appWithReceiver(t)
  const customer = await createCustomer(app)
  const query = `customerId=${customer.id}&eventType=${FUNDS}`
  const first = await deposit(app, { customerId: customer.id, currency: 'TRX', amount: 1 })
  t.equal((await wait(app, query)).json().event.data.transactionId, first.id)
  const second = await deposit(app, { customerId: customer.id, currency: 'TRX', amount: 2 })
  t.equal((await wait(app, query)).json().event.data.transactionId, second.id)
})

t.test('open waits are answered by matching in memory: one delivery answers every matching consumer, and only those', async (t) => {
  const app = await appWithReceiver(t)
  const customer = await createCustomer(app)
  const other = await createCustomer(app)
  const mine = [wait(app, `customerId=${customer.id}&eventType=${FUNDS}&consumer=a`), wait(app, `customerId=${customer.id}&eventType=${FUNDS}&consumer=b`)]
  const sameConsumer = [wait(app, `customerId=${customer.id}&consumer=c`), wait(app, `customerId=${customer.id}&consumer=c`)]
  const theirs = wait(app, `customerId=${other.id}`)
  await pollsOpen(app, 5)
  const tx = await deposit(app, { customerId: customer.id, currency: 'BTC', amount: 3 })
  for (const res of await Promise.all(mine)) t.equal(res.json().event.data.transactionId, tx.id)
  const [c1, c2] = (await Promise.all(sameConsumer)).map((res) => res.json().event.id as number)
  t.not(c1, c2, 'two waits of one consumer are handed two different events')
  const late = await deposit(app, { customerId: other.id, currency: 'BTC', amount: 4 })
  t.equal((await theirs).json().event.data.transactionId, late.id, 'a wait for another customer was not answered by the first deposit')
})

t.test('afterEventId still narrows; an unknown event type is refused instead of waited for', async (t) => {
  const app = await appWithReceiver(t)
  const customer = await createCustomer(app)
  await deposit(app, { customerId: customer.id, currency: 'BTC', amount: 1 })
  const first = (await wait(app, `customerId=${customer.id}`)).json().event
  t.equal(first.eventType, 'CUSTOMER_PURSE_MEM_POOL_FOUND')
  const after = (await wait(app, `customerId=${customer.id}&consumer=x&afterEventId=${first.id + 1}`)).json().event
  t.equal(after.id, first.id + 2)
  assertError(t, await wait(app, 'eventType=CUSTOMER_PURSE_FUNDS_RECIEVED'), ErrorCode.BAD_REQUEST, /eventType/)
})

t.test('a long poll whose client went away takes nothing: the consumer\'s next wait gets the event', async (t) => {
  const app = await appWithReceiver(t)
  const url = await app.listen({ port: 0, host: '127.0.0.1' })
  const customer = await createCustomer(app)
  const abandoned = new AbortController()
  const request = fetch(`${url}/_mock/webhooks/wait?customerId=${customer.id}&eventType=${FUNDS}&consumer=gone&timeoutMs=60000`, { signal: abandoned.signal })
  request.catch(() => {})
  await pollsOpen(app, 1)
  abandoned.abort()
  while (app.webhooks.waiters.count() > 0) await new Promise((resolve) => setImmediate(resolve))

  const tx = await deposit(app, { customerId: customer.id, currency: 'BTC', amount: 1 })
  const next = await wait(app, `customerId=${customer.id}&eventType=${FUNDS}&consumer=gone`)
  t.equal(next.statusCode, 200)
  t.match(next.json(), { event: { eventType: FUNDS, data: { transactionId: tx.id } } }, 'the event was not handed to the abandoned poll')
})

t.test('a wait that nothing subscribed could answer says so in its 408', async (t) => {
  const app = await build(t, { accounts: [...testConfig().accounts, OTHER_ACCOUNT] })
  const nobody = await wait(app, 'timeoutMs=20')
  t.equal(nobody.statusCode, 408)
  t.equal(nobody.json().errorCode, ErrorCode.NOT_FOUND)
  t.equal(nobody.json().message, timedOut(Reason.noWebhookSubscribed(20, undefined, undefined)))
  t.match(Reason.noWebhookSubscribed(20, undefined, undefined), /no account has a webhook subscription.*WEBHOOK_URL.*subscription\/webhook\/create/)

  const created = await signedPost(app, 'subscription/webhook/create', {
    requestId: '5b0c8a1e-2f3d-4e5f-9a0b-1c2d3e4f5a6b', notificationEventTypes: ['CUSTOMER_PURSE_MEM_POOL_FOUND'], notificationServiceTypes: [], url: 'http://127.0.0.1:1/hook'
  }, { as: OTHER_ACCOUNT })
  t.equal(created.statusCode, 200)
  const account = DEFAULT_ACCOUNT.toLowerCase()
  const mine = await wait(app, `account=${account}&timeoutMs=20`)
  t.equal(mine.json().message, timedOut(Reason.noWebhookSubscribed(20, account, undefined)), 'another account\'s subscription does not count')
  const otherType = await wait(app, `account=${OTHER_ACCOUNT.account}&eventType=${FUNDS}&timeoutMs=20`)
  t.equal(otherType.json().message, timedOut(Reason.noWebhookSubscribed(20, OTHER_ACCOUNT.account, FUNDS)), 'nor a subscription to other event types')
  const subscribed = await wait(app, `account=${OTHER_ACCOUNT.account}&eventType=CUSTOMER_PURSE_MEM_POOL_FOUND&timeoutMs=20`)
  t.equal(subscribed.json().message, timedOut(Reason.noWebhookInTime(20)), 'a subscribed wait that found nothing says only that')
  t.equal((await wait(app, 'timeoutMs=20')).json().message, timedOut(Reason.noWebhookInTime(20)), 'any subscription counts for a wait on every account')
})

t.test('webhooks/wait answers when a matching webhook is delivered, or 408', async (t) => {
  const receiver = await startReceiver(t)
  const app = await build(t, { webhook: webhookConfig(receiver.url) })
  const customer = await createCustomer(app)
  const waiting = app.inject({ method: 'GET', url: `/_mock/webhooks/wait?eventType=CUSTOMER_PURSE_TRANSLATION_TO_ACCOUNT_COMPLETED&customerId=${customer.id}&timeoutMs=10000` })
  const tx = await deposit(app, { customerId: customer.id, currency: 'USDC', amount: 9 })
  const res = await waiting
  t.equal(res.statusCode, 200)
  t.match(res.json(), { delivery: { status: 'delivered', transactionId: tx.id }, event: { eventType: 'CUSTOMER_PURSE_TRANSLATION_TO_ACCOUNT_COMPLETED', data: { customerId: customer.id, amount: 9 } } })

  const first = (await get(app, `/_mock/webhooks/wait?customerId=${customer.id}`)).event
  t.equal(first.eventType, 'CUSTOMER_PURSE_MEM_POOL_FOUND', 'already delivered events count: the oldest first')
  const next = (await get(app, `/_mock/webhooks/wait?customerId=${customer.id}&afterEventId=${first.id}`)).event
  t.equal(next.eventType, 'CUSTOMER_PURSE_PENDING_COMPLIANCE')

  const none = await app.inject({ method: 'GET', url: '/_mock/webhooks/wait?eventType=CUSTOMER_PURSE_EXPIRED&timeoutMs=30' })
  t.equal(none.statusCode, 408)
  t.match(none.json(), { errorCode: ErrorCode.NOT_FOUND, message: /within 30 ms/ })
  t.match((await get(app, '/_mock/webhooks/wait?timeoutMs=0')), { errorCode: ErrorCode.BAD_REQUEST })
})
