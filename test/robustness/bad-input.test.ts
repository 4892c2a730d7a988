import { createHash } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import fc from 'fast-check'
import t, { type Test } from 'tap'
import { ERROR_CATALOG } from '../../src/errors.js'
import { build, createCustomer, deposit, signedPost } from '../support/helper.js'
import { rawConversation } from '../support/raw-http.js'

type App = Awaited<ReturnType<typeof build>>

const TABLES = ['accounts', 'customers', 'purses', 'transactions', 'subscriptions', 'events', 'deliveries', 'delivery_attempts']
const SEED = 20261125

/** A digest of every row of every table: equal digests mean nothing changed. */
function fingerprint (app: App): string {
  const hash = createHash('sha256')
  for (const table of TABLES) hash.update(JSON.stringify(app.store.db.prepare(`SELECT * FROM ${table} ORDER BY rowid`).all()))
  return hash.digest('hex')
}

/** What the whole file measured, printed at the end (issue 11's figures). */
const tally = { requests: 0, serverErrors: 0, outsideErrorBody: 0, changedAfterRefusal: 0, refused: 0, accepted: 0 }

interface Answer { statusCode: number, body: string }

/** Checks one answer: never a 5xx; every 4xx exactly `{errorCode, message, traceId}` with a catalog code. Counts it. */
function check (t: Test, res: Answer, label: string): boolean {
  tally.requests++
  if (res.statusCode >= 500) {
    tally.serverErrors++
    t.fail(`${label}: ${res.statusCode} ${res.body.slice(0, 300)}`)
    return false
  }
  if (res.statusCode < 400) {
    tally.accepted++
    return true
  }
  tally.refused++
  let body: Record<string, unknown> | undefined
  try {
    body = JSON.parse(res.body) as Record<string, unknown>
  } catch {}
  const ok = body !== undefined && Object.keys(body).sort().join() === 'errorCode,message,traceId' &&
    typeof body.errorCode === 'string' && body.errorCode in ERROR_CATALOG && typeof body.message === 'string' && typeof body.traceId === 'string'
  if (!ok) {
    tally.outsideErrorBody++
    t.fail(`${label}: ${res.statusCode} not Calypso's error body: ${res.body.slice(0, 200)}`)
  }
  return ok
}

/** A refused request must leave every table as it was. */
function unchanged (t: Test, app: App, before: string, res: Answer, label: string): boolean {
  if (res.statusCode < 400 || fingerprint(app) === before) return true
  tally.changedAfterRefusal++
  t.fail(`${label}: a refused request changed the database`)
  return false
}

interface ApiEndpoint {
  path: string
  method?: 'POST' | 'DELETE'
  payload: Record<string, unknown> | undefined
}

interface MockEndpoint {
  method: 'GET' | 'POST' | 'DELETE'
  /** With `:id` where a path parameter goes. */
  url: string
  id?: string
  body?: Record<string, unknown>
  /** Query fields the route knows, to mutate. */
  query?: string[]
  /** Appended to every query: the long poll must not wait its 10 s default. */
  fixedQuery?: () => fc.Arbitrary<string>
}

async function fixture (t: Test, overrides: Parameters<typeof build>[1] = {}) {
  const app = await build(t, overrides)
  // Deliveries would change the database in the background; this test watches requests only.
  await app.webhooks.dispatcher.close(0)
  const customer = await createCustomer(app, { email: 'fixture@example.com' })
  const tx = await deposit(app, { customerId: customer.id, currency: 'BTC', amount: 1, stopAt: 'MEM_POOL_FOUND' })
  const purse = (await signedPost(app, 'customer-purse/address/get', { customerId: customer.id, currency: 'BTC' })).json()
  const requestId = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d'
  await signedPost(app, 'subscription/webhook/create', { requestId, notificationServiceTypes: ['CUSTOMER_PURSE'], url: 'http://127.0.0.1:1/x' })
  await deposit(app, { customerId: customer.id, currency: 'ETH', amount: 1, stopAt: 'MEM_POOL_FOUND' })
  const deliveryId = String(app.store.db.prepare('SELECT max(id) FROM deliveries').pluck().get())
  const api: ApiEndpoint[] = [
    { path: 'customer-purse/customer/create', payload: { email: 'a@example.com', description: 'd', externalId: 'e' } },
    { path: 'customer-purse/customer/update', payload: { id: customer.id, email: 'b@example.com' } },
    { path: 'customer-purse/customer/block', payload: { customerId: customer.id } },
    { path: 'customer-purse/customer/unblock', payload: { customerId: customer.id } },
    { path: 'customer-purse/address/get', payload: { customerId: customer.id, currency: 'BTC' } },
    { path: 'customer-purse/purse/get-all', payload: { customerId: customer.id } },
    { path: 'customer-purse/transaction/get', payload: { transactionId: tx.id } },
    { path: 'customer-purse/transaction/find', payload: { customerId: customer.id, pageNumber: 0, pageSize: 10, currencyFilter: { in: ['BTC'] }, sort: 'DESC' } },
    { path: 'subscription/webhook', payload: undefined },
    { path: 'subscription/webhook/create', payload: { requestId: '1b8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d', notificationEventTypes: ['CUSTOMER_PURSE_EXPIRED'], url: 'http://127.0.0.1:1/y' } },
    { path: 'subscription/webhook', method: 'DELETE', payload: { requestId } }
  ]
  const mock: MockEndpoint[] = [
    { method: 'POST', url: '/_mock/deposits', body: { customerId: customer.id, currency: 'BTC', amount: 1 } },
    { method: 'POST', url: '/_mock/transactions/:id/advance', id: tx.id, body: { stopAt: 'PENDING_COMPLIANCE_CHECK' } },
    { method: 'POST', url: '/_mock/purses/:id/expire', id: purse.id, body: {} },
    { method: 'POST', url: '/_mock/accounts', body: { apiKey: 'robust-key-1', apiSecret: 'robust-secret-1' } },
    { method: 'GET', url: '/_mock/accounts', query: [] },
    { method: 'GET', url: '/_mock/customers', query: ['account', 'limit', 'offset'] },
    { method: 'GET', url: '/_mock/transactions', query: ['account', 'customerId', 'limit', 'offset'] },
    { method: 'GET', url: '/_mock/requests', query: ['limit', 'errorCode', 'path'] },
    { method: 'POST', url: '/_mock/faults', body: { path: 'customer-purse/customer/create', errorCode: '001' } },
    { method: 'GET', url: '/_mock/faults', query: [] },
    { method: 'DELETE', url: '/_mock/faults', query: [] },
    { method: 'GET', url: '/_mock/webhooks/deliveries', query: ['status', 'eventType', 'customerId', 'account', 'limit'] },
    { method: 'POST', url: '/_mock/webhooks/deliveries/:id/redeliver', id: deliveryId, body: {} },
    {
      method: 'GET',
      url: '/_mock/webhooks/wait',
      query: ['eventType', 'customerId', 'transactionId', 'account', 'afterEventId', 'consumer'],
      fixedQuery: () => fc.constantFrom('1', '2', '5', '0', '-1', 'x', '120001', '').map((ms) => `timeoutMs=${ms}`)
    },
    { method: 'POST', url: '/_mock/webhooks/faults', body: { kind: 'duplicate', delayMs: 10, eventType: 'CUSTOMER_PURSE_EXPIRED', times: 1 } },
    { method: 'GET', url: '/_mock/webhooks/faults', query: [] },
    { method: 'DELETE', url: '/_mock/webhooks/faults', query: ['account'] },
    { method: 'GET', url: '/_mock/clock', query: ['account'] },
    { method: 'POST', url: '/_mock/clock/advance', body: { ms: 1000 } },
    { method: 'POST', url: '/_mock/clock/reset', body: {} },
    { method: 'GET', url: '/_mock/purses', query: ['customerId'] },
    { method: 'GET', url: '/_mock/subscriptions', query: ['account'] },
    { method: 'GET', url: '/_mock/webhooks/deliveries/:id', id: deliveryId, query: [] },
    { method: 'GET', url: '/_mock/dashboard', query: [] },
    { method: 'GET', url: '/_mock/dashboard/', query: [] },
    { method: 'GET', url: '/_mock/dashboard/:file', id: 'main.js', query: [] },
    { method: 'GET', url: '/health', query: [] },
    { method: 'GET', url: '/openapi.json', query: [] },
    { method: 'GET', url: '/docs', query: [] },
    { method: 'GET', url: '/docs/:id', id: 'index.html', query: [] },
    // Last: a body that passes resets the data the others work on.
    { method: 'POST', url: '/_mock/reset', body: { account: app.config.accounts[0]!.account } }
  ]
  return { app, api, mock }
}

/** Values that break schemas: wrong types, huge and odd strings, deep nesting. */
const hostile = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.string({ unit: 'grapheme', maxLength: 50 }),
  fc.string({ minLength: 1000, maxLength: 5000 }),
  fc.constantFrom('', ' ', '\u0000', '\uD800', 'a\uDC00b', '🦄'.repeat(300), '__proto__', 'constructor', '0x', 'NaN', '-1', '1e999'),
  fc.constantFrom(-1, 0, 1e308, -0, 2 ** 53 + 1, 0.5),
  fc.integer({ min: 1, max: 40 }).map((depth) => JSON.parse('['.repeat(depth) + ']'.repeat(depth)) as unknown)
)

function mutatePayload (payload: Record<string, unknown> | undefined) {
  const keys = Object.keys(payload ?? {})
  return fc.oneof(
    hostile.map((value) => ({ kind: 'payload replaced', payload: value })),
    fc.dictionary(fc.string({ maxLength: 10 }), hostile, { maxKeys: 5 }).map((value) => ({ kind: 'random fields', payload: value as unknown })),
    ...(keys.length === 0
      ? []
      : [
          fc.tuple(fc.constantFrom(...keys), hostile).map(([key, value]) => ({ kind: `${key} replaced`, payload: { ...payload, [key]: value } as unknown })),
          fc.constantFrom(...keys).map((key) => {
            const { [key]: _dropped, ...rest } = payload ?? {}
            return { kind: `${key} dropped`, payload: rest as unknown }
          })
        ])
  )
}

/** Bodies that are not what the signer meant: raw text mutations of a valid body. */
const rawMutation = fc.oneof(
  fc.string({ maxLength: 200 }).map((text) => ({ kind: 'random text', raw: () => text })),
  fc.nat({ max: 100 }).map((cut) => ({ kind: 'truncated', raw: (valid: string) => valid.slice(0, Math.floor(valid.length * cut / 101)) })),
  fc.constant({ kind: 'duplicate keys', raw: (valid: string) => valid.replace('{', '{"account":"0xnot-this-one","timestamp":"x",') }),
  fc.constant({ kind: 'deep nesting', raw: () => '['.repeat(100_000) + ']'.repeat(100_000) }),
  fc.constant({ kind: 'deep object', raw: (valid: string) => valid.replace('}', `,"x":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`) }),
  fc.constant({ kind: 'lone surrogate escape', raw: (valid: string) => valid.replace('}', ',"x":"\\ud800"}') })
)

const signMutation = fc.oneof(
  fc.constant({ kind: 'sign missing', headers: { sign: undefined } as Record<string, string | undefined> }),
  fc.uint8Array({ minLength: 64, maxLength: 64 }).map((bytes) => Buffer.from(bytes).toString('hex')).map((hex) => ({ kind: 'random sign', headers: { sign: hex } as Record<string, string | undefined> })),
  fc.string({ maxLength: 200 }).map((text) => ({ kind: 'garbage sign', headers: { sign: text.replace(/[\r\n]/g, '') } as Record<string, string | undefined> })),
  fc.string({ maxLength: 40 }).map((text) => ({ kind: 'garbage key', headers: { key: text.replace(/[\r\n]/g, '') || 'x' } as Record<string, string | undefined> }))
)

const contentType = fc.constantFrom(undefined, 'application/json', 'application/json; charset=utf-8', 'application/JSON', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=latin1', '')

/** Query values a client should not send: broken percent-encoding, odd numbers, very long text. */
const queryValue = fc.oneof(
  fc.string({ maxLength: 30 }).map(encodeURIComponent),
  fc.integer().map(String),
  fc.constantFrom('%', '%zz', '%00', '%ED%A0%80', '%C0%AF', '%E2%80%AE', '-1', '0', '1e309', 'NaN', '', '[]', 'null', 'a'.repeat(5000), '0x' + 'f'.repeat(40), '3FA85F64-5717-4562-B3FC-2C963F66AFA6')
)

function mutateQuery (known: readonly string[]) {
  const key = fc.oneof(fc.constantFrom(...known, '__proto__', 'constructor', 'limit[]', ''), fc.string({ maxLength: 10 }).map(encodeURIComponent))
  return fc.array(fc.tuple(key, queryValue), { maxLength: 6 }).map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('&'))
}

/** Path parameters a client should not send. */
const hostileId = fc.oneof(
  fc.string({ maxLength: 40 }).map(encodeURIComponent),
  fc.uuid(),
  fc.constantFrom('%', '%zz', '..', '%2e%2e', '.', 'a'.repeat(101), 'a'.repeat(5000), '%00', '%ED%A0%80', '0', '-1', '1e9', '99999999999999999999', '3FA85F64-5717-4562-B3FC-2C963F66AFA6', 'static//index.html', 'static/./index.html', 'static/../package.json')
)

t.test('bad input on every /api/v1 endpoint: always a 4xx in Calypso\'s format, and nothing changes', async (t) => {
  const { app, api } = await fixture(t)
  const creds = app.config.accounts[0]!
  for (const endpoint of api) {
    await fc.assert(fc.asyncProperty(
      fc.oneof(
        mutatePayload(endpoint.payload).map((m) => ({ ...m, raw: undefined as ((valid: string) => string) | undefined, headers: {} as Record<string, string | undefined> })),
        rawMutation.map((m) => ({ kind: m.kind, payload: endpoint.payload as unknown, raw: m.raw, headers: {} as Record<string, string | undefined> })),
        signMutation.map((m) => ({ kind: m.kind, payload: endpoint.payload as unknown, raw: undefined as ((valid: string) => string) | undefined, headers: m.headers }))
      ),
      async (mutation) => {
        const before = fingerprint(app)
        const valid = JSON.stringify({ timestamp: app.clock(), account: creds.account, ...(mutation.payload === undefined ? {} : { payload: mutation.payload }) })
        const raw = mutation.raw === undefined ? valid : mutation.raw(valid)
        const res = await signedPost(app, endpoint.path, undefined, { rawBody: raw, method: endpoint.method, headers: mutation.headers })
        const label = `${endpoint.method ?? 'POST'} ${endpoint.path} (${mutation.kind})`
        return check(t, res, label) && unchanged(t, app, before, res, label)
      }
    ), { numRuns: 30, seed: SEED })
  }
})

t.test('bad input on every other route, /_mock included: always a 4xx in Calypso\'s format, and nothing changes', async (t) => {
  const { app, mock } = await fixture(t)
  for (const endpoint of mock) {
    const bodies = endpoint.body === undefined
      ? fc.constant({ kind: 'no body', text: undefined as string | undefined, type: undefined as string | undefined })
      : fc.oneof(
        mutatePayload(endpoint.body).map((m) => ({ kind: m.kind, text: JSON.stringify(m.payload) as string | undefined, type: 'application/json' as string | undefined })),
        rawMutation.map((m) => ({ kind: m.kind, text: m.raw(JSON.stringify(endpoint.body)) as string | undefined, type: 'application/json' as string | undefined })),
        fc.tuple(contentType, fc.boolean()).map(([type, empty]) => ({ kind: `content type ${String(type)}${empty ? ', no body' : ''}`, text: empty ? undefined : JSON.stringify(endpoint.body), type }))
      )
    const ids = endpoint.id === undefined ? fc.constant(undefined) : fc.oneof(fc.constant(endpoint.id), hostileId)
    const queries = fc.tuple(mutateQuery(endpoint.query ?? []), endpoint.fixedQuery?.() ?? fc.constant(''))
      .map(([mutated, fixed]) => [mutated, fixed].filter((part) => part !== '').join('&'))
    await fc.assert(fc.asyncProperty(bodies, ids, queries, async (body, id, query) => {
      const before = fingerprint(app)
      const path = id === undefined ? endpoint.url : endpoint.url.replace(':id', id)
      const url = query === '' ? path : `${path}?${query}`
      const res = await app.inject({
        method: endpoint.method,
        url,
        ...(body.text === undefined ? {} : { payload: body.text }),
        headers: body.type === undefined ? {} : { 'content-type': body.type }
      })
      if (endpoint.url === '/_mock/faults') app.faults.clear()
      const label = `${endpoint.method} ${url.slice(0, 120)} (${body.kind})`
      return check(t, res, label) && unchanged(t, app, before, res, label)
    }), { numRuns: 20, seed: SEED })
  }
})

t.test('the fuzzed routes are all the app\'s routes', async (t) => {
  const { app, api, mock } = await fixture(t)
  const routes = app.printRoutes({ commonPrefix: false })
  const registered = [...routes.matchAll(/\(([A-Z, ]+)\)/g)].flatMap(([, methods]) => methods!.split(', ').filter((m) => m !== 'HEAD'))
  const fuzzed = [...api.map((e) => `${e.method ?? 'POST'} /api/v1/${e.path}`), ...mock.map((e) => `${e.method} ${e.url}`)]
  // Its answer is a stream that stays open; test/live/events.test.ts covers its refusals and its clients.
  const streams = ['GET /_mock/events']
  t.equal(fuzzed.length + streams.length, registered.length, `every route (method and path) is fuzzed; add the missing ones to the lists above:\n${routes}`)
  for (const endpoint of mock) {
    t.ok(app.hasRoute({ method: endpoint.method, url: endpoint.url.replace('/docs/:id', '/docs/*') }), `${endpoint.method} ${endpoint.url} is a route`)
  }
})

const CRLF = '\r\n'

/** Mostly `usual`, sometimes `odd`: a request with one or two things wrong reaches deeper than noise. */
function mostly<T> (usual: fc.Arbitrary<T>, odd: fc.Arbitrary<T>): fc.Arbitrary<T> {
  return fc.oneof({ weight: 9, arbitrary: usual }, { weight: 1, arbitrary: odd })
}

/** How the body is framed: right, missing, wrong, or both ways at once (request smuggling's shape). */
function frame (framing: string, body: string): { headers: string[], payload: string } {
  const length = Buffer.byteLength(body)
  switch (framing) {
    case 'length': return { headers: [`Content-Length: ${length}`], payload: body }
    case 'chunked': return { headers: ['Transfer-Encoding: chunked'], payload: `${length.toString(16)}${CRLF}${body}${CRLF}0${CRLF}${CRLF}` }
    case 'short': return { headers: [`Content-Length: ${Math.floor(length / 2)}`], payload: body }
    case 'long': return { headers: [`Content-Length: ${length + 10}`], payload: body }
    case 'both': return { headers: [`Content-Length: ${length}`, 'Transfer-Encoding: chunked'], payload: body }
    case 'bad chunk': return { headers: ['Transfer-Encoding: chunked'], payload: `zz${CRLF}${body}${CRLF}` }
    default: return { headers: [], payload: '' }
  }
}

/**
 * One HTTP/1.1 request as a broken client or an attacker might write it. No Upgrade header: Node
 * answers such a request as any other (as it must for Java's h2c upgrade) but takes the bytes
 * pipelined after it as the new protocol's, so the closing request below would never be read.
 */
const rawRequest = fc.record({
  method: mostly(fc.constantFrom('GET', 'POST', 'DELETE', 'HEAD', 'OPTIONS', 'PUT', 'PATCH'), fc.oneof(fc.constantFrom('TRACE', 'CONNECT', 'BREW', 'get', 'G ET', ''), fc.string({ maxLength: 8 }))),
  target: mostly(
    fc.constantFrom('/health', '/_mock/accounts', '/_mock/reset', '/_mock/deposits', '/_mock/faults', '/_mock/webhooks/wait?timeoutMs=1', '/api/v1/customer-purse/customer/create',
      '/api/v1/subscription/webhook', '/openapi.json', '/docs/static/index.html', '/_mock/customers?limit=2'),
    fc.oneof(
      fc.constantFrom('/%', '/%zz', '*', 'http://x/health', '//health', '/_mock/../health', '/health?%', '/docs/static//index.html', `/_mock/transactions/${'a'.repeat(120)}/advance`,
        `/${'a'.repeat(9000)}`, '/\u00e9', '/ health', '', '/_mock/customers?limit=%zz&limit=2'),
      fc.string({ maxLength: 30 }).map((text) => `/${text}`)
    )
  ),
  version: mostly(fc.constant('HTTP/1.1'), fc.constantFrom('HTTP/1.0', 'HTTP/2.0', 'HTTP/1.1x', 'HTTP/9.9', 'http/1.1', '')),
  host: mostly<string[]>(fc.constant(['Host: localhost']), fc.constantFrom([], ['Host: x', 'Host: y'], ['Host:'])),
  contentType: mostly<string[]>(fc.constant(['Content-Type: application/json']), fc.constantFrom([], ['Content-Type: text/plain'], ['Content-Type: application/json', 'Content-Type: text/plain'])),
  framing: mostly(fc.constantFrom('length', 'chunked', 'none'), fc.constantFrom('short', 'long', 'both', 'bad chunk')),
  headers: fc.array(mostly(
    fc.constantFrom('Connection: keep-alive', 'Accept: */*', 'Authorization: Bearer x', 'Key: c529e14832b34b74972365cf7bf02430', 'Sign: 00', 'Expect: 100-continue', 'X-Trace: 1'),
    fc.oneof(
      fc.constantFrom('Expect: tea', 'no colon here', ' Leading: space', 'Space : before-colon', 'X-Nul: a\u0000b', 'X-Folded: a\r\n b', `X-Big: ${'b'.repeat(17_000)}`, 'X-Latin: \u00ff', 'Content-Length: -1', 'Content-Length: ten'),
      fc.tuple(fc.string({ maxLength: 10 }), fc.string({ maxLength: 20 })).map(([name, value]) => `${name}: ${value}`)
    )
  ), { maxLength: 3 }),
  eol: mostly(fc.constant(CRLF), fc.constantFrom('\n', '\r')),
  body: fc.oneof(fc.constantFrom('{}', '[]', 'null', '{"account":"x"', '{"account":"0xca11ab1e00000000000000000000000000000001"}', '"\\ud800"'), fc.json({ maxDepth: 2 }))
}).map((r) => {
  const { headers, payload } = frame(r.framing, r.body)
  const lines = [`${r.method} ${r.target} ${r.version}`, ...r.host, ...r.contentType, ...headers, ...r.headers]
  return { method: r.method, bytes: Buffer.from(`${lines.join(r.eol)}${r.eol}${r.eol}${payload}`, 'latin1') }
})

/** Statuses the raw requests were answered with, for the figures. */
const rawStatuses = new Map<string, number>()

t.test('malformed HTTP over a real socket: every answer a 4xx in Calypso\'s format (or a success), nothing changes', async (t) => {
  // A short request timeout: a request left incomplete is answered 408 soon.
  const { app } = await fixture(t, { requestTimeoutMs: 50 })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const port = (app.server.address() as AddressInfo).port
  await fc.assert(fc.asyncProperty(rawRequest, async (request) => {
    const before = fingerprint(app)
    const { answers } = await rawConversation(port, request.bytes, request.method === 'HEAD')
    const statuses = answers.map((a) => a.status).join(' ') || 'none'
    rawStatuses.set(statuses, (rawStatuses.get(statuses) ?? 0) + 1)
    const label = `raw ${JSON.stringify(request.bytes.toString('latin1').slice(0, 160))}`
    for (const [index, answer] of answers.entries()) {
      // The answer to HEAD has no body, by HTTP's rule: only its status can be checked.
      const body = index === 0 && request.method === 'HEAD' && answer.status < 500 ? '{"errorCode":"001","message":"","traceId":""}' : answer.body
      if (!check(t, { statusCode: answer.status, body }, label)) return false
    }
    if (answers.length > 0 && answers.every((a) => a.status >= 400)) return unchanged(t, app, before, { statusCode: 400, body: '' }, label)
    return true
  }), { numRuns: 250, seed: SEED })
})

t.test('the figures', async (t) => {
  t.comment(`requests ${tally.requests}, refused ${tally.refused}, accepted ${tally.accepted}; 5xx ${tally.serverErrors}, outside the error body ${tally.outsideErrorBody}, database changed after a refusal ${tally.changedAfterRefusal}`)
  t.comment(`raw connections by statuses answered (the last request of each asks to close): ${JSON.stringify(Object.fromEntries([...rawStatuses].sort((a, b) => b[1] - a[1])))}`)
  t.equal(tally.serverErrors, 0)
  t.equal(tally.outsideErrorBody, 0)
  t.equal(tally.changedAfterRefusal, 0)
})
