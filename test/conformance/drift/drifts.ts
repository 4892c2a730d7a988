import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Readable } from 'node:stream'
import fp from 'fastify-plugin'
import { sign } from '../../../src/auth/signature.js'
import type { BuildOptions } from '../../../src/app.js'
import type { Config } from '../../../src/config.js'
import type { WebhookAttempt } from '../../../src/plugins/webhooks.js'
import { CALYPSO_RETRY_SECONDS } from '../../../src/webhooks/retry-schedule.js'
import { sendWebhook } from '../../../src/webhooks/send-webhook.js'

/**
 * Deliberate drifts of the mock from Calypso's published behaviour, each injected in process
 * through a test-only seam (never a rebuild): an `extend` plugin whose hooks bend requests and
 * answers, a config override, or BuildOptions.webhookTestHooks. The drift harness runs the whole
 * conformance suite against each and asserts that it fails, and where its first FAIL line points.
 */
export interface Drift {
  area: 'api' | 'auth' | 'webhooks'
  name: string
  config?: Partial<Config>
  options?: BuildOptions
  /** The first FAIL line must match this: what drifted, and where. */
  firstFail: RegExp
}

type Json = Record<string, unknown>
type Rewrite = (body: Json | unknown[], request: FastifyRequest, reply: FastifyReply) => unknown

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)

/** Rewrites the JSON answers of the paths that match `path`. */
function rewrite (path: RegExp, fn: Rewrite): BuildOptions {
  return {
    extend: fp(async (app: FastifyInstance) => {
      app.addHook('onSend', async (request, reply, payload) => {
        if (!path.test(request.url) || typeof payload !== 'string' || payload === '') return payload
        let body: unknown
        try {
          body = JSON.parse(payload)
        } catch {
          return payload
        }
        if (!isObject(body) && !Array.isArray(body)) return payload
        return JSON.stringify(fn(body, request, reply) ?? body)
      })
    })
  }
}

/** Rewrites the error answers with this errorCode. */
function rewriteError (code: string, fn: (body: Json, reply: FastifyReply) => void, when: (message: string) => boolean = () => true): BuildOptions {
  return rewrite(/^\/api\/v1\//, (body, _request, reply) => {
    if (isObject(body) && body.errorCode === code && when(String(body.message))) fn(body, reply)
    return body
  })
}

/** Renames a key in every object of a JSON value. */
function renameKey (value: unknown, from: string, to: string): unknown {
  if (Array.isArray(value)) return value.map((v) => renameKey(v, from, to))
  if (!isObject(value)) return value
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k === from ? to : k, renameKey(v, from, to)]))
}

/** Replaces one value of a key in every object of a JSON value. */
function replaceValue (value: unknown, key: string, from: unknown, to: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => replaceValue(v, key, from, to))
  if (!isObject(value)) return value
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === key && v === from ? to : replaceValue(v, key, from, to)]))
}

const CUSTOMER = /\/customer-purse\/customer\//
const TRANSACTION = /\/customer-purse\/transaction\//
const FIND = /\/customer-purse\/transaction\/find$/
const PURSES = /\/customer-purse\/purse\/get-all$/

/** A hook on the API's requests, before authentication runs. */
function beforeAuth (fn: (request: FastifyRequest, app: FastifyInstance) => void, hook: 'onRequest' | 'preValidation' = 'preValidation'): BuildOptions {
  return {
    extend: fp(async (app: FastifyInstance) => {
      app.addHook(hook, async (request) => { if (request.url.startsWith('/api/v1/')) fn(request, app) })
    })
  }
}

/** The payload keys the docs list, over every endpoint. */
const KNOWN_PAYLOAD_KEYS = new Set(['email', 'description', 'externalId', 'id', 'customerId', 'currency', 'transactionId', 'currencyFilter', 'transactionStateFilter', 'pageNumber', 'pageSize', 'sort', 'properties', 'requestId', 'notificationEventTypes', 'notificationServiceTypes', 'url'])

/** Bends each webhook attempt: the body sent, the keys, or what counts as delivered. */
type Delivery = Parameters<WebhookAttempt>[0]

function webhooks (bend: (delivery: Delivery, send: (delivery: Delivery) => ReturnType<WebhookAttempt>) => ReturnType<WebhookAttempt>): BuildOptions {
  return { webhookTestHooks: { wrapAttempt: (attempt) => (delivery, timeoutMs, stop) => bend(delivery, (d) => attempt(d, timeoutMs, stop)) } }
}

/** Sends a changed body, signed as the mock signs (or with the key `signWith` picks). */
function bodyDrift (change: (event: Json) => void, signWith: (d: { publicKey: string, secretKey: string }) => string = (d) => d.secretKey): BuildOptions {
  return webhooks((delivery) => {
    const event = JSON.parse(delivery.body) as Json
    change(event)
    return sendWebhook({ url: delivery.url, publicKey: delivery.publicKey, secretKey: signWith(delivery) }, JSON.stringify(event), 2000)
  })
}

function data (event: Json): Json {
  return event.data as Json
}

export const DRIFTS: Drift[] = [
  // API: shapes, enums, paging, routing
  { area: 'api', name: 'Customer.blocked renamed isBlocked', options: rewrite(CUSTOMER, (b) => renameKey(b, 'blocked', 'isBlocked')), firstFail: /customer\/create 200: \$\.blocked: missing|\$\.blocked: expected false, got nothing/ },
  { area: 'api', name: 'block answers blocked: false', options: rewrite(/\/customer\/block$/, (b) => ({ ...b, blocked: false })), firstFail: /block: .*\$\.blocked: expected true, got false/ },
  { area: 'api', name: 'complianceState DECLINE renamed DECLINED', options: rewrite(TRANSACTION, (b) => replaceValue(b, 'complianceState', 'DECLINE', 'DECLINED')), firstFail: /complianceState: expected "DECLINE", got "DECLINED"/ },
  { area: 'api', name: 'transactionState CONFIRMED written COMPLETED (the legacy spelling)', options: rewrite(TRANSACTION, (b) => replaceValue(b, 'transactionState', 'CONFIRMED', 'COMPLETED')), firstFail: /\$\.(result\[0\]\.)?transactionState: "COMPLETED" is not one of/ },
  { area: 'api', name: 'find: total is totalElements, not the number of pages', options: rewrite(FIND, (b) => isObject(b) ? { ...b, total: b.totalElements } : b), firstFail: /\$\.total \(pages\): expected 3, got 5/ },
  { area: 'api', name: 'find: totalElements counts the page, not every match', options: rewrite(FIND, (b) => isObject(b) && Array.isArray(b.result) ? { ...b, totalElements: b.result.length } : b), firstFail: /\$\.totalElements: expected 5, got 2/ },
  { area: 'api', name: 'find: page echoed one-based', options: rewrite(FIND, (b) => isObject(b) ? { ...b, page: Number(b.page) + 1 } : b), firstFail: /\$\.page: expected 0, got 1/ },
  { area: 'api', name: 'find: a last partial page padded with the previous page\'s last item', options: rewrite(FIND, (b) => isObject(b) && Array.isArray(b.result) && b.result.length > 0 && b.result.length < Number(b.size) ? { ...b, result: [...b.result, b.result[0]] } : b), firstFail: /page 2: \$\.result length: expected 1, got 2|\$\.result\[\*\]\.id: expected \["([0-9a-f-]+)"\], got \["\1","\1"\]/ },
  { area: 'api', name: 'Transaction.createdDate without its Z', options: rewrite(TRANSACTION, (b) => replaceDates(b)), firstFail: /\$\.(result\[0\]\.)?createdDate: .* does not match/ },
  { area: 'api', name: 'Transaction.amount as a string', options: rewrite(TRANSACTION, (b) => mapKey(b, 'amount', (v) => String(v))), firstFail: /\$\.amount: expected 1, got "1"|\$\.(result\[0\]\.)?amount: expected number, got string/ },
  { area: 'api', name: 'address/get hands out a new purse id each time', options: rewrite(/\/address\/get$/, (b) => isObject(b) ? { ...b, id: crypto.randomUUID() } : b), firstFail: /address\/get ETH again: the same purse and address: \$\.id: expected/ },
  { area: 'api', name: 'purse status PENDING_PAYMENT written ACTIVE', options: rewrite(PURSES, (b) => replaceValue(b, 'status', 'PENDING_PAYMENT', 'ACTIVE')), firstFail: /\$\[0\]\.status: "ACTIVE" is not one of|\.status: expected "PENDING_PAYMENT", got "ACTIVE"/ },
  { area: 'api', name: 'a declined purse still reads PENDING_PAYMENT', options: rewrite(PURSES, (b) => replaceValue(b, 'status', 'DECLINED', 'PENDING_PAYMENT')), firstFail: /the declined purse's status: expected "DECLINED", got "PENDING_PAYMENT"/ },
  { area: 'api', name: '405 answered as 404 with 004', options: rewrite(/^\/api\/v1\//, (b, _q, reply) => { if (reply.statusCode === 405) { reply.code(404); reply.removeHeader('allow'); return { ...b, errorCode: '004' } } return b }), firstFail: /status: expected 405, got 404/ },
  { area: 'api', name: '405 without its Allow header', options: rewrite(/^\/api\/v1\//, (b, _q, reply) => { reply.removeHeader('allow'); return b }), firstFail: /the Allow header: expected one naming POST, got none/ },
  { area: 'api', name: 'unknown payload fields silently ignored', options: beforeAuth((request) => { const payload = (request.body as Json | undefined)?.payload; if (isObject(payload)) for (const key of Object.keys(payload)) if (!KNOWN_PAYLOAD_KEYS.has(key)) delete payload[key] }), firstFail: /a payload field the docs do not list .*status: expected 400, got 200/ },
  { area: 'api', name: 'an unknown customer answered 001, not 004', options: rewriteError('004', (b) => { b.errorCode = '001'; b.message = 'Bad request' }), firstFail: /errorCode: expected 004, got 001/ },
  { area: 'api', name: 'create does not echo externalId', options: rewrite(/\/customer\/create$/, (b) => isObject(b) ? { ...b, externalId: null } : b), firstFail: /\$\.externalId: expected "calypso-mock-conformance-[0-9a-f]+", got null/ },
  { area: 'api', name: 'the subscription list under items, not subscriptions', options: rewrite(/\/subscription\/webhook$/, (b) => renameKey(b, 'subscriptions', 'items')), firstFail: /\$\.subscriptions: expected an array|\$\.subscriptions: missing/ },
  { area: 'api', name: 'errorCode as a number', options: rewrite(/^\/api\/v1\//, (b) => isObject(b) && typeof b.errorCode === 'string' ? { ...b, errorCode: Number(b.errorCode) } : b), firstFail: /errorCode: expected 002, got 2/ },
  { area: 'api', name: 'error body without its message', options: rewrite(/^\/api\/v1\//, (b) => { if (isObject(b) && 'errorCode' in b) delete b.message; return b }), firstFail: /message: expected Calypso's documented "Invalid api key" for 002, got undefined|\$\.message: missing/ },

  // Authentication
  { area: 'auth', name: 'timestamp window widened to ±5 min', config: { timestampWindowMs: 5 * 60_000 }, firstFail: /182 s behind .*status: expected 400, got 200/ },
  { area: 'auth', name: 'timestamp window narrowed to ±2 min', config: { timestampWindowMs: 2 * 60_000 }, firstFail: /178 s behind .*status: expected 200, got 400 \(errorCode 011/ },
  { area: 'auth', name: 'one account\'s key acts for the account the envelope names', options: keyActsForAnyAccount(), firstFail: /refused with 002: .*(status: expected 400, got 200|errorCode: expected 002, got 004)/ },
  { area: 'auth', name: 'an uppercase Sign accepted', options: beforeAuth((request) => { const sign = request.headers.sign; if (typeof sign === 'string') request.headers.sign = sign.toLowerCase() }, 'onRequest'), firstFail: /uppercase Sign .*errorCode: expected 003, got 004/ },
  { area: 'auth', name: 'an unknown api key answered 003', options: rewriteError('002', (b) => { b.errorCode = '003'; b.message = 'Wrong sign' }, (m) => m.includes('no account has the api key')), firstFail: /unknown api key .*errorCode: expected 002, got 003/ },
  { area: 'auth', name: 'the 003 message reads "Invalid signature"', options: rewriteError('003', (b) => { b.message = 'Invalid signature' }), firstFail: /message: expected Calypso's documented "Wrong sign" for 003, got "Invalid signature"/ },
  { area: 'auth', name: 'a timestamp out of the window answered 001', options: rewriteError('011', (b) => { b.errorCode = '001'; b.message = 'Bad request' }), firstFail: /errorCode: expected 011, got 001/ },
  { area: 'auth', name: 'the 004 message reads "Customer not found"', options: rewriteError('004', (b) => { b.message = 'Customer not found' }), firstFail: /message: expected Calypso's documented "Requested object is not found" for 004, got "Customer not found"/ },
  { area: 'auth', name: 'an invalid api key answered HTTP 401', options: rewriteError('002', (_b, reply) => { reply.code(401) }), firstFail: /status: expected 400, got 401/ },
  { area: 'auth', name: 'a missing Sign answered 002', options: rewriteError('003', (b) => { b.errorCode = '002'; b.message = 'Invalid api key' }, (m) => m.includes('Sign header is missing')), firstFail: /without Sign .*errorCode: expected 003, got 002/ },

  // Webhooks
  { area: 'webhooks', name: 'data.customerBlocked renamed isCustomerBlocked', options: bodyDrift((e) => { const d = data(e); d.isCustomerBlocked = d.customerBlocked; delete d.customerBlocked }), firstFail: /webhook CUSTOMER_PURSE_MEM_POOL_FOUND \(event \d+\): \$\.data\.customerBlocked/ },
  { area: 'webhooks', name: 'the blocked flag always false', options: bodyDrift((e) => { data(e).customerBlocked = false; data(e).blocked = false }), firstFail: /blocked flag: .*\$\.data\.customerBlocked: expected true, got false/ },
  { area: 'webhooks', name: 'createdDate as ISO with Z', options: bodyDrift((e) => { e.createdDate = new Date().toISOString() }), firstFail: /\$\.createdDate: .*(does not match|expected a LocalDateTime)/ },
  { area: 'webhooks', name: 'signed with the public key, not the secret', options: bodyDrift(() => {}, (d) => d.publicKey), firstFail: /Sign: expected the HMAC-SHA512 of the body with the subscription's secretKey, got another value/ },
  { area: 'webhooks', name: 'a 204 counted as delivered', options: webhooks(async (d, send) => { const r = await send(d); return typeof r !== 'symbol' && r.httpStatus === 204 ? { ...r, ok: true, error: null } : r }), firstFail: /the answers it got, in order: expected \[204,500,200\], got \[204\]/ },
  { area: 'webhooks', name: 'a 500 counted as delivered', options: webhooks(async (d, send) => { const r = await send(d); return typeof r !== 'symbol' && r.httpStatus === 500 ? { ...r, ok: true, error: null } : r }), firstFail: /the answers it got, in order: expected \[204,500,200\], got \[204,500\]|retries measured: expected 5, got 0/ },
  { area: 'webhooks', name: 'retry ladder 60/60/120 ...', options: { webhookTestHooks: { retrySeconds: CALYPSO_RETRY_SECONDS.map((s) => s * 2) } }, firstFail: /retry 1: expected 30 ms after the failed attempt .*, the delivery log plans (5[5-9]|6[0-5]) ms/ },
  { area: 'webhooks', name: 'retry ladder flat at 30 s', options: { webhookTestHooks: { retrySeconds: CALYPSO_RETRY_SECONDS.map(() => 30) } }, firstFail: /retry 3: expected 60 ms .*plans (2[5-9]|3[0-5]) ms/ },
  { area: 'webhooks', name: 'MEM_POOL_FOUND spelled MEMPOOL_FOUND (an older doc)', options: bodyDrift((e) => { if (e.eventType === 'CUSTOMER_PURSE_MEM_POOL_FOUND') e.eventType = 'CUSTOMER_PURSE_MEMPOOL_FOUND' }), firstFail: /the event types of one deposit: expected \["CUSTOMER_PURSE_MEM_POOL_FOUND"/ },
  { area: 'webhooks', name: 'data.transactionId as a number, as the docs\' table types it', options: bodyDrift((e) => { data(e).transactionId = e.id }), firstFail: /none has \$\.data\.transactionId "[0-9a-f-]{36}" \(the transaction\); \d+ arrived, with \$\.data\.transactionId \d+/ },
  { area: 'webhooks', name: 'data.currency left out', options: bodyDrift((e) => { delete data(e).currency }), firstFail: /\$\.data\.currency: expected "ETH", got nothing/ },
  { area: 'webhooks', name: 'the Key header carries the secretKey', options: webhooks((d) => sendWebhook({ url: d.url, publicKey: d.secretKey, secretKey: d.secretKey }, d.body, 2000)), firstFail: /Key: expected the subscription's publicKey, got its secretKey/ },
  { area: 'webhooks', name: 'the event id as a string', options: bodyDrift((e) => { e.id = String(e.id) }), firstFail: /\$\.id: expected integer, got string|webhook ids/ },
  { area: 'webhooks', name: 'service CUSTOMER_PURSES', options: bodyDrift((e) => { e.service = 'CUSTOMER_PURSES' }), firstFail: /\$\.service: "CUSTOMER_PURSES" is not one of CUSTOMER_PURSE/ },
  { area: 'webhooks', name: 'level ERROR', options: bodyDrift((e) => { e.level = 'ERROR' }), firstFail: /\$\.level: "ERROR" is not one of/ },
  { area: 'webhooks', name: 'the Sign in uppercase hex', options: webhooks(async (d) => { const { createHmac } = await import('node:crypto'); return await sendRaw(d, createHmac('sha512', d.secretKey).update(d.body).digest('hex').toUpperCase()) }), firstFail: /Sign: expected the HMAC-SHA512 .* got another value/ }
]

/** Posts a delivery's body with a Sign of the drift's own. */
async function sendRaw (d: Parameters<WebhookAttempt>[0], sign: string): ReturnType<WebhookAttempt> {
  const started = Date.now()
  const res = await fetch(d.url, { method: 'POST', headers: { 'content-type': 'application/json', key: d.publicKey, sign }, body: d.body })
  const text = await res.text()
  return { ok: res.status === 200, httpStatus: res.status, error: res.status === 200 ? null : `HTTP ${res.status}`, response: text, durationMs: Date.now() - started }
}

/**
 * The key is not compared with the envelope's account: a correctly signed body naming another
 * account is handled as the key's own (rewritten, and signed again, before authentication reads it).
 */
function keyActsForAnyAccount (): BuildOptions {
  return {
    extend: fp(async (app: FastifyInstance) => {
      app.addHook('preParsing', async (request, _reply, payload) => {
        if (!request.url.startsWith('/api/v1/')) return payload
        const chunks: Buffer[] = []
        for await (const chunk of payload) chunks.push(chunk as Buffer)
        let text = Buffer.concat(chunks).toString('utf8')
        const key = request.headers.key
        const owner = typeof key === 'string' ? app.store.accounts.findByApiKey(key) : undefined
        try {
          const body = JSON.parse(text) as Json
          if (owner !== undefined && body.account !== owner.account && request.headers.sign === sign(text, owner.apiSecret)) {
            body.account = owner.account
            text = JSON.stringify(body)
            request.headers.sign = sign(text, owner.apiSecret)
          }
        } catch {
          // Not JSON: left as sent.
        }
        request.headers['content-length'] = String(Buffer.byteLength(text))
        return Readable.from([Buffer.from(text)])
      })
    })
  }
}

function mapKey (value: unknown, key: string, fn: (v: unknown) => unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => mapKey(v, key, fn))
  if (!isObject(value)) return value
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === key ? fn(v) : mapKey(v, key, fn)]))
}

function replaceDates (value: unknown): unknown {
  return mapKey(value, 'createdDate', (v) => typeof v === 'string' ? v.replace(/Z$/, '') : v)
}
