import t, { type Test } from 'tap'
import { CalypsoError, connectCalypsoMock, signRequest, startCalypsoMock, verifyWebhook, type CalypsoMock, type WebhookEvent } from '../../src/index.js'
import { sign } from '../../src/auth/signature.js'
import { DEFAULT_ACCOUNT, DOCS_API_KEY } from '../../src/demo-credentials.js'
import { startReceiver } from '../support/webhook-receiver.js'
import { createWebhookWaits } from '../../src/testing/webhook-waits.js'

const FUNDS_RECEIVED = 'CUSTOMER_PURSE_FUNDS_RECEIVED_FOR_PURSE'
const CREDITED = 'CUSTOMER_PURSE_TRANSLATION_TO_ACCOUNT_COMPLETED'

async function blockedCustomerDeposit (mock: CalypsoMock, currency: 'USDT_TRX' | 'ETH') {
  const customer = await mock.request('customer-purse/customer/create', { email: 'carol@example.com' })
  const blocked = await mock.request('customer-purse/customer/block', { customerId: customer.id })
  const tx = await mock.deposit({ customerId: customer.id, currency, amount: 50 })
  return { customer, blocked, tx }
}

/** A webhook the built-in receiver is sent directly, as anyone on the machine could. */
async function postToReceiver (receiverUrl: string, event: WebhookEvent, secret: string): Promise<number> {
  const body = JSON.stringify(event)
  const res = await fetch(receiverUrl, { method: 'POST', headers: { 'content-type': 'application/json', Sign: sign(body, secret) }, body })
  await res.text()
  return res.status
}

t.test('a merchant test: create, block, deposit, and a verified webhook that says blocked', async (t) => {
  await using mock = await startCalypsoMock()
  t.match(mock.url, /^http:\/\/127\.0\.0\.1:\d+$/)
  t.equal(mock.apiUrl, `${mock.url}/api/v1`)
  t.match(mock, { account: DEFAULT_ACCOUNT, apiKey: DOCS_API_KEY, webhookSecret: /^[0-9a-f]{32}$/ })

  const { customer, blocked, tx } = await blockedCustomerDeposit(mock, 'USDT_TRX')
  t.equal(blocked.blocked, true)
  t.equal(tx.translationToAccountCompleted, true)

  const event = await mock.waitForWebhook({ transactionId: tx.id, eventType: FUNDS_RECEIVED })
  t.equal(event.data.customerBlocked, true)
  t.equal(event.data.customerId, customer.id)
  await mock.waitForWebhook((e) => e.eventType === CREDITED)
  t.same(mock.webhooks().map((e) => e.eventType), ['CUSTOMER_PURSE_MEM_POOL_FOUND', 'CUSTOMER_PURSE_PENDING_COMPLIANCE', FUNDS_RECEIVED, CREDITED], 'webhooks() lists everything, taken or not')

  const deliveries = await mock.deliveries({ customerId: customer.id })
  t.equal(deliveries.length, 4)
  t.ok(deliveries.every((d) => d.status === 'delivered' && d.attempts[0]?.httpStatus === 200), 'the receiver accepted each one')
  const funds = deliveries.find((d) => d.eventType === FUNDS_RECEIVED)!
  t.same(JSON.parse(funds.body), event, 'waitForWebhook gives the exact body that was delivered')

  const forged = { ...event, id: event.id + 1000 }
  t.equal(await postToReceiver(funds.url, forged, 'not-the-webhook-secret'), 401, 'a wrong signature is refused')
  t.notOk(mock.webhooks().some((e) => e.id === forged.id), 'and not kept')
  t.equal(await postToReceiver(funds.url, forged, mock.webhookSecret), 200, 'the webhook secret\'s signature is accepted')
  t.ok(mock.webhooks().some((e) => e.id === forged.id))
})

/** The two races of a wait, and the trap of a predicate that an earlier event also matches. */
function waitRaces (name: string, start: (t: Test) => Promise<CalypsoMock>) {
  t.test(`${name}: no wait returns the past, none misses the present`, async (t) => {
    const mock = await start(t)
    const customer = await mock.request('customer-purse/customer/create', {})
    const first = await mock.deposit({ customerId: customer.id, currency: 'BTC', amount: 1 })
    // The credit is the last event: once it is in, the funds event surely arrived before the next wait.
    await mock.waitForWebhook({ transactionId: first.id, eventType: CREDITED })
    const before = await mock.waitForWebhook({ transactionId: first.id, eventType: FUNDS_RECEIVED })
    t.equal(before.data.transactionId, first.id, 'an event that arrived before the wait is returned')

    const byCustomer = (e: WebhookEvent) => e.eventType === FUNDS_RECEIVED && e.data.customerId === customer.id
    const pending = mock.waitForWebhook(byCustomer)
    const second = await mock.deposit({ customerId: customer.id, currency: 'BTC', amount: 2 })
    t.equal((await pending).data.transactionId, second.id, 'a wait started before the event gets it, not the first deposit\'s')
    const third = await mock.deposit({ customerId: customer.id, currency: 'BTC', amount: 3 })
    t.equal((await mock.waitForWebhook(byCustomer)).data.transactionId, third.id, 'the same predicate again: the next deposit\'s event')
    await t.rejects(mock.waitForWebhook({ transactionId: first.id, eventType: FUNDS_RECEIVED }, { timeout: 50 }), /no matching webhook within 50 ms/, 'a returned event is never returned again')

    const all = await mock.deliveries({ customerId: customer.id, eventType: 'CUSTOMER_PURSE_MEM_POOL_FOUND' })
    const [newest, middle] = all.map((d) => d.eventId)
    const after = await mock.waitForWebhook({ customerId: customer.id, eventType: 'CUSTOMER_PURSE_MEM_POOL_FOUND' }, { afterEventId: middle! })
    t.equal(after.id, newest, 'afterEventId skips older events')
  })
}

waitRaces('the built-in receiver', async (t) => {
  const mock = await startCalypsoMock()
  t.teardown(() => mock.close())
  return mock
})

waitRaces('webhooks to a URL of your own (the delivery log)', async (t) => {
  const receiver = await startReceiver(t)
  receiver.setSecret('own-url-secret')
  const mock = await startCalypsoMock({ webhookUrl: receiver.url, webhookPublicKey: 'own-url-public', webhookSecretKey: 'own-url-secret' })
  t.teardown(() => mock.close())
  return mock
})

t.test('a redelivered event is kept once by the built-in receiver; the delivery log shows both', async (t) => {
  await using mock = await startCalypsoMock()
  const customer = await mock.request('customer-purse/customer/create', {})
  await mock.deposit({ customerId: customer.id, currency: 'BTC', amount: 1, stopAt: 'MEM_POOL_FOUND' })
  const event = await mock.waitForWebhook({ eventType: 'CUSTOMER_PURSE_MEM_POOL_FOUND' })
  const [original] = await mock.deliveries({ customerId: customer.id })
  const res = await fetch(`${mock.url}/_mock/webhooks/deliveries/${original!.id}/redeliver`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
  t.equal(res.status, 202, 'the redelivery is accepted')
  await res.text()

  let deliveries = await mock.deliveries({ customerId: customer.id })
  for (let i = 0; i < 200 && !deliveries.every((d) => d.status === 'delivered'); i++) {
    await new Promise((resolve) => setTimeout(resolve, 10))
    deliveries = await mock.deliveries({ customerId: customer.id })
  }
  t.equal(deliveries.length, 2, 'the original and its redelivery')
  t.same(deliveries.map((d) => d.status), ['delivered', 'delivered'])
  t.same(deliveries.map((d) => JSON.parse(d.body).id), [event.id, event.id], 'the same event twice')
  t.same(mock.webhooks().map((e) => e.id), [event.id], 'kept once')
  await t.rejects(mock.waitForWebhook({ eventType: 'CUSTOMER_PURSE_MEM_POOL_FOUND' }, { timeout: 30 }), 'nor handed out twice')
})

t.test('errors carry Calypso\'s code; reset empties; waitForWebhook times out with what it saw', async (t) => {
  await using mock = await startCalypsoMock({ seed: 'library' })
  const error = await mock.request('customer-purse/customer/block', { customerId: '3fa85f64-5717-4562-b3fc-2c963f66afa6' }).catch((err: unknown) => err)
  t.ok(error instanceof CalypsoError)
  t.match(error, { errorCode: '004', status: 400, message: /^004: / })
  await t.rejects(mock.deposit({ currency: 'BTC', amount: 1 }), { name: 'CalypsoError', errorCode: '001' })

  const customer = await mock.request('customer-purse/customer/create', {})
  await mock.deposit({ customerId: customer.id, currency: 'BTC', amount: 1, stopAt: 'MEM_POOL_FOUND' })
  const first = await mock.waitForWebhook({ eventType: 'CUSTOMER_PURSE_MEM_POOL_FOUND' })
  await t.rejects(mock.waitForWebhook(() => false, { timeout: 20 }), { message: `no matching webhook within 20 ms; received: CUSTOMER_PURSE_MEM_POOL_FOUND#${first.id}` })

  await mock.reset()
  t.same(mock.webhooks(), [])
  t.same(await mock.deliveries(), [])
  await t.rejects(mock.request('customer-purse/customer/update', { id: customer.id }), { name: 'CalypsoError', errorCode: '004' })
  await t.rejects(mock.waitForWebhook(() => true, { timeout: 20 }), /no matching webhook within 20 ms; received: none/)
})

t.test('the handle drives every /_mock capability', async (t) => {
  await using mock = await startCalypsoMock()
  const customer = await mock.request('customer-purse/customer/create', {})
  const paused = await mock.deposit({ customerId: customer.id, currency: 'USDC', amount: 5, stopAt: 'PENDING_COMPLIANCE_CHECK' })
  t.equal(paused.transactionState, 'PENDING_COMPLIANCE_CHECK', 'a deposit paused at compliance')
  t.match(await mock.advance(paused.id), { transactionState: 'CONFIRMED', translationToAccountCompleted: true })

  const declined = await mock.deposit({ customerId: customer.id, currency: 'TRX', amount: 5, outcome: 'DECLINED' })
  t.match(declined, { transactionState: 'DECLINED', complianceState: 'DECLINE' })
  t.equal((await mock.waitForWebhook({ transactionId: declined.id, eventType: 'CUSTOMER_PURSE_COMPLIANCE_DECLINED' })).level, 'WARNING')

  const { id: purseId } = await mock.request('customer-purse/address/get', { customerId: customer.id, currency: 'BTC' })
  t.equal((await mock.expirePurse(purseId)).status, 'ARCHIVED')
  t.equal((await mock.waitForWebhook({ eventType: 'CUSTOMER_PURSE_EXPIRED' })).data.purseId, purseId)

  const stub = { id: customer.id, blocked: 'sometimes' }
  t.match(await mock.fault({ path: 'customer-purse/customer/block', body: stub }), { account: mock.account, times: 1 })
  t.same(await mock.request('customer-purse/customer/block', { customerId: customer.id }), stub, 'a stubbed answer')
  await mock.fault({ path: '/api/v1/customer-purse/customer/block', errorCode: '000' })
  await t.rejects(mock.request('customer-purse/customer/block', { customerId: customer.id }), { name: 'CalypsoError', errorCode: '000', status: 500 })
  const [latest] = await mock.requests({ limit: 1 })
  t.match(latest, { path: '/api/v1/customer-purse/customer/block', status: 500, faultId: Number, key: mock.apiKey })

  await mock.failWebhooks(2)
  const tx = await mock.deposit({ customerId: customer.id, currency: 'ETH', amount: 1, stopAt: 'MEM_POOL_FOUND' })
  await mock.waitForWebhook({ transactionId: tx.id })
  const [delivery] = await mock.deliveries({ eventType: 'CUSTOMER_PURSE_MEM_POOL_FOUND', limit: 1 })
  t.same(delivery!.attempts.map((a) => a.httpStatus), [500, 500, 200], 'a receiver that fails twice, then takes it')
})

t.test('createAccount: an isolated account with its own keys, data and webhooks', async (t) => {
  await using mock = await startCalypsoMock()
  await using other = await mock.createAccount()
  t.not(other.account, mock.account)
  t.not(other.apiKey, mock.apiKey)
  t.equal(other.url, mock.url)
  t.equal(other.webhookSecret, mock.webhookSecret)

  const mine = await mock.request('customer-purse/customer/create', {})
  const theirs = await other.request('customer-purse/customer/create', {})
  await t.rejects(other.request('customer-purse/customer/block', { customerId: mine.id }), { name: 'CalypsoError', errorCode: '004' }, 'another account\'s customer is not found')
  await other.deposit({ customerId: theirs.id, currency: 'BTC', amount: 1 })
  const event = await other.waitForWebhook({ eventType: FUNDS_RECEIVED })
  t.equal(event.data.customerId, theirs.id)
  // The other account's last event is the positive signal that its whole flow has been delivered.
  await other.waitForWebhook({ eventType: CREDITED, customerId: theirs.id })
  t.same(mock.webhooks(), [], 'the first account sees none of the other\'s events')
  t.ok((await other.deliveries()).every((d) => d.account === other.account))
  t.same(await mock.deliveries(), [])

  await other.fault({ path: 'customer-purse/customer/create', errorCode: '000' })
  t.ok(await mock.request('customer-purse/customer/create', {}), 'a fault of one account leaves the other alone')
  await t.rejects(other.request('customer-purse/customer/create', {}), { name: 'CalypsoError', errorCode: '000' })

  await other.reset()
  t.same(await other.deliveries(), [], 'an account\'s reset empties its own data')
  t.ok(await mock.request('customer-purse/customer/update', { id: mine.id }), 'and leaves the first account\'s')
})

t.test('shared: one server for the process, an account for each caller, stopped with the last', async (t) => {
  const [a, b] = await Promise.all([startCalypsoMock({ shared: true }), startCalypsoMock({ shared: true })])
  t.equal(a!.url, b!.url, 'one server')
  t.not(a!.account, b!.account, 'each caller its own account')
  await t.rejects(startCalypsoMock({ shared: true, seed: 'other' }), { name: 'TypeError', message: /other options/ })
  const customer = await b!.request('customer-purse/customer/create', {})
  await b!.deposit({ customerId: customer.id, currency: 'LTC', amount: 1, stopAt: 'MEM_POOL_FOUND' })
  t.equal((await b!.waitForWebhook({ customerId: customer.id })).eventType, 'CUSTOMER_PURSE_MEM_POOL_FOUND')
  await a!.close()
  t.equal((await fetch(`${b!.url}/health`)).status, 200, 'the server runs while a caller remains')
  await b!.close()
  await t.rejects(fetch(`${b!.url}/health`), 'and stops with the last')
  const again = await startCalypsoMock({ shared: true, seed: 'other' })
  const { accounts } = await (await fetch(`${again.url}/_mock/accounts`)).json() as { accounts: Array<{ account: string }> }
  t.notOk(accounts.some((x) => x.account === a!.account.toLowerCase()), 'a later caller starts a new one, which never saw the first callers\' accounts')
  const reordered = await startCalypsoMock({ seed: 'other', shared: true })
  t.equal(reordered.url, again.url, 'the same options in another order share that server')
  await reordered.close()
  await again.close()
})

t.test('connectCalypsoMock: an account of its own on a server started elsewhere', async (t) => {
  await using server = await startCalypsoMock()
  await using suite = await connectCalypsoMock(server.url)
  t.equal(suite.url, server.url)
  t.equal(suite.webhookSecret, server.webhookSecret, 'the WEBHOOK_URL secret, read from its subscription')
  const customer = await suite.request('customer-purse/customer/create', {})
  const pending = suite.waitForWebhook({ customerId: customer.id, eventType: FUNDS_RECEIVED })
  const tx = await suite.deposit({ customerId: customer.id, currency: 'DAI', amount: 7 })
  t.equal((await pending).data.transactionId, tx.id)
  t.same(suite.webhooks(), [], 'its webhooks go to the other process\'s receiver')
  t.same(server.webhooks(), [], 'not to the first account\'s waits')
})

t.test('options are checked as the server checks its variables', async (t) => {
  await t.rejects(startCalypsoMock({ account: 'merchant-1' }), { name: 'TypeError', message: /invalid option account: must be 0x followed by 40 hex digits/ })
  await t.rejects(startCalypsoMock({ webhookSecretKey: 'only-the-secret' }), /invalid option webhookPublicKey: set both/)
  await using mock = await startCalypsoMock({ account: '0x00000000000000000000000000000000000000AB', apiKey: 'suite-key-1', apiSecret: 'suite-secret-1' })
  t.match(mock, { account: '0x00000000000000000000000000000000000000AB', apiKey: 'suite-key-1', apiSecret: 'suite-secret-1' }, 'the account as issued: Calypso wants it written so')
  t.match(await mock.request('customer-purse/customer/create', {}), { id: String }, 'requests are signed with the given pair')
  await t.rejects(startCalypsoMock({ port: Number(new URL(mock.url).port) }), { code: 'EADDRINUSE' }, 'a port in use fails the start')
})

t.test('close stops the mock and its receiver, and ends a pending wait at once', async (t) => {
  const mock = await startCalypsoMock()
  t.teardown(() => mock.close())
  const customer = await mock.request('customer-purse/customer/create', {})
  await mock.deposit({ customerId: customer.id, currency: 'ETH', amount: 1, stopAt: 'MEM_POOL_FOUND' })
  await mock.waitForWebhook(() => true)
  const [delivery] = await mock.deliveries()
  const pending = mock.waitForWebhook(() => false, { timeout: 60_000 })

  await mock[Symbol.asyncDispose]()
  await t.rejects(pending, /closed before a matching webhook arrived; received: CUSTOMER_PURSE_MEM_POOL_FOUND#/)
  await t.rejects(fetch(`${mock.url}/health`), 'the mock no longer answers')
  await t.rejects(fetch(delivery!.url, { method: 'POST', body: '{}' }), 'nor does the receiver')
  await t.resolves(mock.close(), 'closing twice is harmless')
})

t.test('webhooks to a URL of your own: your receiver verifies them', async (t) => {
  const receiver = await startReceiver(t)
  receiver.setSecret('own-url-secret')
  await using mock = await startCalypsoMock({ webhookUrl: receiver.url, webhookPublicKey: 'own-url-public', webhookSecretKey: 'own-url-secret' })
  t.equal(mock.webhookSecret, 'own-url-secret')

  const { customer, tx } = await blockedCustomerDeposit(mock, 'ETH')
  const event = await mock.waitForWebhook((e) => e.eventType === FUNDS_RECEIVED && e.data.customerId === customer.id)
  t.match(event.data, { customerBlocked: true, transactionId: tx.id })
  t.same(mock.webhooks(), [], 'the built-in receiver is not used')

  const received = receiver.received.find((r) => r.body.id === event.id)!
  t.equal(received.key, 'own-url-public')
  t.ok(verifyWebhook(received.rawBody, { sign: received.sign }, mock.webhookSecret), 'verifyWebhook accepts the bytes as delivered')
  t.notOk(verifyWebhook(received.rawBody, { sign: received.sign }, 'another-secret'))
  await t.rejects(mock.waitForWebhook({ eventType: 'CUSTOMER_PURSE_EXPIRED' }, { timeout: 200 }), /no matching webhook within 200 ms; received: CUSTOMER_PURSE_MEM_POOL_FOUND#\d+, CUSTOMER_PURSE_PENDING_COMPLIANCE#\d+, /)
})

t.test('signRequest and verifyWebhook', async (t) => {
  const body = '{"timestamp":1}'
  t.equal(signRequest(body, 'b823a6b9ea72408583cef9ec8d67fa52'), sign(body, 'b823a6b9ea72408583cef9ec8d67fa52'))
  const signature = sign(body, 'webhook-secret')
  t.ok(verifyWebhook(body, { Sign: signature }, 'webhook-secret'), 'header names in any case')
  t.ok(verifyWebhook(body, { SIGN: [signature] }, 'webhook-secret'), 'a repeated header: the first value')
  t.ok(verifyWebhook(Buffer.from(body), { sign: signature }, 'webhook-secret'))
  t.ok(verifyWebhook(body, { sign: signature.toUpperCase() }, 'webhook-secret'), 'hex in any case')
  t.notOk(verifyWebhook(`${body} `, { sign: signature }, 'webhook-secret'), 'other bytes')
  t.notOk(verifyWebhook(body, { sign: signature }, 'another-secret'))
  t.notOk(verifyWebhook(body, { sign: signature.slice(0, 64) }, 'webhook-secret'), 'a truncated signature')
  t.notOk(verifyWebhook(body, {}, 'webhook-secret'))
})

t.test('after a reset, a delivery of an older event still in flight is not kept: no wait can return it', async (t) => {
  await using mock = await startCalypsoMock()
  const customer = await mock.request('customer-purse/customer/create', {})
  await mock.deposit({ customerId: customer.id, currency: 'BTC', amount: 1 })
  const credited = await mock.waitForWebhook({ eventType: CREDITED })
  const { lastEventId } = await (await fetch(`${mock.url}/_mock/reset`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json() as { lastEventId: number }
  t.equal(lastEventId, credited.id, 'the reset answers the largest event id given before it')

  const waits = createWebhookWaits()
  const stale = { ...credited }
  waits.add(stale)
  waits.clear(lastEventId)
  waits.add(stale)
  t.same(waits.events(), [], 'an event of the reset id or older that arrives after the reset is dropped')
  const later = { ...credited, id: lastEventId + 1 }
  waits.add(later)
  t.equal((await waits.wait({ eventType: CREDITED }, { timeout: 1000 })).id, lastEventId + 1, 'a newer one is kept')
})
