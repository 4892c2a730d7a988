import { once } from 'node:events'
import { request as httpRequest } from 'node:http'
import { join } from 'node:path'
import t from 'tap'
import { DEFAULT_ACCOUNT, testConfig } from '../../../src/config.js'
import { ApiError, ErrorCode, Reason } from '../../../src/errors.js'
import { OTHER_ACCOUNT, build, createCustomer, deposit, manualClock, signedPost, tempDir, webhookConfig } from '../../helper.js'
import { startReceiver } from '../../webhook-receiver.js'

type App = Awaited<ReturnType<typeof build>>

const count = (app: App, table: string) => app.store.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number
const get = async (app: App, url: string) => (await app.inject({ method: 'GET', url })).json()
const post = (app: App, url: string, payload?: unknown) =>
  app.inject({ method: 'POST', url, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) })

t.test('reset empties everything but the configured accounts and the WEBHOOK_URL subscription', async (t) => {
  const app = await build(t, { webhook: webhookConfig('http://127.0.0.1:1/hook') })
  const customer = await createCustomer(app)
  await deposit(app, { customerId: customer.id, currency: 'BTC', amount: 1 })
  await signedPost(app, 'subscription/webhook/create', { requestId: '1a2b3c4d-1a2b-4c3d-8e9f-0a1b2c3d4e5f', notificationServiceTypes: ['CUSTOMER_PURSE'], url: 'http://127.0.0.1:1/x' })
  const runtime = (await post(app, '/_mock/accounts', {})).json()
  await post(app, '/_mock/faults', { path: 'customer-purse/customer/create', errorCode: '000' })

  const res = await post(app, '/_mock/reset', {})
  t.equal(res.statusCode, 200)
  t.same(res.json(), { reset: 'all', lastEventId: 4 }, 'the deposit\'s four events were the last before it')
  for (const table of ['customers', 'purses', 'transactions', 'events', 'deliveries', 'delivery_attempts']) t.equal(count(app, table), 0, `${table} is empty`)
  t.same((await get(app, '/_mock/accounts')).accounts.map((a: { account: string }) => a.account), [DEFAULT_ACCOUNT], `run-time account ${runtime.account} is gone`)
  t.same((await get(app, '/_mock/requests')).requests, [], 'the journal is cleared')
  t.same((await get(app, '/_mock/faults')).faults, [])
  const subscriptions = (await signedPost(app, 'subscription/webhook', undefined)).json().subscriptions
  t.same(subscriptions.map((s: { url: string }) => s.url), ['http://127.0.0.1:1/hook'], 'only the WEBHOOK_URL subscription is left')
  t.equal((await signedPost(app, 'customer-purse/customer/create', {})).statusCode, 200, 'and the API works on')
})

t.test('reset of one account leaves the others alone', async (t) => {
  const app = await build(t, { accounts: [...testConfig().accounts, OTHER_ACCOUNT] })
  const mine = await createCustomer(app)
  const theirs = await createCustomer(app, {}, { as: OTHER_ACCOUNT })
  await deposit(app, { customerId: mine.id, currency: 'TRX', amount: 1 })
  await deposit(app, { customerId: theirs.id, currency: 'TRX', amount: 1 })
  t.equal((await post(app, '/_mock/reset', { account: OTHER_ACCOUNT.account.toUpperCase().replace('0X', '0x') })).json().reset, OTHER_ACCOUNT.account)
  t.same((await get(app, '/_mock/customers')).customers.map((c: { id: string }) => c.id), [mine.id])
  t.same((await get(app, '/_mock/transactions')).transactions.map((x: { customerId: string }) => x.customerId), [mine.id])
  t.match((await post(app, '/_mock/reset', { account: '0x00000000000000000000000000000000000000ff' })).json(), { errorCode: ErrorCode.NOT_FOUND })
  t.match((await post(app, '/_mock/reset', { account: 'someone' })).json(), { errorCode: ErrorCode.BAD_REQUEST, message: /account/ })
})

t.test('an account created at run time signs its own requests and sees only its own data', async (t) => {
  const receiver = await startReceiver(t)
  const app = await build(t, { webhook: webhookConfig(receiver.url) })
  receiver.setSecret(app.webhooks.configured!.secretKey)
  const res = await post(app, '/_mock/accounts', {})
  t.equal(res.statusCode, 201)
  const suite = res.json()
  t.match(suite, { account: /^0x[0-9a-f]{40}$/, apiKey: /^[0-9a-f]{32}$/, apiSecret: /^[0-9a-f]{32}$/ })
  const defaultCustomer = await createCustomer(app)
  const own = await createCustomer(app, { email: 'suite@example.com' }, { as: suite })
  t.match((await signedPost(app, 'customer-purse/customer/block', { customerId: defaultCustomer.id }, { as: suite })).json(), { errorCode: ErrorCode.NOT_FOUND })
  t.same((await get(app, `/_mock/customers?account=${suite.account}`)).customers.map((c: { id: string }) => c.id), [own.id])
  const shouted = suite.account.toUpperCase().replace('0X', '0x')
  t.same((await get(app, `/_mock/customers?account=${shouted}`)).customers.map((c: { id: string }) => c.id), [own.id], 'the account in any case')

  await deposit(app, { customerId: own.id, currency: 'ETH', amount: 1 })
  t.same((await get(app, `/_mock/transactions?account=${shouted}`)).transactions.map((x: { customerId: string }) => x.customerId), [own.id])
  const event = await receiver.waitFor((r) => r.some((x) => x.body.data.customerId === own.id))
  t.ok(event.find((x) => x.body.data.customerId === own.id)!.verified, 'the WEBHOOK_URL subscription covers run-time accounts')

  const chosen = { account: '0x00000000000000000000000000000000000000c3', apiKey: 'chosen-api-key', apiSecret: 'chosen-api-secret' }
  t.same((await post(app, '/_mock/accounts', chosen)).json(), chosen)
  t.match((await post(app, '/_mock/accounts', chosen)).json(), { errorCode: ErrorCode.BAD_REQUEST, message: new ApiError(ErrorCode.BAD_REQUEST, Reason.accountExists(chosen.account)).message })
  t.match((await post(app, '/_mock/accounts', { ...chosen, account: '0x00000000000000000000000000000000000000c4' })).json(), { errorCode: ErrorCode.BAD_REQUEST, message: new ApiError(ErrorCode.BAD_REQUEST, Reason.apiKeyTaken).message })
  t.match((await post(app, '/_mock/accounts', { apiKey: 'short' })).json(), { errorCode: ErrorCode.BAD_REQUEST, message: /apiKey/ })
})

t.test('the request journal tells why each call was refused, newest first', async (t) => {
  const app = await build(t, {}, { clock: manualClock() })
  await signedPost(app, 'customer-purse/customer/create', { email: 'ok@example.com' })
  await signedPost(app, 'customer-purse/customer/create', {}, { headers: { key: 'nope' } })
  await signedPost(app, 'customer-purse/customer/create', {}, { timestamp: app.clock() - 600_000 })
  const sent = JSON.stringify({ timestamp: app.clock(), account: DEFAULT_ACCOUNT, payload: {} }, null, 2)
  const { sign } = await import('../../../src/auth/signature.js')
  await signedPost(app, 'customer-purse/customer/create', {}, { rawBody: sent, headers: { sign: sign(JSON.stringify(JSON.parse(sent)), app.config.accounts[0]!.apiSecret) } })
  await post(app, '/api/v1/customer-purse/customer/remove', {})

  const { requests } = await get(app, '/_mock/requests')
  t.same(requests.map((r: { status: number }) => r.status), [404, 400, 400, 400, 200])
  t.match(requests[0], { path: '/api/v1/customer-purse/customer/remove', errorCode: '004', auth: null })
  t.match(requests[1], { errorCode: '003', auth: { passed: false, check: 'sign', reason: /re-serialised without spaces, not the bytes sent/ }, body: sent })
  t.match(requests[2], { errorCode: '011', auth: { passed: false, check: 'timestamp', reason: /600000 ms behind/ } })
  t.match(requests[3], { errorCode: '002', key: 'nope', auth: { passed: false, check: 'key' } })
  t.match(requests[4], { errorCode: null, auth: { passed: true }, method: 'POST', body: /ok@example\.com/, traceId: /^[0-9a-f-]{36}$/ })
  t.same((await get(app, '/_mock/requests?errorCode=011')).requests.map((r: { id: number }) => r.id), [requests[2].id])
  t.equal((await get(app, '/_mock/requests?limit=2')).requests.length, 2)
})

t.test('the journal keeps the last 1000 calls', async (t) => {
  const app = await build(t)
  for (let i = 0; i < 1005; i++) await app.inject({ method: 'POST', url: '/api/v1/nowhere' })
  const { requests } = await get(app, '/_mock/requests?limit=1000')
  t.equal(requests.length, 1000)
  t.equal(requests[0].id - requests[999].id, 999)
  t.equal(requests[0].id, 1005)
})

t.test('an injected error answers instead of the API, the given number of times, and changes nothing', async (t) => {
  const app = await build(t)
  const created = await post(app, '/_mock/faults', { path: '/api/v1/customer-purse/customer/create', errorCode: '000', times: 2 })
  t.equal(created.statusCode, 201)
  t.match(created.json(), { id: 1, path: '/api/v1/customer-purse/customer/create', times: 2, remaining: 2 })
  for (let i = 0; i < 2; i++) {
    const res = await signedPost(app, 'customer-purse/customer/create', {})
    t.equal(res.statusCode, 500)
    t.match(res.json(), { errorCode: ErrorCode.INTERNAL, message: /injected by \/_mock\/faults \(fault 1\)/ })
  }
  t.equal(count(app, 'customers'), 0)
  t.equal((await signedPost(app, 'customer-purse/customer/create', {})).statusCode, 200, 'the third call goes through')
  t.same((await get(app, '/_mock/faults')).faults, [])
  t.same((await get(app, '/_mock/requests')).requests.map((r: { faultId: number | null }) => r.faultId), [null, 1, 1])

  await post(app, '/_mock/faults', { path: 'customer-purse/customer/block', errorCode: '004', status: 404 })
  const blocked = await signedPost(app, 'customer-purse/customer/block', { customerId: '3fa85f64-5717-4562-b3fc-2c963f66afa6' })
  t.equal(blocked.statusCode, 404)
  t.equal(blocked.json().errorCode, '004')
  await post(app, '/_mock/faults', { path: 'customer-purse/address/get', status: 503 })
  t.match((await signedPost(app, 'customer-purse/address/get', {})).json(), { errorCode: '000' })
})

t.test('a delay fault delays and then lets the call through', async (t) => {
  const app = await build(t)
  await post(app, '/_mock/faults', { path: 'customer-purse/customer/create', delayMs: 50 })
  const res = await signedPost(app, 'customer-purse/customer/create', {})
  t.equal(res.statusCode, 200)
  t.equal(count(app, 'customers'), 1)
  t.ok((await get(app, '/_mock/requests')).requests[0].durationMs >= 49)
})

t.test('connection faults break a real socket: reset, or closed with no answer', async (t) => {
  const app = await build(t)
  await app.listen({ port: 0, host: '127.0.0.1' })
  const port = (app.server.address() as { port: number }).port
  const call = async () => {
    const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/api/v1/customer-purse/customer/create', headers: { 'content-type': 'application/json' } })
    req.end('{}')
    try {
      const [response] = await once(req, 'response') as [{ statusCode: number }]
      return response.statusCode
    } catch (err) {
      return (err as NodeJS.ErrnoException).code ?? (err as Error).message
    }
  }
  await post(app, '/_mock/faults', { path: 'customer-purse/customer/create', connection: 'reset' })
  t.equal(await call(), 'ECONNRESET')
  await post(app, '/_mock/faults', { path: 'customer-purse/customer/create', connection: 'empty' })
  t.match(await call(), /ECONNRESET|socket hang up/)
  t.equal(await call(), 400, 'faults used up: the API answers again')
  t.same((await get(app, '/_mock/requests')).requests.slice(1).map((r: { status: number }) => r.status), [0, 0])
})

t.test('faults are checked and can be cleared', async (t) => {
  const app = await build(t)
  const cases: Array<[Record<string, unknown>, RegExp]> = [
    [{ path: 'customer-purse/customer/create' }, /at least one of errorCode, status, body, delayMs and connection/],
    [{ path: 'customer-purse/customer/remove', errorCode: '000' }, /not an API path/],
    [{ path: 'customer-purse/customer/create', errorCode: '999' }, /errorCode/],
    [{ path: 'customer-purse/customer/create', status: 200 }, /status/],
    [{ path: 'customer-purse/customer/create', connection: 'reset', errorCode: '000' }, /not both/],
    [{ path: 'customer-purse/customer/create', delayMs: 1, times: 0 }, /times/]
  ]
  for (const [body, message] of cases) t.match((await post(app, '/_mock/faults', body)).json(), { errorCode: ErrorCode.BAD_REQUEST, message })
  await post(app, '/_mock/faults', { path: 'customer-purse/customer/create', errorCode: '000' })
  await post(app, '/_mock/faults', { path: 'subscription/webhook', errorCode: '000' })
  t.same((await app.inject({ method: 'DELETE', url: '/_mock/faults' })).json(), { cleared: 2 })
  t.equal((await signedPost(app, 'customer-purse/customer/create', {})).statusCode, 200)
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

t.test('MOCK_ADMIN_TOKEN guards /_mock and nothing else', async (t) => {
  const app = await build(t, { adminToken: 'let-me-in-please' })
  const noToken = await app.inject({ method: 'GET', url: '/_mock/customers' })
  t.equal(noToken.statusCode, 401)
  t.match(noToken.json(), { errorCode: ErrorCode.INVALID_API_KEY, message: /Authorization: Bearer/ })
  t.equal((await app.inject({ method: 'GET', url: '/_mock/customers', headers: { authorization: 'Bearer wrong-token-value' } })).statusCode, 401)
  t.equal((await app.inject({ method: 'POST', url: '/_mock/reset', payload: {}, headers: { authorization: 'Bearer let-me-in-please' } })).statusCode, 200)
  t.equal((await app.inject({ method: 'GET', url: '/health' })).statusCode, 200)
  t.equal((await signedPost(app, 'customer-purse/customer/create', {})).statusCode, 200)
})

t.test('MOCK_SEED makes ids, addresses and keys repeat from run to run', async (t) => {
  const run = async (seed: string, databasePath = ':memory:') => {
    const app = await build(t, { seed, databasePath })
    const customer = await createCustomer(app)
    const address = (await signedPost(app, 'customer-purse/address/get', { customerId: customer.id, currency: 'BTC' })).json()
    const account = (await post(app, '/_mock/accounts', {})).json()
    await app.close()
    return { customer: customer.id, address, account }
  }
  const a = await run('snapshot-1')
  t.same(await run('snapshot-1'), a)
  t.notSame(await run('snapshot-2'), a)
  const file = join(tempDir(t), 'seeded.db')
  const first = await run('snapshot-1', file)
  t.same(first, a, 'a fresh file gives the same ids')
  const second = await run('snapshot-1', file)
  t.not(second.customer, first.customer, 'a restart on the same file continues without repeating ids')
})

t.test('a full reset restarts the seeded sequence', async (t) => {
  const app = await build(t, { seed: 'reset-me' })
  const before = await createCustomer(app)
  await post(app, '/_mock/reset', {})
  const after = await createCustomer(app)
  t.equal(after.id, before.id)
})
