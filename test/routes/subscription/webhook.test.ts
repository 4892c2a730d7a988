import t from 'tap'
import { ApiError, ErrorCode, Reason } from '../../../src/errors.js'
import { configuredRequestId } from '../../../src/domain/subscriptions.js'
import { DEFAULT_ACCOUNT } from '../../../src/demo-credentials.js'
import { testConfig } from '../../../src/test-config.js'
import { OTHER_ACCOUNT, build, createCustomer, deposit, signedPost, waitForDeliveries, webhookConfig } from '../../support/helper.js'
import { startReceiver } from '../../support/webhook-receiver.js'

const REQUEST_ID = '5b0c8a1e-2f3d-4e5f-9a0b-1c2d3e4f5a6b'
const create = (overrides: Record<string, unknown> = {}) => ({
  requestId: REQUEST_ID,
  notificationEventTypes: ['CUSTOMER_PURSE_FUNDS_RECEIVED_FOR_PURSE'],
  notificationServiceTypes: [],
  url: 'http://127.0.0.1:1/hook',
  ...overrides
})

t.test('create, list and delete a subscription', async (t) => {
  const app = await build(t)
  const created = await signedPost(app, 'subscription/webhook/create', create())
  t.equal(created.statusCode, 200)
  t.match(created.json(), {
    requestId: REQUEST_ID,
    notificationEventTypes: ['CUSTOMER_PURSE_FUNDS_RECEIVED_FOR_PURSE'],
    notificationServiceTypes: [],
    url: 'http://127.0.0.1:1/hook',
    publicKey: /^[0-9a-f]{32}$/,
    secretKey: /^[0-9a-f]{32}$/,
    blockedByErrorCount: 0
  })
  const other = (await signedPost(app, 'subscription/webhook/create', create({ requestId: '6b0c8a1e-2f3d-4e5f-9a0b-1c2d3e4f5a6b' }))).json()
  t.not(other.secretKey, created.json().secretKey, 'a fresh key pair per subscription')

  const list = await signedPost(app, 'subscription/webhook', undefined)
  t.equal(list.statusCode, 200)
  t.same(list.json().subscriptions.map((s: { requestId: string }) => s.requestId), [REQUEST_ID, other.requestId])

  const deleted = await signedPost(app, 'subscription/webhook', { requestId: REQUEST_ID }, { method: 'DELETE' })
  t.equal(deleted.statusCode, 200)
  t.equal(deleted.body, '')
  t.same((await signedPost(app, 'subscription/webhook', undefined)).json().subscriptions.map((s: { requestId: string }) => s.requestId), [other.requestId])
  const again = await signedPost(app, 'subscription/webhook', { requestId: REQUEST_ID }, { method: 'DELETE' })
  t.match(again.json(), { errorCode: ErrorCode.NOT_FOUND })
  t.equal((await signedPost(app, 'subscription/webhook/create', create())).statusCode, 200, 'the requestId can be used again once deleted')
})

t.test('a subscription may name every documented event type and service group, even those the mock never sends', async (t) => {
  const app = await build(t)
  const eventTypes = [
    'CUSTOMER_PURSE_EXPIRED', 'INVOICE_PAID', 'INVOICE_COMPLIANCE_DECLINED', 'PAYOUT_SPEEDED_UP',
    'PAYOUT_WITHDRAWALS_CREATING_VALIDATION_ERROR', 'FIAT_DEPOSIT_ORDER_FAILED', 'TOP_UP_PENDING_COMPLIANCE',
    'TOP_UP_COMPLIANCE_CHECK', 'TOP_UP_COMPLIANCE_DECLINED', 'WALLET_FUNDS_DELIVERED_ACCOUNT'
  ]
  const serviceTypes = ['CUSTOMER_PURSE', 'INVOICE', 'PAYOUT', 'RECURRENT', 'FIAT_DEPOSIT', 'TOP_UP']
  const res = await signedPost(app, 'subscription/webhook/create', create({ notificationEventTypes: eventTypes, notificationServiceTypes: serviceTypes }))
  t.equal(res.statusCode, 200, res.body)
  t.match(res.json(), { notificationEventTypes: eventTypes, notificationServiceTypes: serviceTypes })
  for (const unknown of [{ notificationEventTypes: ['PAYOUT_SPEEDED_UP', 'PAYOUT_SPED_UP'] }, { notificationServiceTypes: ['TOP-UP'] }]) {
    const refused = await signedPost(app, 'subscription/webhook/create', create({ requestId: '6b0c8a1e-2f3d-4e5f-9a0b-1c2d3e4f5a6b', ...unknown }))
    t.match(refused.json(), { errorCode: ErrorCode.BAD_REQUEST }, `${JSON.stringify(unknown)}: an unknown name is 001`)
  }
  t.equal((await signedPost(app, 'subscription/webhook', undefined)).json().subscriptions.length, 1, 'nothing stored for the refused ones')
})

t.test('bad subscriptions are refused and nothing is stored', async (t) => {
  const app = await build(t)
  const cases: Array<[Record<string, unknown>, RegExp]> = [
    [{ url: 'not a url' }, /payload\.url/],
    [{ url: 'ftp://example.com/x' }, /payload\.url/],
    [{ requestId: 'abc' }, /payload\.requestId/],
    [{ notificationEventTypes: ['NOT_AN_EVENT'] }, /payload\.notificationEventTypes/],
    [{ notificationServiceTypes: ['NOPE'] }, /payload\.notificationServiceTypes/],
    [{ notificationEventTypes: [], notificationServiceTypes: [] }, /at least one event type or service type/]
  ]
  for (const [overrides, message] of cases) {
    const res = await signedPost(app, 'subscription/webhook/create', create(overrides))
    t.equal(res.statusCode, 400)
    t.match(res.json(), { errorCode: ErrorCode.BAD_REQUEST, message })
  }
  t.same(app.store.subscriptions.listLive(DEFAULT_ACCOUNT), [])
  await signedPost(app, 'subscription/webhook/create', create())
  const duplicate = await signedPost(app, 'subscription/webhook/create', create())
  t.match(duplicate.json(), { errorCode: ErrorCode.BAD_REQUEST, message: new ApiError(ErrorCode.BAD_REQUEST, Reason.subscriptionExists(create().requestId)).message })
})

t.test('subscriptions belong to their account', async (t) => {
  const app = await build(t, { accounts: [...testConfig().accounts, OTHER_ACCOUNT] })
  await signedPost(app, 'subscription/webhook/create', create())
  t.same((await signedPost(app, 'subscription/webhook', undefined, { as: OTHER_ACCOUNT })).json().subscriptions, [])
  const res = await signedPost(app, 'subscription/webhook', { requestId: REQUEST_ID }, { method: 'DELETE', as: OTHER_ACCOUNT })
  t.match(res.json(), { errorCode: ErrorCode.NOT_FOUND })
})

t.test('WEBHOOK_URL appears as a subscription of every configured account to all customer purse events', async (t) => {
  const app = await build(t, { accounts: [...testConfig().accounts, OTHER_ACCOUNT], webhook: webhookConfig('http://127.0.0.1:1/hook', { publicKey: 'configured-public', secretKey: 'configured-secret' }) })
  for (const as of [undefined, OTHER_ACCOUNT]) {
    const [subscription] = (await signedPost(app, 'subscription/webhook', undefined, as === undefined ? {} : { as })).json().subscriptions
    t.match(subscription, {
      requestId: configuredRequestId(as?.account ?? DEFAULT_ACCOUNT),
      notificationServiceTypes: ['CUSTOMER_PURSE'],
      url: 'http://127.0.0.1:1/hook',
      publicKey: 'configured-public',
      secretKey: 'configured-secret'
    })
  }
})

t.test('an event goes to subscriptions naming its type or its service, and only those', async (t) => {
  const receiver = await startReceiver(t)
  const app = await build(t, { webhook: webhookConfig(undefined) })
  await signedPost(app, 'subscription/webhook/create', create({ url: receiver.url }))
  await signedPost(app, 'subscription/webhook/create', create({ requestId: '7c0c8a1e-2f3d-4e5f-9a0b-1c2d3e4f5a6b', url: receiver.url, notificationEventTypes: ['INVOICE_PAID'] }))
  const customer = await createCustomer(app)
  await deposit(app, { customerId: customer.id, currency: 'BTC', amount: 1 })
  await waitForDeliveries(app, (d) => d.length === 1 && d[0]!.status === 'delivered')
  t.same(receiver.received.map((r) => [r.body.requestId, r.body.eventType]), [[REQUEST_ID, 'CUSTOMER_PURSE_FUNDS_RECEIVED_FOR_PURSE']])
})

t.test('deliveries can be listed by filter and sent again', async (t) => {
  const receiver = await startReceiver(t)
  const app = await build(t, { webhook: webhookConfig(receiver.url) })
  receiver.setSecret(app.webhooks.configured!.secretKey)
  const a = await createCustomer(app)
  const b = await createCustomer(app)
  await deposit(app, { customerId: a.id, currency: 'BTC', amount: 1 })
  await deposit(app, { customerId: b.id, currency: 'BTC', amount: 1, outcome: 'DECLINED' })
  const all = await waitForDeliveries(app, (d) => d.length === 7 && d.every((x) => x.status === 'delivered'))
  t.same(all.map((d) => d.id), [...all.map((d) => d.id)].sort((x, y) => y - x), 'newest first')
  const query = async (q: string) => (await app.inject({ method: 'GET', url: `/_mock/webhooks/deliveries?${q}` })).json()
  t.equal((await query(`customerId=${a.id}`)).deliveries.length, 4)
  t.same((await query('eventType=CUSTOMER_PURSE_COMPLIANCE_DECLINED')).deliveries.map((d: { customerId: string }) => d.customerId), [b.id])
  t.equal((await query('status=pending')).deliveries.length, 0)
  t.equal((await query('limit=2')).deliveries.length, 2)
  t.match(await query('status=lost'), { errorCode: ErrorCode.BAD_REQUEST, message: /status/ })
  t.equal((await query(`account=${DEFAULT_ACCOUNT.toUpperCase().replace('0X', '0x')}`)).deliveries.length, 7, 'the account in any case')
  t.match(await query('account=someone'), { errorCode: ErrorCode.BAD_REQUEST, message: /account/ })

  const first = all.at(-1)!
  const res = await app.inject({ method: 'POST', url: `/_mock/webhooks/deliveries/${first.id}/redeliver`, payload: {} })
  t.equal(res.statusCode, 202)
  t.match(res.json(), { redeliveryOf: first.id, eventId: first.eventId, status: 'pending', body: first.body })
  await receiver.waitFor((r) => r.length === 8)
  t.equal(receiver.received.at(-1)!.rawBody, first.body, 'the same bytes, the same event id')
  t.ok(receiver.received.at(-1)!.verified)
  t.match((await app.inject({ method: 'POST', url: '/_mock/webhooks/deliveries/9999/redeliver', payload: {} })).json(), { errorCode: ErrorCode.NOT_FOUND })
})
