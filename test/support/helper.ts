import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import type { Test } from 'tap'
import type { ErrorCodeValue } from '../../src/errors.js'
import { buildApp, type BuildOptions } from '../../src/app.js'
import { sign } from '../../src/auth/signature.js'
import { type AccountCredentials, type Config } from '../../src/config.js'
import { testConfig } from '../../src/test-config.js'
import type { DeliveryView } from '../../src/store/deliveries-repository.js'
import { scaled } from './time-scale.js'

interface Teardown {
  teardown: (fn: () => unknown) => void
}

/** A controllable clock: tests move time instead of waiting for it. */
export function manualClock (startMs = Date.parse('2026-11-25T12:00:00.000Z')) {
  let now = startMs
  const clock = () => now
  clock.advance = (ms: number) => { now += ms }
  clock.set = (ms: number) => { now = ms }
  return clock
}

/** Builds an app on its own `:memory:` database (unless the config says otherwise) and closes it after the test. */
export async function build (t: Teardown, overrides: Partial<Config> = {}, options: BuildOptions = {}): Promise<FastifyInstance> {
  const app = await buildApp(testConfig(overrides), options)
  t.teardown(() => app.close())
  return app
}

/** As build, listening on a free port of 127.0.0.1: for a browser, a CLI or another process. */
export async function serve (t: Teardown, overrides: Partial<Config> = {}): Promise<{ app: FastifyInstance, url: string }> {
  const app = await build(t, overrides)
  return { app, url: await app.listen({ port: 0, host: '127.0.0.1' }) }
}

/** A scratch folder under the OS temp dir, removed after the test (or when its process exits first). */
export { scratchDir as tempDir } from './scratch.js'

export interface SignedRequestOptions {
  /** Who signs; the app's default account when absent. */
  as?: AccountCredentials
  /** The `account` written in the body; `as.account` when absent. */
  account?: string
  timestamp?: number
  /** Pretty-print with `timestamp` first, as one known Calypso client does. */
  pretty?: boolean
  /** The exact body to send, instead of building the envelope. */
  rawBody?: string
  /** POST unless told otherwise (webhook delete is a DELETE with a body). */
  method?: 'POST' | 'DELETE'
  headers?: Record<string, string | undefined>
}

/** The body a merchant client sends: `{account, timestamp, payload}`. */
export function envelopeBody (account: string, timestamp: number, payload: unknown, pretty = false): string {
  const envelope = payload === undefined ? { timestamp, account } : { timestamp, account, payload }
  return pretty ? JSON.stringify(envelope, null, 2) : JSON.stringify(envelope)
}

/** Sends a request signed exactly as a merchant client signs it: HMAC-SHA512 over the bytes sent. */
export async function signedPost (app: FastifyInstance, path: string, payload: unknown, options: SignedRequestOptions = {}): Promise<LightMyRequestResponse> {
  const creds = options.as ?? app.config.accounts[0]
  if (creds === undefined) throw new Error('no account configured')
  const body = options.rawBody ?? envelopeBody(options.account ?? creds.account, options.timestamp ?? app.clock(), payload, options.pretty)
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    key: creds.apiKey,
    sign: sign(body, creds.apiSecret)
  }
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (value === undefined) delete headers[name.toLowerCase()]
    else headers[name.toLowerCase()] = value
  }
  return app.inject({ method: options.method ?? 'POST', url: path.startsWith('/') ? path : `/api/v1/${path}`, payload: body, headers })
}

/** Creates a customer through the API and returns it. */
export async function createCustomer (app: FastifyInstance, payload: Record<string, unknown> = {}, options: SignedRequestOptions = {}) {
  const res = await signedPost(app, 'customer-purse/customer/create', payload, options)
  if (res.statusCode !== 200) throw new Error(`create failed: ${res.statusCode} ${res.body}`)
  return res.json() as { id: string, email: string | null, description: string | null, externalId: string | null, blocked: boolean }
}

/** A second account, for tests of isolation between accounts. */
export const OTHER_ACCOUNT: AccountCredentials = {
  account: '0x00000000000000000000000000000000000000b2',
  apiKey: 'other-account-api-key',
  apiSecret: 'other-account-api-secret'
}

/** Webhook settings for tests: Calypso's schedule shrunk a thousand times (30 s becomes 30 ms). */
export function webhookConfig (url: string | undefined, overrides: Partial<Config['webhook']> = {}): Config['webhook'] {
  return { ...testConfig().webhook, url, retryScale: 0.001, timeoutMs: 2000, ...overrides }
}

/** Fakes a deposit through the mock-only endpoint and returns the transaction. */
export async function deposit (app: FastifyInstance, body: Record<string, unknown>) {
  const res = await app.inject({ method: 'POST', url: '/_mock/deposits', payload: body })
  if (res.statusCode !== 201) throw new Error(`deposit failed: ${res.statusCode} ${res.body}`)
  return res.json() as { id: string, purseId: string, customerId: string, transactionState: string, complianceState: string, translationToAccountCompleted: boolean, amount: number, currency: string, createdDate: string }
}

/** Calls `probe` every 10 ms until `done` holds for what it returns; rejects after `timeoutMs` (a guard at the run's time scale, not a measurement), showing the last value. */
export async function eventually<T> (probe: () => T | Promise<T>, done: (value: T) => boolean, timeoutMs = scaled(10_000), show: (value: T) => unknown = (value) => value): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (done(value)) return value
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms; last seen: ${JSON.stringify(show(value))}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

/** Polls the delivery log until `predicate` holds (the mock records an attempt just after the receiver answers). */
export async function waitForDeliveries (app: FastifyInstance, predicate: (deliveries: DeliveryView[]) => boolean, query = '', timeoutMs = scaled(10_000)): Promise<DeliveryView[]> {
  const list = async () => ((await app.inject({ method: 'GET', url: `/_mock/webhooks/deliveries${query}` })).json() as { deliveries: DeliveryView[] }).deliveries
  return eventually(list, predicate, timeoutMs, (deliveries) => deliveries.map((d) => [d.eventType, d.status, d.attempts.length]))
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** Calypso's error answer: 400, exactly {errorCode, message, traceId}, the code, and what the message must name. */
export function assertError (t: Test, res: LightMyRequestResponse, code: ErrorCodeValue, ...mentions: Array<RegExp | string>): void {
  t.equal(res.statusCode, 400, 'answers 400')
  const body = res.json() as Record<string, unknown>
  t.same(Object.keys(body).sort(), ['errorCode', 'message', 'traceId'], 'in Calypso\'s error body')
  t.equal(body.errorCode, code, `with errorCode ${code}`)
  t.match(body.traceId, UUID)
  t.equal(body.traceId, res.headers['x-trace-id'], 'the traceId is the request\'s')
  for (const mention of mentions) t.match(body.message, mention, 'the message says what is wrong')
}
