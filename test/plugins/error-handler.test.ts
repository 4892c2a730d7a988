import t from 'tap'
import { ERROR_CATALOG, ErrorCode, Reason } from '../../src/errors.js'
import { randomIdSource, type IdSource } from '../../src/domain/ids.js'
import { BODY_LIMIT } from '../../src/http/limits.js'
import { build, envelopeBody, signedPost } from '../support/helper.js'

const CREATE = '/api/v1/customer-purse/customer/create'

t.test('an unknown path answers 404 with 004 in Calypso\'s error body', async (t) => {
  const app = await build(t)
  const res = await app.inject({ method: 'POST', url: '/api/v1/customer-purse/customer/get' })
  t.equal(res.statusCode, 404)
  t.same(Object.keys(res.json()).sort(), ['errorCode', 'message', 'traceId'])
  t.equal(res.json().errorCode, ErrorCode.NOT_FOUND)
  t.equal(res.json().message, `Requested object is not found: ${Reason.noRoute('POST', '/api/v1/customer-purse/customer/get')}`)
})

t.test('a known path with another method answers 405 as Spring does, with Allow, in Calypso\'s error body', async (t) => {
  const app = await build(t)
  const cases: Array<[string, string, string[]]> = [
    ['GET', CREATE, ['POST']],
    ['PUT', '/api/v1/customer-purse/address/get', ['POST']],
    ['GET', '/api/v1/subscription/webhook', ['POST', 'DELETE']],
    ['DELETE', '/api/v1/subscription/webhook/create', ['POST']],
    ['GET', '/_mock/transactions/3fa85f64-5717-4562-b3fc-2c963f66afa6/advance?x=1', ['POST']],
    ['POST', '/health', ['GET', 'HEAD']]
  ]
  for (const [method, url, allowed] of cases) {
    const res = await app.inject({ method: method as 'GET', url, payload: method === 'GET' ? undefined : '{}', headers: { 'content-type': 'application/json' } })
    const path = url.split('?')[0]!
    t.equal(res.statusCode, 405, `${method} ${url}`)
    t.same(res.headers.allow?.toString().split(', ').sort(), [...allowed].sort(), 'Allow names the methods the path takes')
    t.same(res.json(), { errorCode: ErrorCode.BAD_REQUEST, message: `Bad request: ${Reason.methodNotAllowed(method, path, res.headers.allow!.toString().split(', '))}`, traceId: res.headers['x-trace-id'] })
  }
  const journal = (await app.inject({ method: 'GET', url: '/_mock/requests?limit=1' })).json().requests[0]
  t.match(journal, { method: 'DELETE', path: '/api/v1/subscription/webhook/create', status: 405, errorCode: ErrorCode.BAD_REQUEST }, 'the journal shows it')
})

t.test('Calypso\'s paths have no trailing slash: one with it is not found', async (t) => {
  const app = await build(t)
  const res = await signedPost(app, '/api/v1/subscription/webhook/', undefined)
  t.equal(res.statusCode, 404)
  t.equal(res.json().errorCode, ErrorCode.NOT_FOUND)
  t.equal((await signedPost(app, '/api/v1/subscription/webhook', undefined)).statusCode, 200)
})

t.test('a Content-Type other than JSON is a bad request naming the type', async (t) => {
  const app = await build(t)
  const res = await app.inject({ method: 'POST', url: CREATE, payload: 'email=a', headers: { 'content-type': 'application/x-www-form-urlencoded' } })
  t.equal(res.statusCode, 400)
  t.equal(res.json().errorCode, ErrorCode.BAD_REQUEST)
  t.match(res.json().message, /application\/x-www-form-urlencoded/)
})

t.test('application/json with a charset is JSON', async (t) => {
  const app = await build(t)
  const res = await signedPost(app, CREATE, {}, { headers: { 'content-type': 'application/json; charset=utf-8' } })
  t.equal(res.statusCode, 200)
})

t.test('a body over 1 MiB is refused with the limit named, and the server carries on', async (t) => {
  const app = await build(t)
  const body = envelopeBody(app.config.accounts[0]!.account, app.clock(), { description: 'x'.repeat(BODY_LIMIT) })
  const res = await signedPost(app, CREATE, {}, { rawBody: body })
  t.equal(res.statusCode, 400)
  t.equal(res.json().errorCode, ErrorCode.BAD_REQUEST)
  t.equal(res.json().message, `Bad request: ${Reason.bodyTooLarge(BODY_LIMIT)}`)
  t.equal((app.store.db.prepare('SELECT count(*) AS n FROM customers').get() as { n: number }).n, 0)
  t.equal((await signedPost(app, CREATE, {})).statusCode, 200)
})

t.test('schema errors name the field and what was expected', async (t) => {
  const app = await build(t)
  const res = await signedPost(app, CREATE, { email: 42, description: ['x'] })
  t.equal(res.statusCode, 400)
  t.equal(res.json().errorCode, ErrorCode.BAD_REQUEST)
  t.match(res.json().message, /payload\.email: .*expected string/)
  t.match(res.json().message, /payload\.description: .*expected string/)
})

t.test('every error carries its own trace id', async (t) => {
  const app = await build(t)
  const a = await app.inject({ method: 'POST', url: '/nowhere' })
  const b = await app.inject({ method: 'POST', url: '/nowhere' })
  t.match(a.json().traceId, /^[0-9a-f-]{36}$/)
  t.not(a.json().traceId, b.json().traceId)
})

t.test('a route that throws answers 500 with 000, no internal detail, and logs the error', async (t) => {
  const logged: Array<{ level: number, msg: string, err?: { message: string } }> = []
  const app = await build(t, {}, {
    logger: { level: 'info', stream: { write: (line: string) => { logged.push(JSON.parse(line)) } } },
    extend: async (app) => { app.get('/test/throws', async () => { throw new Error('EIO: /var/lib/internal/secret.bin') }) }
  })
  const res = await app.inject({ method: 'GET', url: '/test/throws' })
  t.equal(res.statusCode, 500)
  t.same(Object.keys(res.json()).sort(), ['errorCode', 'message', 'traceId'])
  t.equal(res.json().errorCode, ErrorCode.INTERNAL)
  t.equal(res.json().message, ERROR_CATALOG[ErrorCode.INTERNAL].message)
  t.notMatch(res.body, /EIO|secret/, 'nothing internal is answered')
  t.ok(logged.some((line) => line.level === 50 && line.err?.message === 'EIO: /var/lib/internal/secret.bin'), 'the cause is logged at error')
})

t.test('an internal failure in the middle of an API call answers 500 with 000 and no internal detail', async (t) => {
  // An id source that fails mid-request, as any internal dependency might.
  let failing = false
  const random = randomIdSource()
  const ids: IdSource = { ...random, uuid: () => { if (failing) throw new Error('EIO: /var/lib/internal/ids.bin'); return random.uuid() } }
  const app = await build(t, {}, { ids })
  failing = true
  const res = await signedPost(app, CREATE, { email: 'a@example.com' })
  t.equal(res.statusCode, 500)
  t.same({ ...res.json(), traceId: 'x' }, { errorCode: ErrorCode.INTERNAL, message: ERROR_CATALOG[ErrorCode.INTERNAL].message, traceId: 'x' })
  t.notMatch(res.body, /EIO|internal\/ids/)
  failing = false
  t.equal((await signedPost(app, CREATE, { email: 'a@example.com' })).statusCode, 200, 'and the app goes on')
})

t.test('GET /health answers with the database and the webhook queue', async (t) => {
  const app = await build(t)
  const res = await app.inject({ method: 'GET', url: '/health' })
  t.equal(res.statusCode, 200)
  t.same(res.json(), { status: 'ok', database: { path: ':memory:', journalMode: 'memory' }, webhooks: { pending: 0, inFlight: 0 } })
})

t.test('every answer carries its trace id in x-trace-id, errors in the body too', async (t) => {
  const app = await build(t)
  const ok = await signedPost(app, CREATE, {})
  t.match(ok.headers['x-trace-id'], /^[0-9a-f-]{36}$/)
  const failed = await app.inject({ method: 'POST', url: '/nowhere' })
  t.equal(failed.headers['x-trace-id'], failed.json().traceId)
})
