import { createHash } from 'node:crypto'
import fc from 'fast-check'
import t, { type Test } from 'tap'
import { ERROR_CATALOG } from '../../src/errors.js'
import { build, createCustomer, deposit, signedPost } from '../helper.js'

type App = Awaited<ReturnType<typeof build>>

const TABLES = ['accounts', 'customers', 'purses', 'transactions', 'subscriptions', 'events', 'deliveries', 'delivery_attempts']

/** A digest of every row of every table: equal digests mean nothing changed. */
function fingerprint (app: App): string {
  const hash = createHash('sha256')
  for (const table of TABLES) hash.update(JSON.stringify(app.store.db.prepare(`SELECT * FROM ${table} ORDER BY rowid`).all()))
  return hash.digest('hex')
}

interface Endpoint {
  path: string
  method?: 'POST' | 'DELETE'
  payload: Record<string, unknown> | undefined
}

async function fixture (t: Test) {
  const app = await build(t)
  // Deliveries would change the database in the background; this test watches requests only.
  await app.webhooks.dispatcher.close(0)
  const customer = await createCustomer(app, { email: 'fixture@example.com' })
  const tx = await deposit(app, { customerId: customer.id, currency: 'BTC', amount: 1, stopAt: 'MEM_POOL_FOUND' })
  const purse = (await signedPost(app, 'customer-purse/address/get', { customerId: customer.id, currency: 'BTC' })).json()
  const requestId = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d'
  await signedPost(app, 'subscription/webhook/create', { requestId, notificationServiceTypes: ['CUSTOMER_PURSE'], url: 'http://127.0.0.1:1/x' })
  const api: Endpoint[] = [
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
  const mock = [
    { url: '/_mock/deposits', body: { customerId: customer.id, currency: 'BTC', amount: 1 } },
    { url: `/_mock/transactions/${tx.id}/advance`, body: { stopAt: 'PENDING_COMPLIANCE_CHECK' } },
    { url: `/_mock/purses/${purse.id}/expire`, body: {} },
    { url: '/_mock/accounts', body: { apiKey: 'robust-key-1', apiSecret: 'robust-secret-1' } }
  ]
  return { app, api, mock }
}

/** Values that break schemas: wrong types, huge and odd strings, deep nesting. */
const hostile = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.string({ unit: 'grapheme', maxLength: 50 }),
  fc.string({ minLength: 1000, maxLength: 5000 }),
  fc.constantFrom('', ' ', '\u0000', '\uD800', '🦄'.repeat(300), '__proto__', 'constructor', '0x', 'NaN', '-1', '1e999'),
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

/** Bodies that are not what the signer meant: raw text mutations of a valid envelope. */
const rawMutation = fc.oneof(
  fc.string({ maxLength: 200 }).map((text) => ({ kind: 'random text', raw: () => text })),
  fc.nat({ max: 100 }).map((cut) => ({ kind: 'truncated', raw: (valid: string) => valid.slice(0, Math.floor(valid.length * cut / 101)) })),
  fc.constant({ kind: 'duplicate keys', raw: (valid: string) => valid.replace('{', '{"account":"0xnot-this-one","timestamp":"x",') }),
  fc.constant({ kind: 'deep nesting', raw: () => '['.repeat(100_000) + ']'.repeat(100_000) }),
  fc.constant({ kind: 'deep object', raw: (valid: string) => valid.replace('"payload":', `"payload":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)},"x":`) })
)

const signMutation = fc.oneof(
  fc.constant({ kind: 'sign missing', headers: { sign: undefined } as Record<string, string | undefined> }),
  fc.uint8Array({ minLength: 64, maxLength: 64 }).map((bytes) => Buffer.from(bytes).toString('hex')).map((hex) => ({ kind: 'random sign', headers: { sign: hex } as Record<string, string | undefined> })),
  fc.string({ maxLength: 200 }).map((text) => ({ kind: 'garbage sign', headers: { sign: text.replace(/[\r\n]/g, '') } as Record<string, string | undefined> })),
  fc.string({ maxLength: 40 }).map((text) => ({ kind: 'garbage key', headers: { key: text.replace(/[\r\n]/g, '') || 'x' } as Record<string, string | undefined> }))
)

function assertClientError (t: Test, res: { statusCode: number, body: string }, label: string): boolean {
  if (res.statusCode >= 500) {
    t.fail(`${label}: ${res.statusCode} ${res.body.slice(0, 300)}`)
    return false
  }
  if (res.statusCode < 400) return true
  let body: { errorCode?: unknown, message?: unknown, traceId?: unknown }
  try {
    body = JSON.parse(res.body)
  } catch {
    t.fail(`${label}: not JSON: ${res.body.slice(0, 200)}`)
    return false
  }
  const ok = typeof body.errorCode === 'string' && body.errorCode in ERROR_CATALOG && typeof body.message === 'string' && typeof body.traceId === 'string'
  if (!ok) t.fail(`${label}: not Calypso's error body: ${res.body.slice(0, 200)}`)
  return ok
}

t.test('bad input on every /api/v1 endpoint: always a 4xx in Calypso\'s format, and nothing changes', async (t) => {
  const { app, api } = await fixture(t)
  const creds = app.config.accounts[0]!
  let checked = 0
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
        checked++
        const label = `${endpoint.path} (${mutation.kind})`
        if (!assertClientError(t, res, label)) return false
        if (res.statusCode >= 400 && fingerprint(app) !== before) {
          t.fail(`${label}: a rejected request changed the database`)
          return false
        }
        return true
      }
    ), { numRuns: 60, seed: 20261125 })
  }
  t.ok(checked >= api.length * 60, `${checked} requests checked`)
})

t.test('bad input on the /_mock endpoints: always a 4xx in Calypso\'s format, and nothing changes', async (t) => {
  const { app, mock } = await fixture(t)
  let checked = 0
  for (const endpoint of mock) {
    await fc.assert(fc.asyncProperty(mutatePayload(endpoint.body), async (mutation) => {
      const before = fingerprint(app)
      const res = await app.inject({ method: 'POST', url: endpoint.url, payload: JSON.stringify(mutation.payload) ?? 'null', headers: { 'content-type': 'application/json' } })
      checked++
      const label = `${endpoint.url} (${mutation.kind})`
      if (!assertClientError(t, res, label)) return false
      if (res.statusCode >= 400 && fingerprint(app) !== before) {
        t.fail(`${label}: a rejected request changed the database`)
        return false
      }
      return true
    }), { numRuns: 60, seed: 20261125 })
  }
  t.ok(checked >= mock.length * 60, `${checked} requests checked`)
})
