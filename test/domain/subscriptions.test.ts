import t, { type Test } from 'tap'
import { DEFAULT_ACCOUNT } from '../../src/demo-credentials.js'
import { anySubscriptionFor, configuredRequestId, createSubscription, deleteSubscription, syncConfiguredWebhook, type NewSubscriptionRequest } from '../../src/domain/subscriptions.js'
import { ApiError, ErrorCode, Reason } from '../../src/errors.js'
import type { DeliveryView } from '../../src/store/deliveries-repository.js'
import { testConfig } from '../../src/test-config.js'
import { build, createCustomer, deposit, manualClock, OTHER_ACCOUNT, webhookConfig } from '../support/helper.js'

const T0 = Date.parse('2026-11-25T12:00:00.000Z')
const HOUR = 3600 * 1000
const iso = (ms: number) => new Date(ms).toISOString()
const HEX32 = /^[0-9a-f]{32}$/
const ACCOUNT = DEFAULT_ACCOUNT
const OTHER = OTHER_ACCOUNT.account
const FIRST = '5b0c8a1e-2f3d-4e5f-9a0b-1c2d3e4f5a6b'
const SECOND = '6b0c8a1e-2f3d-4e5f-9a0b-1c2d3e4f5a6b'
const MISSING = '7c0c8a1e-2f3d-4e5f-9a0b-1c2d3e4f5a6b'
const MEM_POOL = 'CUSTOMER_PURSE_MEM_POOL_FOUND'
const FUNDS = 'CUSTOMER_PURSE_FUNDS_RECEIVED_FOR_PURSE'

const request = (overrides: Partial<NewSubscriptionRequest> = {}): NewSubscriptionRequest => ({
  requestId: FIRST,
  url: 'http://127.0.0.1:1/hook',
  notificationEventTypes: [FUNDS],
  notificationServiceTypes: [],
  ...overrides
})

type App = Awaited<ReturnType<typeof build>>

const twoAccounts = (t: Test) => build(t, { accounts: [...testConfig().accounts, OTHER_ACCOUNT] }, { clock: manualClock(T0) })

const deliveries = async (app: App): Promise<DeliveryView[]> =>
  (await app.inject({ method: 'GET', url: '/_mock/webhooks/deliveries' })).json().deliveries

/** The account's live subscriptions without their row numbers. */
const live = (app: App, account: string) => app.store.subscriptions.listLive(account).map(({ seq: _seq, ...rest }) => rest)

t.test('createSubscription: an api subscription with its own key pair, dated on the account\'s clock; a live requestId is refused and the first is kept as it was', async (t) => {
  const app = await twoAccounts(t)
  app.store.clocks.setOffset(ACCOUNT, HOUR)
  const created = createSubscription(app.domain, ACCOUNT, request())
  t.match(created, {
    account: ACCOUNT,
    requestId: FIRST,
    url: 'http://127.0.0.1:1/hook',
    publicKey: HEX32,
    secretKey: HEX32,
    notificationEventTypes: [FUNDS],
    notificationServiceTypes: [],
    origin: 'api',
    createdDate: iso(T0 + HOUR)
  })
  t.not(created.publicKey, created.secretKey)

  t.throws(() => createSubscription(app.domain, ACCOUNT, request({ url: 'http://127.0.0.1:2/other', notificationEventTypes: [MEM_POOL] })),
    new ApiError(ErrorCode.BAD_REQUEST, Reason.subscriptionExists(FIRST)))
  t.same(app.store.subscriptions.listLive(ACCOUNT), [created], 'nothing stored for the refused one')

  const other = createSubscription(app.domain, OTHER, request())
  t.match(other, { account: OTHER, requestId: FIRST, createdDate: iso(T0) }, 'the same requestId in another account, on that account\'s clock')
  t.not(other.secretKey, created.secretKey)
})

t.test('deleteSubscription cancels that subscription\'s pending deliveries only; an unknown requestId is 004 and changes nothing', async (t) => {
  const app = await twoAccounts(t)
  // Nothing is sent, so the deliveries stay pending.
  await app.webhooks.dispatcher.close(0)
  createSubscription(app.domain, ACCOUNT, request({ requestId: FIRST, notificationEventTypes: [], notificationServiceTypes: ['CUSTOMER_PURSE'] }))
  createSubscription(app.domain, ACCOUNT, request({ requestId: SECOND, notificationEventTypes: [], notificationServiceTypes: ['CUSTOMER_PURSE'] }))
  await deposit(app, { customerId: (await createCustomer(app)).id, currency: 'BTC', amount: 1, stopAt: 'MEM_POOL_FOUND' })
  app.store.clocks.setOffset(ACCOUNT, HOUR)

  t.throws(() => deleteSubscription(app.domain, ACCOUNT, MISSING), new ApiError(ErrorCode.NOT_FOUND, Reason.subscriptionNotFound(MISSING)))
  t.throws(() => deleteSubscription(app.domain, OTHER, SECOND), new ApiError(ErrorCode.NOT_FOUND, Reason.subscriptionNotFound(SECOND)), 'another account\'s is not found')
  t.same((await deliveries(app)).map((d) => d.status), ['pending', 'pending'], 'the refused deletes cancelled nothing')

  deleteSubscription(app.domain, ACCOUNT, SECOND)
  t.same((await deliveries(app)).map((d) => [d.subscriptionRequestId, d.status, d.completedDate]).sort(), [
    [FIRST, 'pending', null],
    [SECOND, 'cancelled', iso(T0 + HOUR)]
  ], 'its delivery is cancelled at the account\'s time; the other subscription\'s stays pending')
  t.same(live(app, ACCOUNT).map((s) => s.requestId), [FIRST])
  t.equal(app.store.db.prepare('SELECT deleted_at FROM subscriptions WHERE request_id = ?').pluck().get(SECOND), iso(T0 + HOUR))
  t.throws(() => deleteSubscription(app.domain, ACCOUNT, SECOND), new ApiError(ErrorCode.NOT_FOUND, Reason.subscriptionNotFound(SECOND)), 'a deleted one is gone')
})

t.test('anySubscriptionFor: an account\'s live subscriptions that name the event type or the CUSTOMER_PURSE service', async (t) => {
  const app = await twoAccounts(t)
  const any = (account: string | undefined, eventType: typeof MEM_POOL | typeof FUNDS | 'CUSTOMER_PURSE_EXPIRED' | undefined) => anySubscriptionFor(app.domain, account, eventType)
  t.same([any(undefined, undefined), any(ACCOUNT, undefined), any(OTHER, MEM_POOL)], [false, false, false], 'nobody subscribed')

  // One that names only an event of another service, one that names MEM_POOL_FOUND.
  createSubscription(app.domain, OTHER, request({ requestId: FIRST, notificationEventTypes: ['INVOICE_PAID'] }))
  createSubscription(app.domain, OTHER, request({ requestId: SECOND, notificationEventTypes: [MEM_POOL] }))
  t.equal(any(OTHER, MEM_POOL), true, 'one of its subscriptions names it')
  t.equal(any(OTHER, FUNDS), false, 'none names FUNDS_RECEIVED')
  t.equal(any(OTHER, undefined), true, 'any customer purse event: MEM_POOL_FOUND is one')
  t.equal(any(ACCOUNT, MEM_POOL), false, 'another account\'s subscription does not count')
  t.equal(any(ACCOUNT, undefined), false)
  t.equal(any(undefined, MEM_POOL), true, 'any account: one of them is enough')
  t.equal(any(undefined, FUNDS), false)
  t.equal(any(undefined, undefined), true)

  createSubscription(app.domain, ACCOUNT, request({ requestId: FIRST, notificationEventTypes: [], notificationServiceTypes: ['CUSTOMER_PURSE'] }))
  t.same([any(ACCOUNT, FUNDS), any(ACCOUNT, 'CUSTOMER_PURSE_EXPIRED'), any(ACCOUNT, undefined)], [true, true, true], 'the service covers every event of it')

  deleteSubscription(app.domain, OTHER, SECOND)
  t.equal(any(OTHER, MEM_POOL), false, 'a deleted subscription does not count')
  t.equal(any(OTHER, undefined), false, 'INVOICE_PAID is no customer purse event')
  t.equal(any(undefined, MEM_POOL), true, 'the other account\'s service subscription still does')
})

t.test('configuredRequestId: a fixed UUID v4 per account, the same in every version, so a database written earlier keeps its subscription', async (t) => {
  t.equal(configuredRequestId(ACCOUNT), 'a610802a-9388-4177-ad2e-b007a5b2892c')
  t.equal(configuredRequestId(OTHER), 'f27ef085-07b4-4889-a1c3-4f5be0e358c7')
  t.match(configuredRequestId('0x1234'), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/)
  t.equal(configuredRequestId(ACCOUNT), configuredRequestId(ACCOUNT))
})

t.test('syncConfiguredWebhook: one subscription per account to every customer purse event; its pair generated once, then kept, or configured', async (t) => {
  const app = await twoAccounts(t)
  const accounts = [ACCOUNT, OTHER]
  const apiSubscription = createSubscription(app.domain, ACCOUNT, request())
  const url = 'http://127.0.0.1:1/configured'

  const first = syncConfiguredWebhook(app.domain, accounts, webhookConfig(url))!
  t.match(first, { url, publicKey: HEX32, secretKey: HEX32, generated: true })
  t.same(Object.keys(first).sort(), ['generated', 'publicKey', 'secretKey', 'url'])
  const expected = (account: string, keys: { url: string, publicKey: string, secretKey: string }) => ({
    account,
    requestId: configuredRequestId(account),
    url: keys.url,
    publicKey: keys.publicKey,
    secretKey: keys.secretKey,
    notificationEventTypes: [],
    notificationServiceTypes: ['CUSTOMER_PURSE'],
    origin: 'config',
    createdDate: iso(T0)
  })
  t.same(live(app, OTHER), [expected(OTHER, first)])
  const apiView = (({ seq: _seq, ...rest }) => rest)(apiSubscription)
  t.same(live(app, ACCOUNT), [apiView, expected(ACCOUNT, first)])
  const seqs = accounts.map((a) => app.store.subscriptions.findLive(a, configuredRequestId(a))!.seq)

  const again = syncConfiguredWebhook(app.domain, accounts, webhookConfig(url))
  t.same(again, { url, publicKey: first.publicKey, secretKey: first.secretKey, generated: false }, 'the pair kept from before, not a new one')
  t.same(live(app, OTHER), [expected(OTHER, first)], 'still one subscription')

  const moved = 'http://127.0.0.1:2/moved'
  const configured = syncConfiguredWebhook(app.domain, accounts, webhookConfig(moved, { publicKey: 'configured-public', secretKey: 'configured-secret' }))
  t.same(configured, { url: moved, publicKey: 'configured-public', secretKey: 'configured-secret', generated: false })
  t.same(live(app, OTHER), [expected(OTHER, configured!)], 'the subscription takes the new url and pair')
  t.same(accounts.map((a) => app.store.subscriptions.findLive(a, configuredRequestId(a))!.seq), seqs, 'in place: the same rows')

  for (const half of [{ publicKey: 'half-public' }, { secretKey: 'half-secret' }]) {
    t.same(syncConfiguredWebhook(app.domain, accounts, webhookConfig(moved, half)), { url: moved, publicKey: 'configured-public', secretKey: 'configured-secret', generated: false },
      `half a pair (${Object.keys(half)[0]}) is not used: the pair kept is`)
  }
  t.same(live(app, ACCOUNT), [apiView, expected(ACCOUNT, configured!)], 'the api subscription is never touched')
})

t.test('syncConfiguredWebhook dates each account\'s subscription, and the cancellation of its deliveries, on that account\'s clock', async (t) => {
  const app = await twoAccounts(t)
  await app.webhooks.dispatcher.close(0)
  app.store.clocks.setOffset(OTHER, 24 * HOUR)
  const url = 'http://127.0.0.1:1/configured'
  syncConfiguredWebhook(app.domain, [ACCOUNT, OTHER], webhookConfig(url))
  t.same([ACCOUNT, OTHER].map((a) => live(app, a)[0]!.createdDate), [iso(T0), iso(T0 + 24 * HOUR)])

  await deposit(app, { customerId: (await createCustomer(app, {}, { as: OTHER_ACCOUNT })).id, currency: 'BTC', amount: 1, stopAt: 'MEM_POOL_FOUND' })
  syncConfiguredWebhook(app.domain, [ACCOUNT, OTHER], webhookConfig(undefined))
  const cancelled = app.store.db.prepare("SELECT completed_at FROM deliveries WHERE status = 'cancelled'").pluck().all()
  t.same(cancelled, [iso(T0 + 24 * HOUR)], 'the pending delivery of the other account, cancelled at its time')
})

t.test('syncConfiguredWebhook without a url deletes the config subscriptions and cancels their pending deliveries; the api ones stay', async (t) => {
  const app = await twoAccounts(t)
  await app.webhooks.dispatcher.close(0)
  const accounts = [ACCOUNT, OTHER]
  const before = syncConfiguredWebhook(app.domain, accounts, webhookConfig('http://127.0.0.1:1/configured'))!
  createSubscription(app.domain, ACCOUNT, request({ notificationEventTypes: [MEM_POOL] }))
  await deposit(app, { customerId: (await createCustomer(app)).id, currency: 'BTC', amount: 1, stopAt: 'MEM_POOL_FOUND' })

  t.equal(syncConfiguredWebhook(app.domain, accounts, webhookConfig(undefined)), undefined)
  t.same(live(app, ACCOUNT).map((s) => [s.requestId, s.origin]), [[FIRST, 'api']])
  t.same(live(app, OTHER), [])
  t.same((await deliveries(app)).map((d) => [d.subscriptionRequestId, d.status]).sort(), [
    [FIRST, 'pending'],
    [configuredRequestId(ACCOUNT), 'cancelled']
  ])
  t.equal(syncConfiguredWebhook(app.domain, accounts, webhookConfig(undefined)), undefined, 'twice is no different')
  t.same(live(app, OTHER), [])

  const after = syncConfiguredWebhook(app.domain, accounts, webhookConfig('http://127.0.0.1:1/configured'))!
  t.equal(after.generated, true, 'nothing is kept from deleted subscriptions: a new pair')
  t.not(after.secretKey, before.secretKey)
  t.same(live(app, OTHER).map((s) => [s.requestId, s.secretKey]), [[configuredRequestId(OTHER), after.secretKey]])
})
