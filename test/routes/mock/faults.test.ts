import { once } from 'node:events'
import { request as httpRequest } from 'node:http'
import t from 'tap'
import { ErrorCode } from '../../../src/errors.js'
import { assertError, build, OTHER_ACCOUNT, signedPost } from '../../support/helper.js'
import { testConfig } from '../../../src/test-config.js'

type App = Awaited<ReturnType<typeof build>>
const count = (app: App, table: string) => app.store.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number
const get = async (app: App, url: string) => (await app.inject({ method: 'GET', url })).json()

const post = (app: App, url: string, payload?: unknown) =>
  app.inject({ method: 'POST', url, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) })

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
