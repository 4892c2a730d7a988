import t from 'tap'
import { CalypsoError, signRequest, startCalypsoMock, verifyWebhook, type CalypsoMock, type WebhookEvent } from '../src/index.js'
import { sign } from '../src/auth/signature.js'
import { DEFAULT_ACCOUNT, DOCS_API_KEY } from '../src/config.js'
import { eventually } from './helper.js'
import { PUBLISHED_EXAMPLE } from './support/calypso-signature.js'
import { startReceiver } from './webhook-receiver.js'

const FUNDS_RECEIVED = 'CUSTOMER_PURSE_FUNDS_RECEIVED_FOR_PURSE'

async function blockedCustomerDeposit (mock: CalypsoMock, currency: string) {
  const customer = await mock.request<{ id: string, blocked: boolean }>('customer-purse/customer/create', { email: 'carol@example.com' })
  const blocked = await mock.request<{ blocked: boolean }>('customer-purse/customer/block', { customerId: customer.id })
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
  const mock = await startCalypsoMock()
  t.teardown(() => mock.close())
  t.match(mock.url, /^http:\/\/127\.0\.0\.1:\d+$/)
  t.match(mock, { account: DEFAULT_ACCOUNT, apiKey: DOCS_API_KEY, webhookSecret: /^[0-9a-f]{32}$/ })

  const { customer, blocked, tx } = await blockedCustomerDeposit(mock, 'USDT_TRX')
  t.equal(blocked.blocked, true)
  t.equal(tx.translationToAccountCompleted, true)

  const event = await mock.waitForWebhook((e) => e.eventType === FUNDS_RECEIVED && e.data.customerId === customer.id)
  t.equal(event.data.customerBlocked, true)
  t.equal(event.data.transactionId, tx.id)
  await mock.waitForWebhook((e) => e.eventType === 'CUSTOMER_PURSE_TRANSLATION_TO_ACCOUNT_COMPLETED')
  t.same(mock.webhooks().map((e) => e.eventType), [
    'CUSTOMER_PURSE_MEM_POOL_FOUND', 'CUSTOMER_PURSE_PENDING_COMPLIANCE', FUNDS_RECEIVED, 'CUSTOMER_PURSE_TRANSLATION_TO_ACCOUNT_COMPLETED'
  ])

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

t.test('a redelivered event is kept once by the built-in receiver; the delivery log shows both', async (t) => {
  const mock = await startCalypsoMock()
  t.teardown(() => mock.close())
  const customer = await mock.request<{ id: string }>('customer-purse/customer/create', {})
  await mock.deposit({ customerId: customer.id, currency: 'BTC', amount: 1, stopAt: 'MEM_POOL_FOUND' })
  const event = await mock.waitForWebhook((e) => e.eventType === 'CUSTOMER_PURSE_MEM_POOL_FOUND')
  const [original] = await mock.deliveries({ customerId: customer.id })
  const res = await fetch(`${mock.url}/_mock/webhooks/deliveries/${original!.id}/redeliver`, { method: 'POST' })
  t.equal(res.status, 202, 'the redelivery is accepted')
  await res.text()

  const deliveries = await eventually(() => mock.deliveries({ customerId: customer.id }), (d) => d.length === 2 && d.every((x) => x.status === 'delivered'))
  t.equal(deliveries.length, 2, 'the original and its redelivery')
  t.same(deliveries.map((d) => d.status), ['delivered', 'delivered'])
  t.same(deliveries.map((d) => JSON.parse(d.body).id), [event.id, event.id], 'the same event twice')
  t.same(mock.webhooks().map((e) => e.id), [event.id], 'kept once')
})

t.test('errors carry Calypso\'s code; reset empties; waitForWebhook times out with what it saw', async (t) => {
  const mock = await startCalypsoMock({ seed: 'library' })
  t.teardown(() => mock.close())
  const error = await mock.request('customer-purse/customer/block', { customerId: '3fa85f64-5717-4562-b3fc-2c963f66afa6' }).catch((err: unknown) => err)
  t.ok(error instanceof CalypsoError)
  t.match(error, { errorCode: '004', status: 400, message: /^004: / })
  await t.rejects(mock.deposit({ currency: 'BTC', amount: 1 }), { name: 'CalypsoError', errorCode: '001' })

  const customer = await mock.request<{ id: string }>('customer-purse/customer/create', {})
  await mock.deposit({ customerId: customer.id, currency: 'BTC', amount: 1, stopAt: 'MEM_POOL_FOUND' })
  const first = await mock.waitForWebhook((e) => e.eventType === 'CUSTOMER_PURSE_MEM_POOL_FOUND')
  await t.rejects(mock.waitForWebhook(() => false, { timeout: 20 }), { message: `no matching webhook within 20 ms; received: CUSTOMER_PURSE_MEM_POOL_FOUND#${first.id}` })

  await mock.reset()
  t.same(mock.webhooks(), [])
  t.same(await mock.deliveries(), [])
  await t.rejects(mock.request('customer-purse/customer/update', { id: customer.id }), { name: 'CalypsoError', errorCode: '004' })
  await t.rejects(mock.waitForWebhook(() => true, { timeout: 20 }), /no matching webhook within 20 ms; received: none/)
})

t.test('options are checked as the server checks its variables', async (t) => {
  await t.rejects(startCalypsoMock({ account: 'merchant-1' }), { name: 'TypeError', message: /invalid option account: must be 0x followed by 40 hex digits/ })
  await t.rejects(startCalypsoMock({ webhookSecretKey: 'only-the-secret' }), /invalid option webhookPublicKey: set both/)
  const mock = await startCalypsoMock({ account: '0x00000000000000000000000000000000000000AB', apiKey: 'suite-key-1', apiSecret: 'suite-secret-1' })
  t.teardown(() => mock.close())
  t.match(mock, { account: '0x00000000000000000000000000000000000000AB', apiKey: 'suite-key-1', apiSecret: 'suite-secret-1' }, 'the account as given')
  t.match(await mock.request('customer-purse/customer/create', {}), { id: String }, 'requests are signed with the given pair')
  await t.rejects(startCalypsoMock({ port: Number(new URL(mock.url).port) }), { code: 'EADDRINUSE' }, 'a port in use fails the start')
})

t.test('close stops the mock and its receiver, and ends a pending wait at once', async (t) => {
  const mock = await startCalypsoMock()
  t.teardown(() => mock.close())
  const customer = await mock.request<{ id: string }>('customer-purse/customer/create', {})
  await mock.deposit({ customerId: customer.id, currency: 'ETH', amount: 1, stopAt: 'MEM_POOL_FOUND' })
  await mock.waitForWebhook(() => true)
  const [delivery] = await mock.deliveries()
  const pending = mock.waitForWebhook(() => false, { timeout: 60_000 })

  await mock.close()
  await t.rejects(pending, /closed before a matching webhook arrived; received: CUSTOMER_PURSE_MEM_POOL_FOUND#/)
  await t.rejects(fetch(`${mock.url}/health`), 'the mock no longer answers')
  await t.rejects(fetch(delivery!.url, { method: 'POST', body: '{}' }), 'nor does the receiver')
  await t.resolves(mock.close(), 'closing twice is harmless')
})

t.test('webhooks to a URL of your own: your receiver verifies them, waitForWebhook waits on the delivery log', async (t) => {
  const receiver = await startReceiver(t)
  receiver.setSecret('own-url-secret')
  const mock = await startCalypsoMock({ webhookUrl: receiver.url, webhookPublicKey: 'own-url-public', webhookSecretKey: 'own-url-secret' })
  t.teardown(() => mock.close())
  t.equal(mock.webhookSecret, 'own-url-secret')

  const { customer, tx } = await blockedCustomerDeposit(mock, 'ETH')
  const event = await mock.waitForWebhook((e) => e.eventType === FUNDS_RECEIVED && e.data.customerId === customer.id)
  t.match(event.data, { customerBlocked: true, transactionId: tx.id })
  t.same(mock.webhooks(), [], 'the built-in receiver is not used')

  const received = receiver.received.find((r) => r.body.id === event.id)!
  t.equal(received.key, 'own-url-public')
  t.ok(verifyWebhook(received.rawBody, { sign: received.sign }, mock.webhookSecret), 'verifyWebhook accepts the bytes as delivered')
  t.notOk(verifyWebhook(received.rawBody, { sign: received.sign }, 'another-secret'))
  await t.rejects(mock.waitForWebhook((e) => e.eventType === 'CUSTOMER_PURSE_EXPIRED', { timeout: 200 }), /no matching webhook within 200 ms; received: CUSTOMER_PURSE_MEM_POOL_FOUND#\d+, CUSTOMER_PURSE_PENDING_COMPLIANCE#\d+, /)
})

t.test('signRequest and verifyWebhook', async (t) => {
  const { secret, data, sign: published } = PUBLISHED_EXAMPLE
  t.equal(signRequest(data, secret), published, 'signRequest gives Calypso\'s published example')
  t.ok(verifyWebhook(data, { Sign: published }, secret), 'verifyWebhook accepts it, header names in any case')
  t.ok(verifyWebhook(data, { SIGN: [published] }, secret), 'a repeated header: the first value')
  t.ok(verifyWebhook(Buffer.from(data), { sign: published }, secret))
  t.ok(verifyWebhook(data, { sign: published.toUpperCase() }, secret), 'hex in any case')
  t.notOk(verifyWebhook(`${data} `, { sign: published }, secret), 'other bytes')
  t.notOk(verifyWebhook(data, { sign: published }, 'another-secret'))
  t.notOk(verifyWebhook(data, { sign: published.slice(0, 64) }, secret), 'a truncated signature')
  t.notOk(verifyWebhook(data, {}, secret))
})
