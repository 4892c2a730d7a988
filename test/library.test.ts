import t from 'tap'
import { CalypsoError, signRequest, startCalypsoMock, verifyWebhook } from '../src/index.js'
import { sign } from '../src/auth/signature.js'

t.test('a merchant test: create, block, deposit, and a verified webhook that says blocked', async (t) => {
  const mock = await startCalypsoMock()
  t.teardown(() => mock.close())
  t.match(mock.url, /^http:\/\/127\.0\.0\.1:\d+$/)

  const customer = await mock.request<{ id: string, blocked: boolean }>('customer-purse/customer/create', { email: 'carol@example.com' })
  const blocked = await mock.request<{ blocked: boolean }>('customer-purse/customer/block', { customerId: customer.id })
  t.equal(blocked.blocked, true)
  const tx = await mock.deposit({ customerId: customer.id, currency: 'USDT_TRX', amount: 50 })
  t.equal(tx.translationToAccountCompleted, true)

  const event = await mock.waitForWebhook((e) => e.eventType === 'CUSTOMER_PURSE_FUNDS_RECEIVED_FOR_PURSE' && e.data.customerId === customer.id)
  t.equal(event.data.customerBlocked, true)
  t.equal(event.data.transactionId, tx.id)
  await mock.waitForWebhook((e) => e.eventType === 'CUSTOMER_PURSE_TRANSLATION_TO_ACCOUNT_COMPLETED')
  t.same(mock.webhooks().map((e) => e.eventType), [
    'CUSTOMER_PURSE_MEM_POOL_FOUND', 'CUSTOMER_PURSE_PENDING_COMPLIANCE', 'CUSTOMER_PURSE_FUNDS_RECEIVED_FOR_PURSE', 'CUSTOMER_PURSE_TRANSLATION_TO_ACCOUNT_COMPLETED'
  ])
  t.equal((await mock.deliveries({ customerId: customer.id })).length, 4)
})

t.test('errors carry Calypso\'s code; reset empties; waitForWebhook times out with what it saw', async (t) => {
  const mock = await startCalypsoMock({ seed: 'library' })
  t.teardown(() => mock.close())
  const error = await mock.request('customer-purse/customer/block', { customerId: '3fa85f64-5717-4562-b3fc-2c963f66afa6' }).catch((err: unknown) => err)
  t.ok(error instanceof CalypsoError)
  t.match(error, { errorCode: '004', status: 400 })
  await t.rejects(mock.deposit({ currency: 'BTC', amount: 1 }), { name: 'CalypsoError', errorCode: '001' })

  const customer = await mock.request<{ id: string }>('customer-purse/customer/create', {})
  await mock.deposit({ customerId: customer.id, currency: 'BTC', amount: 1, stopAt: 'MEM_POOL_FOUND' })
  await mock.waitForWebhook((e) => e.eventType === 'CUSTOMER_PURSE_MEM_POOL_FOUND')
  await mock.reset()
  t.same(mock.webhooks(), [])
  await t.rejects(mock.request('customer-purse/customer/update', { id: customer.id }), { name: 'CalypsoError', errorCode: '004' })
  await t.rejects(mock.waitForWebhook(() => true, { timeout: 20 }), /no matching webhook within 20 ms; received: none/)
})

t.test('webhooks to a URL of your own: waitForWebhook reads the delivery log', async (t) => {
  const inbox = await startCalypsoMock()
  t.teardown(() => inbox.close())
  // The first mock's built-in receiver answers 401 to anything not signed with its own secret, so
  // the second mock is given that secret to sign with.
  const mock = await startCalypsoMock({ webhookUrl: `${inbox.url}/nowhere`, webhookPublicKey: 'own-url-public', webhookSecretKey: 'own-url-secret' })
  t.teardown(() => mock.close())
  t.equal(mock.webhookSecret, 'own-url-secret')
  const customer = await mock.request<{ id: string }>('customer-purse/customer/create', {})
  await mock.deposit({ customerId: customer.id, currency: 'ETH', amount: 1 })
  await t.rejects(mock.waitForWebhook(() => true, { timeout: 200 }), /within 200 ms/, 'the target answers 404, so nothing is delivered')
})

t.test('signRequest and verifyWebhook', async (t) => {
  const body = '{"timestamp":1}'
  t.equal(signRequest(body, 'b823a6b9ea72408583cef9ec8d67fa52'), sign(body, 'b823a6b9ea72408583cef9ec8d67fa52'))
  const signature = sign(body, 'webhook-secret')
  t.ok(verifyWebhook(body, { Sign: signature }, 'webhook-secret'), 'header names in any case')
  t.ok(verifyWebhook(Buffer.from(body), { sign: signature }, 'webhook-secret'))
  t.notOk(verifyWebhook(`${body} `, { sign: signature }, 'webhook-secret'), 'other bytes')
  t.notOk(verifyWebhook(body, { sign: signature }, 'another-secret'))
  t.notOk(verifyWebhook(body, {}, 'webhook-secret'))
})
