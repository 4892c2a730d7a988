import type { FastifyInstance } from 'fastify'
import { buildApp } from '../app.js'
import { sign } from '../auth/signature.js'
import { DEFAULT_ACCOUNT, DOCS_API_KEY, DOCS_API_SECRET, testConfig } from '../config.js'
import { startWebhookInbox, type WebhookEvent, type WebhookInbox } from './webhook-inbox.js'

export interface CalypsoMockOptions {
  /** 0 (a free port) by default. */
  port?: number
  host?: string
  /** `:memory:` by default. */
  databasePath?: string
  account?: string
  apiKey?: string
  apiSecret?: string
  /** Where webhooks go; a built-in receiver when absent. */
  webhookUrl?: string
  webhookPublicKey?: string
  webhookSecretKey?: string
  /** Multiplies Calypso's retry schedule; 0.001 by default, so a retry comes after 30 ms. */
  webhookRetryScale?: number
  webhookTimeoutMs?: number
  seed?: string
  /** Log to stdout (JSON lines); off by default. */
  logger?: boolean
}

export interface DepositRequest {
  customerId?: string
  address?: string
  currency: string
  amount: number
  addressFrom?: string
  transactionHash?: string
  outcome?: 'CONFIRMED' | 'DECLINED'
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

/** An error answered by the mock, with Calypso's `errorCode`. */
export class CalypsoError extends Error {
  constructor (readonly status: number, readonly errorCode: string, message: string, readonly traceId: string | undefined) {
    super(`${errorCode}: ${message}`)
    this.name = 'CalypsoError'
  }
}

export interface CalypsoMock {
  /** Base URL, e.g. http://127.0.0.1:41234; the API is under /api/v1. */
  url: string
  account: string
  apiKey: string
  apiSecret: string
  /** The secret that signs webhook deliveries to the configured URL. */
  webhookSecret: string
  /** A correctly signed call to /api/v1/<path>; resolves with the JSON answer, rejects with a CalypsoError. */
  request: <T = unknown>(path: string, payload?: unknown) => Promise<T>
  /** Fakes an incoming deposit (POST /_mock/deposits). */
  deposit: (request: DepositRequest) => Promise<MockTransaction>
  /** The first delivered event matching `predicate`, already received ones included. */
  waitForWebhook: (predicate: (event: WebhookEvent) => boolean, options?: { timeout?: number }) => Promise<WebhookEvent>
  /** Every event the built-in receiver accepted (empty when webhookUrl was given). */
  webhooks: () => WebhookEvent[]
  /** The delivery log (GET /_mock/webhooks/deliveries). */
  deliveries: (query?: Record<string, string | number>) => Promise<unknown[]>
  /** Empties the mock (POST /_mock/reset) and what the built-in receiver holds. */
  reset: () => Promise<void>
  close: () => Promise<void>
}

async function readJson (res: Response): Promise<unknown> {
  const text = await res.text()
  return text === '' ? undefined : JSON.parse(text)
}

async function answer<T> (res: Response): Promise<T> {
  const body = await readJson(res) as { errorCode?: string, message?: string, traceId?: string } | undefined
  if (res.status >= 400) throw new CalypsoError(res.status, body?.errorCode ?? String(res.status), body?.message ?? res.statusText, body?.traceId)
  return body as T
}

/** Polls the delivery log, for when webhooks go to a URL of the caller's rather than the built-in receiver. */
async function waitInLog (url: string, predicate: (event: WebhookEvent) => boolean, timeoutMs: number): Promise<WebhookEvent> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const { deliveries } = await answer<{ deliveries: Array<{ status: string, body: string }> }>(await fetch(`${url}/_mock/webhooks/deliveries?status=delivered&limit=1000`))
    const found = deliveries.map((d) => JSON.parse(d.body) as WebhookEvent).reverse().find(predicate)
    if (found !== undefined) return found
    if (Date.now() > deadline) throw new Error(`no matching webhook was delivered within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/**
 * Starts calypso-mock in this process on a free port, on an in-memory database, with a built-in
 * webhook receiver unless `webhookUrl` is given. Close it when done.
 */
export async function startCalypsoMock (options: CalypsoMockOptions = {}): Promise<CalypsoMock> {
  const credentials = {
    account: (options.account ?? DEFAULT_ACCOUNT).toLowerCase(),
    apiKey: options.apiKey ?? DOCS_API_KEY,
    apiSecret: options.apiSecret ?? DOCS_API_SECRET
  }
  let app: FastifyInstance | undefined
  const inbox: WebhookInbox | undefined = options.webhookUrl === undefined
    ? await startWebhookInbox(() => app?.webhooks.configured?.secretKey ?? '')
    : undefined
  const base = testConfig()
  const config = Object.freeze({
    ...base,
    port: options.port ?? 0,
    host: options.host ?? '127.0.0.1',
    databasePath: options.databasePath ?? ':memory:',
    accounts: [credentials],
    seed: options.seed,
    webhook: {
      ...base.webhook,
      url: options.webhookUrl ?? inbox?.url,
      publicKey: options.webhookPublicKey,
      secretKey: options.webhookSecretKey,
      retryScale: options.webhookRetryScale ?? 0.001,
      timeoutMs: options.webhookTimeoutMs ?? base.webhook.timeoutMs
    }
  })
  try {
    app = await buildApp(config, { logger: options.logger === true })
  } catch (err) {
    await inbox?.close()
    throw err
  }
  const url = await app.listen({ port: config.port, host: config.host })
  const running = app

  return {
    url,
    ...credentials,
    webhookSecret: running.webhooks.configured?.secretKey ?? '',
    async request<T> (path: string, payload?: unknown): Promise<T> {
      const body = JSON.stringify({ account: credentials.account, timestamp: Date.now(), ...(payload === undefined ? {} : { payload }) })
      return answer<T>(await fetch(`${url}/api/v1/${path.replace(/^\//, '')}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', Key: credentials.apiKey, Sign: sign(body, credentials.apiSecret) },
        body
      }))
    },
    async deposit (request: DepositRequest): Promise<MockTransaction> {
      return answer<MockTransaction>(await fetch(`${url}/_mock/deposits`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(request)
      }))
    },
    waitForWebhook (predicate, { timeout = 5000 } = {}) {
      return inbox === undefined ? waitInLog(url, predicate, timeout) : inbox.wait(predicate, timeout)
    },
    webhooks: () => inbox?.events() ?? [],
    async deliveries (query = {}) {
      const search = new URLSearchParams(Object.fromEntries(Object.entries(query).map(([k, v]) => [k, String(v)])))
      return (await answer<{ deliveries: unknown[] }>(await fetch(`${url}/_mock/webhooks/deliveries?${search}`))).deliveries
    },
    async reset () {
      await answer(await fetch(`${url}/_mock/reset`, { method: 'POST' }))
      inbox?.clear()
    },
    async close () {
      await running.close()
      await inbox?.close()
    }
  }
}
