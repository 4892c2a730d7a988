import { request as httpRequest } from 'node:http'
import t from 'tap'
import { ErrorCode } from '../../../src/errors.js'
import { build, createCustomer, deposit, signedPost, webhookConfig } from '../../support/helper.js'
import { outcomeWithin, scaled } from '../../support/time-scale.js'
import { startReceiver } from '../../support/webhook-receiver.js'
import { listen, openLiveEvents } from '../../support/live-client.js'

t.test('a deposit made through the API streams its customer, purse, each step and each delivery attempt', async (t) => {
  const receiver = await startReceiver(t)
  const app = await build(t, { webhook: webhookConfig(receiver.url) })
  receiver.setSecret(app.webhooks.configured!.secretKey)
  const live = await openLiveEvents(await listen(app))
  t.teardown(live.close)

  const customer = await createCustomer(app, { email: 'live@example.com' })
  const tx = await deposit(app, { customerId: customer.id, currency: 'USDT_TRX', amount: 12.5 })
  await live.waitFor((all) => all.filter((m) => m.type === 'delivery' && m.data.action === 'attempted' && m.data.delivery.status === 'delivered').length === 4)

  const of = (type: string) => live.received.filter((m) => m.type === type)
  t.match(of('customer'), [{ data: { action: 'created', customer: { id: customer.id, email: 'live@example.com', blocked: false, account: app.config.accounts[0]!.account } } }])
  t.match(of('purse'), [{ data: { action: 'created', purse: { customerId: customer.id, currencies: ['USDT_TRX'] } } }])
  t.same(of('transaction').map((m) => m.data.eventType), [
    'CUSTOMER_PURSE_MEM_POOL_FOUND', 'CUSTOMER_PURSE_PENDING_COMPLIANCE', 'CUSTOMER_PURSE_FUNDS_RECEIVED_FOR_PURSE', 'CUSTOMER_PURSE_TRANSLATION_TO_ACCOUNT_COMPLETED'
  ], 'one message per step, in order')
  t.ok(of('transaction').every((m) => m.data.transaction.id === tx.id))
  const attempts = of('delivery').filter((m) => m.data.action === 'attempted')
  t.ok(attempts.every((m) => m.data.delivery.transactionId === tx.id && m.data.delivery.attempts.at(-1).httpStatus === 200), 'each attempt with its delivery and result')
  t.equal(of('delivery').filter((m) => m.data.action === 'queued').length, 4, 'and each delivery when queued')
  t.match(of('request').map((m) => m.data.entry), [{ path: '/api/v1/customer-purse/customer/create', status: 200, auth: { passed: true } }])
})

t.test('a refused API call is streamed with its auth verdict; a rolled-back change is never announced', async (t) => {
  const app = await build(t)
  const live = await openLiveEvents(await listen(app))
  t.teardown(live.close)

  await signedPost(app, 'customer-purse/customer/create', {}, { headers: { sign: 'f'.repeat(128) } })
  const customer = await createCustomer(app)
  // Refused inside its write: the purse it would have created is rolled back with it.
  const refused = await app.inject({ method: 'POST', url: '/_mock/deposits', payload: { customerId: customer.id, currency: 'USDT_TRX', amount: 1, outcome: 'DECLINED', stopAt: 'CONFIRMED' } })
  t.equal(refused.statusCode, 400)
  await signedPost(app, 'customer-purse/customer/block', { customerId: customer.id })
  await live.waitFor((all) => all.some((m) => m.type === 'customer' && m.data.customer.blocked === true))

  const requests = live.received.filter((m) => m.type === 'request').map((m) => m.data.entry)
  t.match(requests[0], { path: '/api/v1/customer-purse/customer/create', status: 400, errorCode: ErrorCode.WRONG_SIGN, auth: { passed: false, check: 'sign' } })
  t.same(live.received.filter((m) => m.type !== 'request' && m.type !== 'ready').map((m) => [m.type, m.data.action]), [['customer', 'created'], ['customer', 'updated']],
    'the customer created and blocked, nothing of the refused deposit')
})

t.test('faults and resets are streamed', async (t) => {
  const app = await build(t)
  const live = await openLiveEvents(await listen(app))
  t.teardown(live.close)
  await app.inject({ method: 'POST', url: '/_mock/faults', payload: { path: 'customer-purse/customer/create', errorCode: '000' } })
  await app.inject({ method: 'POST', url: '/_mock/reset', payload: {} })
  await live.waitFor((all) => all.some((m) => m.type === 'reset') && all.filter((m) => m.type === 'faults').length === 2)
  t.same(live.received.filter((m) => m.type === 'faults').map((m) => m.data.faults.length), [1, 0], 'added, then cleared by the reset')
  t.match(live.received.find((m) => m.type === 'reset'), { data: { account: null } })
})

/** Opens the stream on a raw socket, waits for its first bytes, and drops the connection. */
function connectAndDrop (url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${url}/_mock/events`, { agent: false }, (res) => {
      res.once('data', () => { req.destroy(); resolve() })
    })
    req.on('error', (err) => { if (!req.destroyed) reject(err) })
    req.end()
  })
}

/** Timers and TCP sockets alive in this process: what a leaking stream would leave behind. */
function resourceCounts (): { timers: number, sockets: number } {
  const kinds = process.getActiveResourcesInfo()
  return { timers: kinds.filter((k) => k === 'Timeout').length, sockets: kinds.filter((k) => k === 'TCPSocketWrap').length }
}

async function until (condition: () => boolean | Promise<boolean>, what: string, timeoutMs = scaled(5000)): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`)
    await new Promise((resolve) => setImmediate(resolve))
  }
}

t.test('100 clients that connect and disconnect leave no client, connection, timer or socket behind', async (t) => {
  const app = await build(t)
  const url = await listen(app)
  const connections = () => new Promise<number>((resolve, reject) => app.server.getConnections((err, n) => err ? reject(err) : resolve(n)))
  await until(() => resourceCounts().sockets === 0, 'the earlier tests\' sockets are gone')
  const before = resourceCounts()
  for (let batch = 0; batch < 10; batch++) {
    await Promise.all(Array.from({ length: 10 }, () => connectAndDrop(url)))
  }
  await until(() => app.live.clients() === 0, 'every client has left the hub')
  await until(async () => (await connections()) === 0, 'every connection is closed')
  await until(() => JSON.stringify(resourceCounts()) === JSON.stringify(before), `timers and sockets are back to ${JSON.stringify(before)}`)
  t.equal(app.live.clients(), 0)
  t.same(resourceCounts(), before, 'no timer (heartbeat) or socket left')

  // And the stream still works for the next client.
  const live = await openLiveEvents(url)
  t.teardown(live.close)
  const customer = await createCustomer(app)
  const arrived = live.waitFor((all) => all.some((m) => m.type === 'customer'))
  t.equal(await outcomeWithin(arrived, 5000), 'resolved', 'a later client still gets changes')
  t.match(live.received.find((m) => m.type === 'customer'), { data: { action: 'created', customer: { id: customer.id } } })
})

t.test('closing the app ends the open streams', async (t) => {
  const app = await build(t)
  const live = await openLiveEvents(await listen(app))
  await app.close()
  await live.close()
  t.equal(app.live.clients(), 0)
})

t.test('with MOCK_ADMIN_TOKEN the stream needs the token, like every /_mock call', async (t) => {
  const app = await build(t, { adminToken: 'let-me-watch' })
  const url = await listen(app)
  const refused = await fetch(`${url}/_mock/events`)
  t.equal(refused.status, 401)
  t.match(await refused.json(), { errorCode: ErrorCode.INVALID_API_KEY })
  const live = await openLiveEvents(url, 'let-me-watch')
  t.teardown(live.close)
  const customer = await createCustomer(app)
  const arrived = live.waitFor((all) => all.some((m) => m.type === 'customer'))
  t.equal(await outcomeWithin(arrived, 5000), 'resolved', 'streams with the token')
  t.match(live.received.find((m) => m.type === 'customer'), { data: { action: 'created', customer: { id: customer.id } } })
})
