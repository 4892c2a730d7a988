import type { FastifyInstance } from 'fastify'
import { buildApp } from '../app.js'
import { sign } from '../auth/signature.js'
import { ConfigError, loadConfig, OPTION_VARIABLES, type Config } from '../config.js'
import { listDeliveries, waitInDeliveryLog, type DeliveriesQuery, type WebhookDelivery } from './delivery-log.js'
import { answer, postJson } from './mock-http.js'
import { startWebhookInbox, type WebhookInbox } from './webhook-inbox.js'
import type { WebhookEvent, WebhookPredicate } from './webhook-event.js'

/** How the mock starts; every field is optional and none is read from the environment. */
export interface CalypsoMockOptions {
  /** 0 (a free port) by default. */
  port?: number
  /** 127.0.0.1 by default. */
  host?: string
  /** `:memory:` by default; a file path keeps the data across starts. */
  databasePath?: string
  /** The merchant account id (0x + 40 hex); the docs' default account when absent. */
  account?: string
  /** The account's api key; the pair published in Calypso's docs by default. */
  apiKey?: string
  apiSecret?: string
  /** Where webhooks go; a built-in receiver when absent. */
  webhookUrl?: string
  /** The `Key` header of deliveries; give both keys or neither (a pair is generated). */
  webhookPublicKey?: string
  /** The secret that signs deliveries. */
  webhookSecretKey?: string
  /** Multiplies Calypso's retry schedule; 0.001 by default, so the first retry comes after 30 ms. */
  webhookRetryScale?: number
  /** How long one delivery attempt may take; 10 000 ms by default. */
  webhookTimeoutMs?: number
  /** Allowed distance of a request timestamp from the clock; 180 000 ms by default. */
  timestampWindowMs?: number
  /** Makes generated ids, addresses and keys repeat from one run to the next. */
  seed?: string
  /** Log to stdout (JSON lines); off by default. */
  logger?: boolean
}

/** The body of POST /_mock/deposits: give `customerId` or `address`. */
export interface DepositRequest {
  customerId?: string
  address?: string
  currency: string
  amount: number
  addressFrom?: string
  transactionHash?: string
  /** How the compliance check ends; CONFIRMED by default. */
  outcome?: 'CONFIRMED' | 'DECLINED'
  /** Pause the transaction in this state. */
  stopAt?: 'MEM_POOL_FOUND' | 'PENDING_COMPLIANCE_CHECK' | 'CONFIRMED'
}

/** A transaction as /_mock/deposits answers it. */
export interface MockTransaction {
  id: string
  amount: number
  addressFrom: string
  currency: string
  transactionHash?: string
  transactionState: 'MEM_POOL_FOUND' | 'PENDING_COMPLIANCE_CHECK' | 'DECLINED' | 'CONFIRMED'
  complianceState: 'UNCHECKED' | 'IN_PROGRESS' | 'DECLINE' | 'CHECKED'
  translationToAccountCompleted: boolean
  createdDate: string
  account: string
  customerId: string
  purseId: string
  outcome: 'CONFIRMED' | 'DECLINED'
}

export interface WaitForWebhookOptions {
  /** 5000 ms by default. */
  timeout?: number
}

/** A running mock. */
export interface CalypsoMock {
  /** Base URL, e.g. http://127.0.0.1:41234; the API is under /api/v1. */
  url: string
  account: string
  apiKey: string
  apiSecret: string
  /** The secret that signs webhook deliveries. */
  webhookSecret: string
  /** A correctly signed call to /api/v1/<path>; resolves with the JSON answer, rejects with a CalypsoError. */
  request: <T = unknown>(path: string, payload?: unknown) => Promise<T>
  /** Fakes an incoming deposit (POST /_mock/deposits); rejects with a CalypsoError. */
  deposit: (request: DepositRequest) => Promise<MockTransaction>
  /** The first delivered event matching `predicate`, already received ones included. */
  waitForWebhook: (predicate: WebhookPredicate, options?: WaitForWebhookOptions) => Promise<WebhookEvent>
  /** Every verified event the built-in receiver kept (empty when webhookUrl was given). */
  webhooks: () => WebhookEvent[]
  /** The delivery log (GET /_mock/webhooks/deliveries), newest first. */
  deliveries: (query?: DeliveriesQuery) => Promise<WebhookDelivery[]>
  /** Empties the mock (POST /_mock/reset) and what the built-in receiver holds. */
  reset: () => Promise<void>
  /** Stops the mock and the built-in receiver. */
  close: () => Promise<void>
}

const DEFAULT_WAIT_MS = 5000

const DEFAULTS: CalypsoMockOptions = { port: 0, host: '127.0.0.1', databasePath: ':memory:', webhookRetryScale: 0.001 }

function mockConfig (options: CalypsoMockOptions, webhookUrl: string | undefined): Config {
  const given: CalypsoMockOptions = { ...DEFAULTS, ...options, webhookUrl }
  const env: Record<string, string> = {}
  for (const [option, variable] of Object.entries(OPTION_VARIABLES)) {
    const value = given[option as keyof CalypsoMockOptions]
    if (value !== undefined) env[variable] = String(value)
  }
  try {
    return loadConfig(env)
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err
    const option = Object.entries(OPTION_VARIABLES).find(([, variable]) => variable === err.variable)?.[0] ?? err.variable
    throw new TypeError(`startCalypsoMock: invalid option ${option}: ${err.message.replace(`${err.variable}: `, '')}`)
  }
}

async function closeBoth (app: FastifyInstance, inbox: WebhookInbox | undefined): Promise<void> {
  try {
    await app.close()
  } finally {
    await inbox?.close()
  }
}

async function listen (app: FastifyInstance, config: Config, inbox: WebhookInbox | undefined): Promise<string> {
  try {
    return await app.listen({ port: config.port, host: config.host })
  } catch (err) {
    await closeBoth(app, inbox)
    throw err
  }
}

/**
 * Starts calypso-mock in this process on a free port, on an in-memory database, with a built-in
 * webhook receiver unless `webhookUrl` is given. Close it when done.
 */
export async function startCalypsoMock (options: CalypsoMockOptions = {}): Promise<CalypsoMock> {
  let app: FastifyInstance | undefined
  // The receiver's URL goes into the config, and the secret comes out of the built app: hence a getter.
  const inbox = options.webhookUrl === undefined
    ? await startWebhookInbox(() => app?.webhooks.configured?.secretKey ?? '')
    : undefined
  let config: Config
  try {
    config = mockConfig(options, options.webhookUrl ?? inbox?.url)
    app = await buildApp(config, { logger: options.logger === true ? { level: 'info' } : false })
  } catch (err) {
    await inbox?.close()
    throw err
  }
  const url = await listen(app, config, inbox)
  return mockHandle(app, config, url, inbox)
}

function mockHandle (app: FastifyInstance, config: Config, url: string, inbox: WebhookInbox | undefined): CalypsoMock {
  const credentials = config.accounts[0]!
  let closed: Promise<void> | undefined
  return {
    url,
    account: credentials.account,
    apiKey: credentials.apiKey,
    apiSecret: credentials.apiSecret,
    webhookSecret: app.webhooks.configured?.secretKey ?? '',
    async request<T> (path: string, payload?: unknown): Promise<T> {
      const body = JSON.stringify({ account: credentials.account, timestamp: Date.now(), ...(payload === undefined ? {} : { payload }) })
      return answer<T>(await fetch(`${url}/api/v1/${path.replace(/^\//, '')}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', Key: credentials.apiKey, Sign: sign(body, credentials.apiSecret) },
        body
      }))
    },
    deposit: (request) => postJson<MockTransaction>(`${url}/_mock/deposits`, request),
    waitForWebhook (predicate, { timeout = DEFAULT_WAIT_MS } = {}) {
      return inbox === undefined ? waitInDeliveryLog(url, predicate, timeout) : inbox.wait(predicate, timeout)
    },
    webhooks: () => inbox?.events() ?? [],
    deliveries: (query) => listDeliveries(url, query),
    async reset () {
      await postJson(`${url}/_mock/reset`, {})
      inbox?.clear()
    },
    close () {
      closed ??= closeBoth(app, inbox)
      return closed
    }
  }
}
