import { hostname, networkInterfaces } from 'node:os'
import t from 'tap'
import { buildApp } from '../../src/app.js'
import { testConfig } from '../../src/test-config.js'
import { ErrorCode, Reason, StartupProblem } from '../../src/errors.js'
import { sendWebhook } from '../../src/webhooks/send-webhook.js'
import { selfConnectionReason, selfTargetReason } from '../../src/webhooks/self-target.js'
import { build, createCustomer, deposit, signedPost, waitForDeliveries, webhookConfig } from '../support/helper.js'
import { startReceiver } from '../support/webhook-receiver.js'

const SELF = { ports: [8080], host: '127.0.0.1', allowedHosts: ['calypso-mock'] }

t.test('every spelling of this machine on the mock\'s port is the mock itself', async (t) => {
  const own = Object.values(networkInterfaces()).flat().find((i) => i !== undefined && !i.internal && i.family === 'IPv4')?.address
  const urls = [
    'http://127.0.0.1:8080/_mock/webhooks/deliveries/1/redeliver', 'http://localhost:8080/hook', 'http://LOCALHOST.:8080/', 'http://app.localhost:8080/',
    'http://0.0.0.0:8080/', 'http://0:8080/', 'http://2130706433:8080/', 'http://0x7f000001:8080/', 'http://0177.0.0.1:8080/', 'http://127.1:8080/',
    'http://127.0.0.2:8080/', 'http://[::1]:8080/', 'http://[::]:8080/', 'http://[::ffff:127.0.0.1]:8080/', 'http://[0:0:0:0:0:ffff:7f00:1]:8080/',
    'http://calypso-mock:8080/', `http://${hostname()}:8080/`, 'https://127.0.0.1:8080/',
    ...(own === undefined ? [] : [`http://${own}:8080/`])
  ]
  for (const url of urls) t.ok(selfTargetReason(url, SELF), `${url} is refused`)
  t.match(selfTargetReason('http://2130706433:8080/', SELF), /^127\.0\.0\.1:8080 is a loopback address and 8080 is the mock's own port$/)
  t.ok(selfTargetReason('http://127.0.0.1/', { ...SELF, ports: [80] }), 'the default port, when the mock listens on it')
  for (const url of ['http://127.0.0.1:3000/hook', 'http://localhost:8081/', 'http://example.com:8080/', 'http://192.0.2.1:8080/', 'http://merchant:8080/']) {
    t.equal(selfTargetReason(url, SELF), undefined, `${url} is another server`)
  }
  t.ok(selfConnectionReason('::ffff:127.0.0.1', 8080, SELF))
  t.equal(selfConnectionReason('127.0.0.1', 3000, SELF), undefined)
})

t.test('a subscription to the mock\'s own redeliver route is refused, saying why (it made 893 deliveries in 20 s)', async (t) => {
  const app = await build(t)
  const url = await app.listen({ port: 0, host: '127.0.0.1' })
  const port = new URL(url).port
  for (const target of [`${url}/_mock/webhooks/deliveries/1/redeliver`, `http://2130706433:${port}/x`, `http://[::ffff:127.0.0.1]:${port}/x`, `http://0.0.0.0:${port}/x`, `http://localhost:${port}/x`]) {
    const res = await signedPost(app, 'subscription/webhook/create', { requestId: '3fa85f64-5717-4562-b3fc-2c963f66afa6', url: target, notificationServiceTypes: ['CUSTOMER_PURSE'] })
    t.equal(res.statusCode, 400, target)
    t.match(res.json(), { errorCode: ErrorCode.BAD_REQUEST, message: /^Bad request: payload\.url: .* is .* and \d+ is the mock's own port: a webhook sent there would be a request to the mock itself/ })
  }
  t.same(app.store.subscriptions.listLive(app.config.accounts[0]!.account), [], 'nothing was subscribed')
  const elsewhere = await signedPost(app, 'subscription/webhook/create', { requestId: '3fa85f64-5717-4562-b3fc-2c963f66afa6', url: 'http://127.0.0.1:9/hook', notificationServiceTypes: ['CUSTOMER_PURSE'] })
  t.equal(elsewhere.statusCode, 200, 'another port of this machine is a receiver')
})

t.test('WEBHOOK_URL pointing at the mock stops the start, naming the variable', async (t) => {
  await t.rejects(buildApp(testConfig({ port: 8080, webhook: webhookConfig('http://localhost:8080/_mock/reset') })),
    { message: StartupProblem.webhookUrlIsSelf('http://localhost:8080/_mock/reset', 'localhost:8080 is a loopback name and 8080 is the mock\'s own port') })
})

t.test('a loop subscription stored before the check is never sent: each attempt fails and waits for its retry', async (t) => {
  const app = await build(t, { webhook: webhookConfig(undefined) })
  const url = await app.listen({ port: 0, host: '127.0.0.1' })
  const account = app.config.accounts[0]!.account
  await app.store.write(() => app.store.subscriptions.create({
    account,
    requestId: '3fa85f64-5717-4562-b3fc-2c963f66afa6',
    url: `${url}/_mock/accounts`,
    publicKey: 'p'.repeat(32),
    secretKey: 's'.repeat(32),
    notificationEventTypes: [],
    notificationServiceTypes: ['CUSTOMER_PURSE'],
    origin: 'api',
    now: new Date().toISOString()
  }))
  const customer = await createCustomer(app)
  await deposit(app, { customerId: customer.id, currency: 'BTC', amount: 1, stopAt: 'MEM_POOL_FOUND' })
  const [attempted] = await waitForDeliveries(app, (d) => d.length === 1 && d[0]!.attempts.length > 0)
  t.match(attempted!.attempts[0], { httpStatus: null, error: Reason.deliveryToSelf(`127.0.0.1:${new URL(url).port} is a loopback address and ${new URL(url).port} is the mock's own port`) })
  t.equal(app.store.accounts.list().length, 1, 'the mock was not called')
})

t.test('a name that resolves to the mock is caught once connected, before a byte is sent', async (t) => {
  const receiver = await startReceiver(t)
  const port = Number(new URL(receiver.url).port)
  const result = await sendWebhook({ url: receiver.url, publicKey: 'p', secretKey: 's' }, '{}', 2000, undefined, (address, p) => selfConnectionReason(address, p, { ...SELF, ports: [port] }))
  t.match(result, { ok: false, httpStatus: null, error: /^not sent: it connected to (::ffff:)?127\.0\.0\.1, a loopback address, on the mock's own port \d+/ })
  t.equal(receiver.received.length, 0, 'the receiver got nothing')
})
