import { existsSync, realpathSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, isAbsolute, relative, resolve } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../app.js'
import { ConfigError, loadConfig, OPTION_VARIABLES, type Config } from '../config.js'
import { configuredRequestId } from '../domain/subscriptions.js'
import { isInMemory } from '../store/database.js'
import { accountHandle, type CalypsoMock } from './account-handle.js'
import type { AccountCredentials, WebhookChannel } from './contract-types.js'
import { createDeliveryLogFeed } from './delivery-log.js'
import { mockClient, type MockClient } from './mock-http.js'
import { describeReceived, type WebhookEvent } from './webhook-event.js'
import { startWebhookInbox, type WebhookInbox } from './webhook-inbox.js'
import { createWebhookWaits, type WebhookWaits } from './webhook-waits.js'

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
  /** How long a request may take to arrive in full; 30 000 ms by default. */
  requestTimeoutMs?: number
  /** Makes generated ids, addresses and keys repeat from one run to the next. */
  seed?: string
  /** Log to stdout (JSON lines); off by default. */
  logger?: boolean
  /**
   * One server for the whole process: the first call starts it, every call (the first included)
   * gets an account of its own on it, and the server stops when the last of them is closed.
   */
  shared?: boolean
}

const DEFAULTS: CalypsoMockOptions = { port: 0, host: '127.0.0.1', databasePath: ':memory:', webhookRetryScale: 0.001 }

/** Every option startCalypsoMock takes: those that set a variable, and its own. */
const KNOWN_OPTIONS = new Set([...Object.keys(OPTION_VARIABLES), 'logger', 'shared'])

/** A message of the config, with each variable it names written as the option that sets it. */
function inOptionNames (message: string): string {
  return Object.entries(OPTION_VARIABLES).reduce((text, [option, variable]) => text.replaceAll(variable, option), message)
}

function isInside (path: string, folder: string): boolean {
  const rel = relative(folder, path)
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel)
}

/** How often an open mock looks whether it alone keeps the process alive. */
const ALONE_CHECK_MS = 5000
/** What may be open in a process that has nothing left to do but serve the mock. */
const IDLE_RESOURCES = new Set(['TCPServerWrap', 'TCPSocketWrap', 'PipeWrap', 'TTYWrap'])

/**
 * A mock that is never closed keeps its process alive: a test run then hangs once its tests are
 * done. An unref'd timer (it never keeps the process alive itself) sees when nothing but sockets is
 * left for two checks in a row, and says so once.
 */
function hintWhenLeftOpen (url: string): () => void {
  let idle = 0
  const timer = setInterval(() => {
    idle = process.getActiveResourcesInfo().every((r) => IDLE_RESOURCES.has(r)) ? idle + 1 : 0
    if (idle < 2) return
    clearInterval(timer)
    process.emitWarning(`the calypso-mock at ${url} is still open and keeps this process alive; call close() on its handle when the tests are done (or start it with \`await using mock = await startCalypsoMock()\`)`, 'CalypsoMockOpenWarning')
  }, ALONE_CHECK_MS).unref()
  return () => clearInterval(timer)
}

/**
 * The server creates DATABASE_PATH's folder (a fresh clone starts on ./data); a test's databasePath
 * is more likely a typo, so the library creates a missing folder only under the OS temp dir.
 */
function checkDatabaseFolder (path: string): void {
  if (isInMemory(path)) return
  const folder = dirname(resolve(path))
  if (existsSync(folder) || isInside(folder, realpathSync(tmpdir())) || isInside(folder, tmpdir())) return
  throw new TypeError(`startCalypsoMock: invalid option databasePath: the folder ${folder} does not exist; create it first (the library creates a missing folder only under the OS temp dir, ${tmpdir()})`)
}

function mockConfig (options: CalypsoMockOptions, webhookUrl: string | undefined): Config {
  const unknown = Object.keys(options).filter((key) => !KNOWN_OPTIONS.has(key))
  if (unknown.length > 0) {
    throw new TypeError(`startCalypsoMock: unknown option${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}; the options are ${[...KNOWN_OPTIONS].join(', ')}`)
  }
  const given: CalypsoMockOptions = { ...DEFAULTS, ...options, webhookUrl }
  const env: Record<string, string> = {}
  for (const [option, variable] of Object.entries(OPTION_VARIABLES)) {
    const value = given[option as keyof CalypsoMockOptions]
    if (value !== undefined) env[variable] = String(value)
  }
  let config: Config
  try {
    config = loadConfig(env)
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err
    const option = Object.entries(OPTION_VARIABLES).find(([, variable]) => variable === err.variable)?.[0] ?? err.variable
    throw new TypeError(`startCalypsoMock: invalid option ${option}: ${inOptionNames(err.message.replace(`${err.variable}: `, ''))}`)
  }
  checkDatabaseFolder(config.databasePath)
  return config
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

const closedBefore = (received: readonly WebhookEvent[]) =>
  new Error(`calypso-mock closed before a matching webhook arrived; received: ${describeReceived(received)}`)

/** An account's waits, fed by the built-in receiver when there is one, else by polling the delivery log. */
function feedFor (mock: MockClient, account: string, inboxRoutes: Map<string, WebhookWaits> | undefined) {
  const waits = createWebhookWaits()
  if (inboxRoutes !== undefined) {
    inboxRoutes.set(configuredRequestId(account), waits)
    return { waits, received: true, stop: () => inboxRoutes.delete(configuredRequestId(account)) }
  }
  const feed = createDeliveryLogFeed(mock, account, waits)
  return { waits, received: false, afterWait: feed.pump, stop: feed.close }
}

/** Starts a server of its own in this process; the handle is its first account's. */
async function startServer (options: CalypsoMockOptions): Promise<CalypsoMock> {
  let app: FastifyInstance | undefined
  // Events reach the waits of their account's handle, known by the WEBHOOK_URL subscription's requestId.
  const routes = new Map<string, WebhookWaits>()
  // The receiver's URL goes into the config, and the secret comes out of the built app: hence a getter.
  const inbox = options.webhookUrl === undefined
    ? await startWebhookInbox(() => app?.webhooks.configured?.secretKey ?? '', (event) => routes.get(event.requestId)?.add(event))
    : undefined
  let config: Config
  try {
    config = mockConfig(options, options.webhookUrl ?? inbox?.url)
    app = await buildApp(config, { logger: options.logger === true ? { level: 'info' } : false })
  } catch (err) {
    await inbox?.close()
    throw err
  }
  const mock = mockClient(await listen(app, config, inbox))
  const started = app
  const stopHint = hintWhenLeftOpen(mock.baseUrl)
  const webhookSecret = app.webhooks.configured?.secretKey ?? ''
  const feeds = new Set<ReturnType<typeof feedFor>>()
  const inboxRoutes = inbox === undefined ? undefined : routes
  const end = (feed: ReturnType<typeof feedFor>) => {
    feed.stop()
    feed.waits.fail(closedBefore)
    feeds.delete(feed)
  }

  function open (credentials: AccountCredentials, first: boolean): CalypsoMock {
    const feed = feedFor(mock, credentials.account, inboxRoutes)
    feeds.add(feed)
    return accountHandle({
      mock,
      credentials,
      webhookSecret,
      waits: feed.waits,
      received: feed.received,
      ...(feed.afterWait === undefined ? {} : { afterWait: feed.afterWait }),
      resetsAll: first,
      onReset: first ? (lastEventId) => { for (const other of feeds) other.waits.clear(lastEventId) } : undefined,
      createAccount: async () => open(await mock.post<AccountCredentials>('accounts', {}), false),
      close: first
        ? async () => {
          for (const other of [...feeds]) end(other)
          stopHint()
          await closeBoth(started, inbox)
        }
        : async () => end(feed)
    })
  }
  return open(config.accounts[0]!, true)
}

let shared: { key: string, server: Promise<CalypsoMock>, users: number } | undefined

/** An account of its own on the process's shared server, started by the first caller. */
async function sharedAccount (options: CalypsoMockOptions): Promise<CalypsoMock> {
  // The same options in another order are the same options.
  const key = JSON.stringify(Object.entries(options).sort(([a], [b]) => a.localeCompare(b)))
  if (shared !== undefined && shared.key !== key) {
    throw new TypeError('startCalypsoMock: the shared mock of this process was started with other options; give every shared caller the same options')
  }
  const entry = shared ??= { key, server: startServer(options), users: 0 }
  entry.users++
  const release = async () => {
    if (--entry.users > 0) return
    if (shared === entry) shared = undefined
    await (await entry.server).close()
  }
  try {
    const account = await (await entry.server).createAccount()
    let closed: Promise<void> | undefined
    const close = () => {
      closed ??= account.close().finally(release)
      return closed
    }
    return { ...account, close, [Symbol.asyncDispose]: close }
  } catch (err) {
    await release().catch(() => {})
    throw err
  }
}

/**
 * Starts calypso-mock in this process on a free port, on an in-memory database, with a built-in
 * webhook receiver unless `webhookUrl` is given. Close it when done (or `await using` it).
 */
export async function startCalypsoMock (options: CalypsoMockOptions = {}): Promise<CalypsoMock> {
  const { shared: isShared, ...rest } = options
  return isShared === true ? sharedAccount(rest) : startServer(rest)
}

/**
 * A new account of its own on a calypso-mock that runs elsewhere (another process, a container):
 * what each test file does when a global set-up started one server for the whole run. Its waits
 * poll GET /_mock/webhooks/wait; closing the handle leaves the server running.
 */
export async function connectCalypsoMock (url: string, options: { adminToken?: string } = {}): Promise<CalypsoMock> {
  const unknown = Object.keys(options).filter((key) => key !== 'adminToken')
  if (unknown.length > 0) throw new TypeError(`connectCalypsoMock: unknown option${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}; the only option is adminToken`)
  const mock = mockClient(url.replace(/\/+$/, ''), options.adminToken)
  const credentials = await mock.post<AccountCredentials>('accounts', {})
  const feed = feedFor(mock, credentials.account, undefined)
  const handle = accountHandle({
    mock,
    credentials,
    webhookSecret: '',
    waits: feed.waits,
    received: false,
    afterWait: feed.afterWait,
    resetsAll: false,
    createAccount: () => connectCalypsoMock(url, options),
    close: async () => {
      feed.stop()
      feed.waits.fail(closedBefore)
    }
  })
  const { subscriptions } = await handle.request('subscription/webhook')
  const configured = subscriptions.find((s: WebhookChannel) => s.requestId === configuredRequestId(credentials.account))
  return { ...handle, webhookSecret: configured?.secretKey ?? '' }
}

export type { CalypsoMock }
