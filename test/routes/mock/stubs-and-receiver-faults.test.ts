import t from 'tap'
import { DEFAULT_ACCOUNT, testConfig } from '../../../src/config.js'
import { ErrorCode } from '../../../src/errors.js'
import { OTHER_ACCOUNT, assertError, build, createCustomer, deposit, signedPost, waitForDeliveries, webhookConfig } from '../../helper.js'
import { startReceiver } from '../../webhook-receiver.js'

type App = Awaited<ReturnType<typeof build>>
const post = (app: App, url: string, payload: unknown) => app.inject({ method: 'POST', url, payload: payload as Record<string, unknown> })

t.test('a fault answers any status and JSON body of your own, once, before the API runs', async (t) => {
  const app = await build(t)
  const stub = { id: '3fa85f64-5717-4562-b3fc-2c963f66afa6', blocked: 'maybe', extra: [1, 2] }
  const created = await post(app, '/_mock/faults', { path: 'customer-purse/customer/create', body: stub })
  t.equal(created.statusCode, 201)
  t.match(created.json(), { path: '/api/v1/customer-purse/customer/create', body: stub, times: 1 })

  const stubbed = await signedPost(app, 'customer-purse/customer/create', { email: 'x@example.com' })
  t.equal(stubbed.statusCode, 200, '200 by default with a body')
  t.equal(stubbed.body, JSON.stringify(stub), 'exactly the body given, not reshaped by the route\'s schema')
  t.match(stubbed.headers['content-type'], /^application\/json/)
  t.same((await app.inject({ method: 'GET', url: '/_mock/customers' })).json().customers, [], 'the API did not run')
  t.equal((await signedPost(app, 'customer-purse/customer/create', {})).statusCode, 200, 'the next call reaches the API')

  await post(app, '/_mock/faults', { path: 'customer-purse/customer/create', status: 503, body: { error: 'maintenance' } })
  const unavailable = await signedPost(app, 'customer-purse/customer/create', {})
  t.equal(unavailable.statusCode, 503)
  t.same(unavailable.json(), { error: 'maintenance' })
  const [journal] = (await app.inject({ method: 'GET', url: '/_mock/requests?limit=1' })).json().requests
  t.match(journal, { status: 503, faultId: Number })

  await post(app, '/_mock/faults', { path: 'customer-purse/customer/create', status: 502 })
  const calypsoBody = await signedPost(app, 'customer-purse/customer/create', {})
  t.equal(calypsoBody.statusCode, 502)
  t.match(calypsoBody.json(), { errorCode: ErrorCode.INTERNAL, message: /injected by \/_mock\/faults/ }, 'without a body: Calypso\'s error body')
})

t.test('stub requests are checked', async (t) => {
  const app = await build(t)
  const cases: Array<[unknown, RegExp]> = [
    [{ path: 'customer-purse/customer/create', status: 200 }, /status.*give body too/],
    [{ path: 'customer-purse/customer/create', body: {}, errorCode: '004' }, /body or errorCode/],
    [{ path: 'customer-purse/customer/create', body: {}, connection: 'reset' }, /connection/],
    [{ path: 'customer-purse/customer/create', body: 'x'.repeat(70_000) }, /at most 65536 bytes/],
    [{ path: 'customer-purse/customer/create', status: 199, body: {} }, /status/]
  ]
  for (const [body, message] of cases) assertError(t, await post(app, '/_mock/faults', body), ErrorCode.BAD_REQUEST, message)
  const unknown = await post(app, '/_mock/faults', { path: 'customer-purse/customer/create', errorCode: '000', account: '0x00000000000000000000000000000000000000ff' })
  assertError(t, unknown, ErrorCode.NOT_FOUND, /no account/)
  t.same((await app.inject({ method: 'GET', url: '/_mock/faults' })).json().faults, [])
})

t.test('a fault for one account leaves the calls of another alone', async (t) => {
  const app = await build(t, { accounts: [...testConfig().accounts, OTHER_ACCOUNT] })
  await post(app, '/_mock/faults', { path: 'customer-purse/customer/create', errorCode: '000', account: OTHER_ACCOUNT.account.toUpperCase().replace('0X', '0x') })
  t.equal((await signedPost(app, 'customer-purse/customer/create', {})).statusCode, 200, 'the default account is not faulted')
  t.equal((await signedPost(app, 'customer-purse/customer/create', {}, { as: OTHER_ACCOUNT })).statusCode, 500, 'the named account is')
  t.same((await app.inject({ method: 'GET', url: '/_mock/faults' })).json().faults, [])
})

t.test('a receiver that fails N times: the attempts are recorded as failed, then the retry is delivered', async (t) => {
  const receiver = await startReceiver(t)
  const app = await build(t, { webhook: webhookConfig(receiver.url) })
  const created = await post(app, '/_mock/webhooks/faults', { times: 2, status: 503, account: DEFAULT_ACCOUNT })
  t.equal(created.statusCode, 201)
  t.match(created.json(), { status: 503, times: 2, remaining: 2, account: DEFAULT_ACCOUNT })
  const customer = await createCustomer(app)
  await deposit(app, { customerId: customer.id, currency: 'BTC', amount: 1, stopAt: 'MEM_POOL_FOUND' })
  const [delivery] = await waitForDeliveries(app, (d) => d[0]?.status === 'delivered')
  t.same(delivery!.attempts.map((a) => a.httpStatus), [503, 503, 200])
  t.match(delivery!.attempts[0]!.error, /^HTTP 503: injected by \/_mock\/webhooks\/faults \(fault 1\)$/)
  t.equal(receiver.received.length, 1, 'the failed attempts never reached the receiver')
  t.same((await app.inject({ method: 'GET', url: '/_mock/webhooks/faults' })).json().faults, [])
  assertError(t, await post(app, '/_mock/webhooks/faults', { times: 0 }), ErrorCode.BAD_REQUEST, /times/)
  assertError(t, await post(app, '/_mock/webhooks/faults', { account: '0x00000000000000000000000000000000000000ff' }), ErrorCode.NOT_FOUND)
  await post(app, '/_mock/webhooks/faults', {})
  t.equal((await post(app, '/_mock/reset', {})).statusCode, 200)
  t.same((await app.inject({ method: 'GET', url: '/_mock/webhooks/faults' })).json().faults, [], 'a full reset clears them')
})
