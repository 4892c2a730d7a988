import { readFileSync } from 'node:fs'
import { z } from 'zod'
import { DOCS_API_KEY, DOCS_API_SECRET, DEFAULT_ACCOUNT } from './demo-credentials.js'

export const ACCOUNT_PATTERN = /^0x[0-9a-fA-F]{40}$/

export interface AccountCredentials {
  account: string
  apiKey: string
  apiSecret: string
}

export interface WebhookConfig {
  /** A URL every configured account is subscribed to, for all CUSTOMER_PURSE events. */
  url: string | undefined
  publicKey: string | undefined
  secretKey: string | undefined
  timeoutMs: number
  /** Multiplies Calypso's retry schedule; tests use 0.01 to retry in hundreds of milliseconds. */
  retryScale: number
}

export interface Config {
  port: number
  host: string
  databasePath: string
  accounts: readonly AccountCredentials[]
  timestampWindowMs: number
  /** How long a request may take to arrive in full (headers and body) before it is answered 408. */
  requestTimeoutMs: number
  logLevel: string
  /** Readable lines or JSON lines; unset, readable on a terminal and JSON elsewhere. */
  logFormat: 'pretty' | 'json' | undefined
  webhook: WebhookConfig
  /** When set, every /_mock call needs `Authorization: Bearer <token>`. */
  adminToken: string | undefined
  /** When set, generated ids, addresses and keys repeat from one run to the next. */
  seed: string | undefined
  /** A JSON or YAML file of accounts, customers, purses and deposits loaded into an empty database at start. */
  seedFile: string | undefined
  /** Host names a request may name besides loopback, IP addresses and HOST; `.example.com` also allows its subdomains. */
  allowedHosts: readonly string[]
  /** SQLite's `synchronous`: NORMAL survives a killed process, FULL also an OS crash or a power cut. */
  sqliteSynchronous: 'NORMAL' | 'FULL'
}

export class ConfigError extends Error {
  constructor (readonly variable: string, detail: string) {
    super(`${variable}: ${detail}`)
    this.name = 'ConfigError'
  }
}

const accountId = z.string().regex(ACCOUNT_PATTERN, 'must be 0x followed by 40 hex digits')
const apiKey = z.string().min(8, 'must be at least 8 characters').max(256)

const accountCredentials = z.object({
  account: accountId,
  apiKey,
  apiSecret: apiKey
}).strict()

const integer = (min: number, max: number) => z.string().trim()
  .regex(/^\d+$/, `must be a whole number from ${min} to ${max}`)
  .transform(Number)
  .pipe(z.number().int().min(min, `must be a whole number from ${min} to ${max}`).max(max, `must be a whole number from ${min} to ${max}`))

/** A host name as a Host header carries it, lowercased; a leading dot allows the name and its subdomains. */
const HOST_NAME = /^\.?[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*$/

const hostList = z.string().transform((text) => text.split(',').map((name) => name.trim().toLowerCase()).filter((name) => name !== ''))
  .pipe(z.array(z.string().regex(HOST_NAME, 'must be host names separated by commas, without scheme, port or path (e.g. calypso-mock,.example.test)')))

const decimal = (min: number, max: number) => z.string().trim()
  .regex(/^\d+(\.\d+)?$/, 'must be a non-negative number')
  .transform(Number)
  .pipe(z.number().min(min).max(max))

interface Variable<S extends z.ZodType> {
  flag: string
  /** A secret: a refused value is described, never repeated, in the error. */
  secret?: boolean
  /** The library's option for it (startCalypsoMock), when it has one. */
  option?: string
  schema: S
  /** The default, as a person would write it; '' means none. The schema parses it like any value. */
  default: string
  description: string
}

/** Keeps each entry's schema type while checking the entry's shape. */
const variable = <S extends z.ZodType>(entry: Variable<S>): Variable<S> => entry

/** Every variable, once: its flag, library option, schema, default and description. Nothing else reads process.env. */
const VARIABLES = {
  PORT: variable({ flag: '--port', option: 'port', schema: integer(0, 65535), default: '8080', description: 'Port to listen on; 0 picks a free one (printed at start)' }),
  HOST: variable({ flag: '--host', option: 'host', schema: z.string().trim().min(1), default: '127.0.0.1', description: 'Interface to listen on; 0.0.0.0 in a container' }),
  DATABASE_PATH: variable({ flag: '--db', option: 'databasePath', schema: z.string().trim().min(1), default: './data/calypso-mock.db', description: 'SQLite file (its folder is created), or :memory:' }),
  CALYPSO_ACCOUNT: variable({ flag: '--account', option: 'account', schema: accountId, default: DEFAULT_ACCOUNT, description: 'The default merchant account id (0x + 40 hex)' }),
  CALYPSO_API_KEY: variable({ flag: '--api-key', option: 'apiKey', schema: apiKey, default: DOCS_API_KEY, description: 'Its public api key (default: the pair published in Calypso\'s docs)' }),
  CALYPSO_API_SECRET: variable({ flag: '--api-secret', option: 'apiSecret', secret: true, schema: apiKey, default: DOCS_API_SECRET, description: 'Its api secret' }),
  ACCOUNTS_FILE: variable({ flag: '--accounts-file', schema: z.string().trim().min(1).optional(), default: '', description: 'JSON array of further {account, apiKey, apiSecret}' }),
  TIMESTAMP_WINDOW_MS: variable({ flag: '--timestamp-window-ms', option: 'timestampWindowMs', schema: integer(1, 7 * 24 * 3600 * 1000), default: '180000', description: 'Allowed distance of a request timestamp from the clock' }),
  REQUEST_TIMEOUT_MS: variable({ flag: '--request-timeout-ms', option: 'requestTimeoutMs', schema: integer(1, 3600 * 1000), default: '30000', description: 'How long a request may take to arrive in full; slower ones get 408 and are closed' }),
  LOG_LEVEL: variable({ flag: '--log-level', schema: z.string().trim().toLowerCase().pipe(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])), default: 'info', description: 'fatal, error, warn, info, debug, trace or silent (any case)' }),
  LOG_FORMAT: variable({ flag: '--log-format', schema: z.string().trim().toLowerCase().pipe(z.enum(['pretty', 'json'])).optional(), default: '', description: 'pretty or json; unset, pretty on a terminal and json otherwise' }),
  WEBHOOK_URL: variable({ flag: '--webhook-url', option: 'webhookUrl', schema: z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' }).optional(), default: '', description: 'Subscribe every account to all CUSTOMER_PURSE events at this URL' }),
  WEBHOOK_PUBLIC_KEY: variable({ flag: '--webhook-public-key', option: 'webhookPublicKey', schema: apiKey.optional(), default: '', description: 'Key header of those deliveries (generated and printed when absent)' }),
  WEBHOOK_SECRET_KEY: variable({ flag: '--webhook-secret-key', option: 'webhookSecretKey', secret: true, schema: apiKey.optional(), default: '', description: 'Secret that signs them (generated and printed when absent)' }),
  WEBHOOK_TIMEOUT_MS: variable({ flag: '--webhook-timeout-ms', option: 'webhookTimeoutMs', schema: integer(1, 600_000), default: '10000', description: 'How long a delivery attempt may take' }),
  WEBHOOK_RETRY_SCALE: variable({ flag: '--webhook-retry-scale', option: 'webhookRetryScale', schema: decimal(0, 1000), default: '1', description: 'Multiplies Calypso\'s retry schedule (30 s ... 34 h); 0.01 in tests' }),
  MOCK_ADMIN_TOKEN: variable({ flag: '--admin-token', secret: true, schema: z.string().min(8, 'must be at least 8 characters').max(256).optional(), default: '', description: 'Require Authorization: Bearer <token> on /_mock/*' }),
  MOCK_SEED: variable({ flag: '--seed', option: 'seed', schema: z.string().min(1).max(256).optional(), default: '', description: 'Make generated ids, addresses and keys deterministic' }),
  SEED_FILE: variable({ flag: '--seed-file', schema: z.string().trim().min(1).optional(), default: '', description: 'JSON or YAML of accounts, customers, purses and deposits to load into an empty database' }),
  ALLOWED_HOSTS: variable({ flag: '--allowed-hosts', schema: hostList.optional(), default: '', description: 'Host names, comma-separated, that requests may be addressed to besides loopback, IP addresses and HOST (e.g. a compose service name); .example.test allows its subdomains' }),
  SQLITE_SYNCHRONOUS: variable({ flag: '--sqlite-synchronous', schema: z.string().trim().toUpperCase().pipe(z.enum(['NORMAL', 'FULL'])), default: 'NORMAL', description: 'NORMAL: a commit survives a killed process; FULL: also an OS crash or power cut, at an fsync per commit' })
}

type VariableName = keyof typeof VARIABLES

/** Every variable with its command-line flag, its default as shown to people, and what it does. */
export const CONFIG_VARIABLES: ReadonlyArray<{ name: VariableName, flag: string, default: string, description: string }> =
  (Object.entries(VARIABLES) as Array<[VariableName, Variable<z.ZodType>]>).map(([name, v]) => ({ name, flag: v.flag, default: v.default, description: v.description }))

/** The library's options and the variable each one sets: startCalypsoMock checks them as the server checks its variables. */
export const OPTION_VARIABLES: Readonly<Record<string, VariableName>> = Object.fromEntries(
  (Object.entries(VARIABLES) as Array<[VariableName, Variable<z.ZodType>]>).flatMap(([name, v]) => v.option === undefined ? [] : [[v.option, name]]))

function read<N extends VariableName> (env: NodeJS.ProcessEnv, name: N): z.output<(typeof VARIABLES)[N]['schema']> {
  const given = env[name] === '' ? undefined : env[name]
  const raw = given ?? (VARIABLES[name].default === '' ? undefined : VARIABLES[name].default)
  const result = VARIABLES[name].schema.safeParse(raw)
  if (!result.success) {
    const issue = result.error.issues[0]
    const got = VARIABLES[name].secret === true && raw !== undefined ? `${raw.length} character${raw.length === 1 ? '' : 's'}, not shown` : JSON.stringify(raw)
    throw new ConfigError(name, `${issue?.message ?? 'invalid value'} (got ${got})`)
  }
  return result.data as z.output<(typeof VARIABLES)[N]['schema']>
}

function readAccountsFile (path: string): AccountCredentials[] {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    throw new ConfigError('ACCOUNTS_FILE', `cannot read ${path}: ${(err as Error).message}`)
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (err) {
    throw new ConfigError('ACCOUNTS_FILE', `${path} is not valid JSON: ${(err as Error).message}`)
  }
  const result = z.array(accountCredentials).safeParse(json)
  if (!result.success) {
    const issue = result.error.issues[0]
    const where = issue?.path.length ? `[${issue.path.join('].')}` : 'the top level'
    throw new ConfigError('ACCOUNTS_FILE', `${path}: ${where}: ${issue?.message ?? 'invalid'} (expected an array of {account, apiKey, apiSecret})`)
  }
  return result.data
}

function checkUnique (accounts: AccountCredentials[]): void {
  const accountsSeen = new Set<string>()
  const keysSeen = new Set<string>()
  for (const { account, apiKey } of accounts) {
    const id = account.toLowerCase()
    if (accountsSeen.has(id)) throw new ConfigError('ACCOUNTS_FILE', `account ${account} is configured twice`)
    if (keysSeen.has(apiKey)) throw new ConfigError('ACCOUNTS_FILE', `api key ${apiKey} is used by two accounts`)
    accountsSeen.add(id)
    keysSeen.add(apiKey)
  }
}

/** Reads and validates the environment once; throws ConfigError naming the variable at fault. */
export function loadConfig (env: NodeJS.ProcessEnv): Config {
  const defaultAccount: AccountCredentials = {
    account: read(env, 'CALYPSO_ACCOUNT'),
    apiKey: read(env, 'CALYPSO_API_KEY'),
    apiSecret: read(env, 'CALYPSO_API_SECRET')
  }
  const accountsFile = read(env, 'ACCOUNTS_FILE')
  // Accounts keep the spelling they were configured with: requests must write them so.
  const accounts = [defaultAccount, ...(accountsFile === undefined ? [] : readAccountsFile(accountsFile))]
  checkUnique(accounts)
  const publicKey = read(env, 'WEBHOOK_PUBLIC_KEY')
  const secretKey = read(env, 'WEBHOOK_SECRET_KEY')
  if ((publicKey === undefined) !== (secretKey === undefined)) {
    const missing = publicKey === undefined ? 'WEBHOOK_PUBLIC_KEY' : 'WEBHOOK_SECRET_KEY'
    throw new ConfigError(missing, 'set both WEBHOOK_PUBLIC_KEY and WEBHOOK_SECRET_KEY, or neither to have a pair generated')
  }
  return Object.freeze({
    port: read(env, 'PORT'),
    host: read(env, 'HOST'),
    databasePath: read(env, 'DATABASE_PATH'),
    accounts: Object.freeze(accounts),
    timestampWindowMs: read(env, 'TIMESTAMP_WINDOW_MS'),
    requestTimeoutMs: read(env, 'REQUEST_TIMEOUT_MS'),
    logLevel: read(env, 'LOG_LEVEL'),
    logFormat: read(env, 'LOG_FORMAT'),
    webhook: Object.freeze({
      url: read(env, 'WEBHOOK_URL'),
      publicKey,
      secretKey,
      timeoutMs: read(env, 'WEBHOOK_TIMEOUT_MS'),
      retryScale: read(env, 'WEBHOOK_RETRY_SCALE')
    }),
    adminToken: read(env, 'MOCK_ADMIN_TOKEN'),
    seed: read(env, 'MOCK_SEED'),
    seedFile: read(env, 'SEED_FILE'),
    allowedHosts: Object.freeze(read(env, 'ALLOWED_HOSTS') ?? []),
    sqliteSynchronous: read(env, 'SQLITE_SYNCHRONOUS')
  })
}
