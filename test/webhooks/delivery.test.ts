import { once } from 'node:events'
import t, { type Test } from 'tap'
import { ApiError, ErrorCode, Reason } from '../../src/errors.js'
import { CALYPSO_RETRY_SECONDS } from '../../src/webhooks/retry-schedule.js'
import { build, createCustomer, deposit, manualClock, signedPost, waitForDeliveries, webhookConfig } from '../support/helper.js'
import { startReceiver, type ReceivedWebhook } from '../support/webhook-receiver.js'

const CONFIRMED_FLOW = [
  'CUSTOMER_PURSE_MEM_POOL_FOUND',
  'CUSTOMER_PURSE_PENDING_COMPLIANCE',
  'CUSTOMER_PURSE_FUNDS_RECEIVED_FOR_PURSE',
  'CUSTOMER_PURSE_TRANSLATION_TO_ACCOUNT_COMPLETED'
]
const DECLINED_FLOW = ['CUSTOMER_PURSE_MEM_POOL_FOUND', 'CUSTOMER_PURSE_PENDING_COMPLIANCE', 'CUSTOMER_PURSE_COMPLIANCE_DECLINED']

const types = (received: ReceivedWebhook[]) => received.map((r) => r.body.eventType)

async function setUp (t: Test, webhook: Partial<Parameters<typeof webhookConfig>[1]> = {}) {
  const receiver = await startReceiver(t)
  const app = await build(t, { webhook: webhookConfig(receiver.url, webhook) })
  receiver.setSecret(app.webhooks.configured!.secretKey)
  return { app, receiver }
}

t.test('a deposit to an unblocked customer: four signed events in order, customerBlocked false', async (t) => {
  const { app, receiver } = await setUp(t)
  const customer = await createCustomer(app)
  const tx = await deposit(app, { customerId: customer.id, currency: 'USDT_TRX', amount: 125.5 })
  await receiver.waitFor((r) => r.length === 4)
  t.same(types(receiver.received), CONFIRMED_FLOW)
  const address = (await signedPost(app, 'customer-purse/address/get', { customerId: customer.id, currency: 'USDT_TRX' })).json()
  for (const { verified, key, body } of receiver.received) {
    t.ok(verified, `${body.eventType}: Sign verifies over the raw body`)
    t.equal(key, app.webhooks.configured!.publicKey)
    t.equal(body.service, 'CUSTOMER_PURSE')
    t.match(body.createdDate, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{0,5}[1-9])?$/)
    t.same(body.data, {
      customerId: customer.id,
      customerBlocked: false,
      blocked: false,
      purseId: address.id,
      address: address.address,
      transactionId: tx.id,
      amount: 125.5,
      currency: 'USDT_TRX',
      transactionHash: body.data.transactionHash
    })
    t.match(body.data.transactionHash, /^[0-9a-f]{64}$/)
  }
  const ids = receiver.received.map((r) => r.body.id)
  t.same(ids, [...ids].sort((a, b) => a - b), 'event ids increase')
  t.equal(new Set(ids).size, 4)
  t.same(receiver.received.map((r) => r.body.level), ['INFO', 'INFO', 'INFO', 'SUCCESS'])
})

t.test('a blocked customer\'s deposit is credited, and every event says blocked', async (t) => {
  const { app, receiver } = await setUp(t)
  const customer = await createCustomer(app)
  await signedPost(app, 'customer-purse/customer/block', { customerId: customer.id })
  const tx = await deposit(app, { customerId: customer.id, currency: 'BTC', amount: 0.01 })
  t.equal(tx.translationToAccountCompleted, true)
  await receiver.waitFor((r) => r.length === 4)
  for (const { body } of receiver.received) {
    t.equal(body.data.customerBlocked, true)
    t.equal(body.data.blocked, true)
  }
  const stored = (await signedPost(app, 'customer-purse/transaction/get', { transactionId: tx.id })).json()
  t.match(stored, { transactionState: 'CONFIRMED', complianceState: 'CHECKED', translationToAccountCompleted: true })
})

t.test('the flag is read when each event is created: unblocking mid-flow shows in later events', async (t) => {
  const { app, receiver } = await setUp(t)
  const customer = await createCustomer(app)
  await signedPost(app, 'customer-purse/customer/block', { customerId: customer.id })
  const tx = await deposit(app, { customerId: customer.id, currency: 'ETH', amount: 1, stopAt: 'PENDING_COMPLIANCE_CHECK' })
  await signedPost(app, 'customer-purse/customer/unblock', { customerId: customer.id })
  const advanced = await app.inject({ method: 'POST', url: `/_mock/transactions/${tx.id}/advance`, payload: {} })
  t.equal(advanced.statusCode, 200)
  await receiver.waitFor((r) => r.length === 4)
  t.same(receiver.received.map((r) => [r.body.eventType, r.body.data.customerBlocked]), [
    [CONFIRMED_FLOW[0], true], [CONFIRMED_FLOW[1], true], [CONFIRMED_FLOW[2], false], [CONFIRMED_FLOW[3], false]
  ])
})

t.test('a declined deposit: three events, the purse DECLINED, further deposits refused', async (t) => {
  const { app, receiver } = await setUp(t)
  const customer = await createCustomer(app)
  const tx = await deposit(app, { customerId: customer.id, currency: 'USDT', amount: 5000, outcome: 'DECLINED' })
  t.match(tx, { transactionState: 'DECLINED', complianceState: 'DECLINE', translationToAccountCompleted: false })
  await receiver.waitFor((r) => r.length === 3)
  t.same(types(receiver.received), DECLINED_FLOW)
  t.equal(receiver.received[2]!.body.level, 'WARNING')
  const purses = (await signedPost(app, 'customer-purse/purse/get-all', { customerId: customer.id })).json()
  t.same(purses.map((p: { status: string }) => p.status), ['DECLINED'])
  const again = await app.inject({ method: 'POST', url: '/_mock/deposits', payload: { address: purses[0].address, currency: 'USDT', amount: 1 } })
  t.equal(again.statusCode, 400)
  t.equal(again.json().errorCode, '001')
  t.equal(again.json().message, new ApiError(ErrorCode.BAD_REQUEST, Reason.addressClosed(purses[0].address, 'DECLINED')).message)
})

t.test('events of one transaction arrive in order, also across several deposits', async (t) => {
  const { app, receiver } = await setUp(t)
  const customer = await createCustomer(app)
  const txs = []
  for (let i = 1; i <= 5; i++) txs.push(await deposit(app, { customerId: customer.id, currency: 'TRX', amount: i }))
  await receiver.waitFor((r) => r.length === 20)
  for (const tx of txs) {
    t.same(receiver.received.filter((r) => r.body.data.transactionId === tx.id).map((r) => r.body.eventType), CONFIRMED_FLOW)
  }
})

t.test('a receiver answering 500 gets the event again until it answers 200; the attempts are recorded', async (t) => {
  const { app, receiver } = await setUp(t)
  receiver.answer((_, i) => (i < 2 ? 500 : 200))
  const customer = await createCustomer(app)
  await deposit(app, { customerId: customer.id, currency: 'LTC', amount: 2, stopAt: 'MEM_POOL_FOUND' })
  await receiver.waitFor((r) => r.some((x) => x.answered === 200))
  t.same(receiver.received.map((r) => [r.body.eventType, r.answered]), [
    [CONFIRMED_FLOW[0], 500], [CONFIRMED_FLOW[0], 500], [CONFIRMED_FLOW[0], 200]
  ])
  t.equal(new Set(receiver.received.map((r) => r.rawBody)).size, 1, 'the same bytes every time')
  const deliveries = await waitForDeliveries(app, (d) => d[0]?.status === 'delivered')
  t.equal(deliveries.length, 1)
  t.same(deliveries[0]!.attempts.map((a) => a.httpStatus), [500, 500, 200])
  t.match(deliveries[0]!.attempts[0]!.error, /HTTP 500/)
})

t.test('any status but 200 fails: a 204 is retried', async (t) => {
  const { app, receiver } = await setUp(t)
  receiver.answer((_, i) => (i === 0 ? 204 : 200))
  const customer = await createCustomer(app)
  await deposit(app, { customerId: customer.id, currency: 'BTC', amount: 1, stopAt: 'MEM_POOL_FOUND' })
  await receiver.waitFor((r) => r.some((x) => x.answered === 200))
  t.same(receiver.received.map((r) => r.answered), [204, 200])
})

t.test('after 19 failed retries the delivery is marked failed and not sent again', async (t) => {
  const { app, receiver } = await setUp(t, { retryScale: 0 })
  receiver.answer((_, i) => (i < 20 ? 503 : 200))
  const customer = await createCustomer(app)
  const tx = await deposit(app, { customerId: customer.id, currency: 'BTC', amount: 1, stopAt: 'MEM_POOL_FOUND' })
  const [delivery] = await waitForDeliveries(app, (d) => d.length === 1, '?status=failed')
  t.equal(delivery!.attempts.length, 20, 'the first attempt and 19 retries')
  t.equal(delivery!.nextAttemptAt, null)
  // The receiver is healthy again and the next event goes out on the same lane: had the failed
  // delivery been due again, it would have gone out before it.
  const advanced = await app.inject({ method: 'POST', url: `/_mock/transactions/${tx.id}/advance`, payload: {} })
  t.equal(advanced.statusCode, 200)
  await receiver.waitFor((r) => r.some((x) => x.answered === 200))
  const first = receiver.received.filter((r) => r.body.id === delivery!.eventId)
  t.equal(first.length, 20, 'the failed event was sent 20 times, no more')
  t.ok(first.every((r) => r.answered === 503))
})

t.test('a redirect is a failure and is not followed', async (t) => {
  const { createServer } = await import('node:http')
  const followed = await startReceiver(t)
  let redirects = 0
  const redirector = createServer((_, res) => { redirects++; res.writeHead(307, { location: followed.url }); res.end() })
  await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve))
  t.teardown(() => { redirector.closeAllConnections(); redirector.close() })
  const url = `http://127.0.0.1:${(redirector.address() as { port: number }).port}/hook`
  const app = await build(t, { webhook: webhookConfig(url) })
  const customer = await createCustomer(app)
  await deposit(app, { customerId: customer.id, currency: 'BTC', amount: 1, stopAt: 'MEM_POOL_FOUND' })
  const [first] = (await waitForDeliveries(app, (d) => (d[0]?.attempts.length ?? 0) >= 2))[0]!.attempts
  t.equal(first!.httpStatus, 307)
  t.match(first!.error, /redirects are not followed \(Location: http:\/\/127\.0\.0\.1/)
  t.ok(redirects >= 2)
  t.equal(followed.received.length, 0)
})

t.test('an attempt to a port nothing listens on records the connection error', async (t) => {
  // Port 1 (tcpmux) is privileged and unused here, as in the image's HEALTHCHECK test.
  const app = await build(t, { webhook: webhookConfig('http://127.0.0.1:1/calypso/webhooks') })
  const customer = await createCustomer(app)
  await deposit(app, { customerId: customer.id, currency: 'BTC', amount: 1, stopAt: 'MEM_POOL_FOUND' })
  const [delivery] = await waitForDeliveries(app, (d) => (d[0]?.attempts.length ?? 0) > 0)
  t.match(delivery!.attempts[0], { httpStatus: null, error: /^ECONNREFUSED/ })
  t.equal(delivery!.status, 'pending', 'and it is retried')
})

t.test('a receiver that is down, then up, gets every event', async (t) => {
  const receiver = await startReceiver(t, { down: true })
  const app = await build(t, { webhook: webhookConfig(receiver.url) })
  receiver.setSecret(app.webhooks.configured!.secretKey)
  const customer = await createCustomer(app)
  await deposit(app, { customerId: customer.id, currency: 'POL', amount: 3 })
  const tried = await waitForDeliveries(app, (d) => d.some((x) => x.attempts.length > 0))
  t.match(tried.find((d) => d.attempts.length > 0)!.attempts[0], { httpStatus: null, error: /ECONNRESET|socket hang up/ })

  receiver.up()
  await receiver.waitFor((r) => new Set(types(r)).size === 4)
  // Events that failed wait for their retry, so ones never tried may overtake them.
  t.same([...new Set(types(receiver.received))].sort(), [...CONFIRMED_FLOW].sort(), 'every event arrived')
  t.ok(receiver.received.every((r) => r.verified))
})

t.test('a receiver slower than the timeout: the attempt fails as a timeout and is retried', async (t) => {
  const { app, receiver } = await setUp(t, { timeoutMs: 100 })
  receiver.answer(async (request, i) => {
    // The first answer comes only once the mock has given up on it.
    if (i === 0 && !request.socket.destroyed) await once(request.socket, 'close')
    return 200
  })
  const customer = await createCustomer(app)
  await deposit(app, { customerId: customer.id, currency: 'BTC', amount: 1, stopAt: 'MEM_POOL_FOUND' })
  await receiver.waitFor((r) => r.length === 2)
  const [delivery] = await waitForDeliveries(app, (d) => d[0]?.status === 'delivered')
  t.match(delivery!.attempts[0], { httpStatus: null, error: 'timed out after 100 ms' })
  t.ok(delivery!.attempts[0]!.durationMs >= 99)
})

t.test('one slow receiver does not hold up another', async (t) => {
  const slow = await startReceiver(t)
  let release = () => {}
  slow.answer(() => new Promise((resolve) => { release = () => resolve(200) }))
  const { app, receiver } = await setUp(t, { timeoutMs: 30_000 })
  const customer = await createCustomer(app)
  const created = await signedPost(app, 'subscription/webhook/create', {
    requestId: '7d0b2a3e-4c5f-4a6b-8c9d-0e1f2a3b4c5d', notificationEventTypes: [], notificationServiceTypes: ['CUSTOMER_PURSE'], url: slow.url
  })
  t.equal(created.statusCode, 200)
  await deposit(app, { customerId: customer.id, currency: 'BTC', amount: 1 })
  await receiver.waitFor((r) => r.length === 4)
  t.equal(slow.received.length, 0, 'the slow receiver is still holding its first event')
  release()
  await slow.waitFor((r) => r.length >= 1)
})

t.test('a deleted subscription gets nothing more, pending retries included', async (t) => {
  const receiver = await startReceiver(t)
  const clock = manualClock()
  const app = await build(t, { webhook: webhookConfig(undefined) }, { clock })
  const subscribe = async (requestId: string) => {
    const created = await signedPost(app, 'subscription/webhook/create', {
      requestId, notificationEventTypes: ['CUSTOMER_PURSE_MEM_POOL_FOUND'], notificationServiceTypes: [], url: receiver.url
    })
    t.equal(created.statusCode, 200)
    return created.json().secretKey as string
  }
  const deleted = '0f8e1d2c-3b4a-4596-8877-665544332211'
  receiver.setSecret(await subscribe(deleted))
  receiver.answer(() => 500)
  const customer = await createCustomer(app)
  await deposit(app, { customerId: customer.id, currency: 'BTC', amount: 1 })
  // The first attempt failed: a retry is pending.
  const [failed] = await waitForDeliveries(app, (d) => d[0]?.attempts.length === 1)
  t.match(failed, { status: 'pending', subscriptionRequestId: deleted, eventType: 'CUSTOMER_PURSE_MEM_POOL_FOUND' }, 'only the subscribed event type')
  const del = await signedPost(app, 'subscription/webhook', { requestId: deleted }, { method: 'DELETE' })
  t.equal(del.statusCode, 200)
  t.equal(del.body, '')

  // A second subscription to the same receiver, and time moved past the retry: were the deleted
  // subscription's delivery still due, the scan that sends the next event would send it first.
  await subscribe('1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d')
  receiver.answer(() => 200)
  clock.advance(24 * 3600_000)
  await deposit(app, { customerId: customer.id, currency: 'BTC', amount: 2 })
  await receiver.waitFor((r) => r.some((x) => x.answered === 200))
  while (app.webhooks.dispatcher.inFlight() > 0) await new Promise((resolve) => setTimeout(resolve, 5))

  t.same(receiver.received.map((r) => [r.body.requestId, r.answered]), [[deleted, 500], ['1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d', 200]], 'nothing reached the deleted subscription after the delete')
  const toDeleted = (await waitForDeliveries(app, () => true)).filter((d) => d.subscriptionRequestId === deleted)
  t.same(toDeleted.map((d) => [d.id, d.status, d.attempts.length]), [[failed!.id, 'cancelled', 1]], 'exactly one delivery, cancelled, with its one attempt')
})

t.test('the documented retry schedule: 30 s, then 30, 60, 90, 150, 240 ... 125 430 s, 19 intervals, no padding', async (t) => {
  t.equal(CALYPSO_RETRY_SECONDS.length, 19)
  t.same(CALYPSO_RETRY_SECONDS.slice(0, 6), [30, 30, 60, 90, 150, 240])
  t.equal(CALYPSO_RETRY_SECONDS.at(-1), 125430)
  t.equal(new Set(CALYPSO_RETRY_SECONDS).size, 18, 'only the first interval repeats')
  CALYPSO_RETRY_SECONDS.slice(2).forEach((seconds, i) => {
    t.equal(seconds, CALYPSO_RETRY_SECONDS[i]! + CALYPSO_RETRY_SECONDS[i + 1]!, `interval ${i + 3} is the sum of the two before it`)
  })
})
