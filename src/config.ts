import { readFileSync } from 'node:fs'
import { z } from 'zod'

/** The key pair published in Calypso's API docs; it makes the docs' examples work against the mock. */
export const DOCS_API_KEY = 'c529e14832b34b74972365cf7bf02430'
export const DOCS_API_SECRET = 'b823a6b9ea72408583cef9ec8d67fa52'
export const DEFAULT_ACCOUNT = '0xca11ab1e00000000000000000000000000000001'

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
  logLevel: string
  webhook: WebhookConfig
  /** When set, every /_mock call needs `Authorization: Bearer <token>`. */
  adminToken: string | undefined
  /** When set, generated ids, addresses and keys repeat from one run to the next. */
  seed: string | undefined
  /** A JSON or YAML file of accounts, customers, purses and deposits loaded into an empty database at start. */
  seedFile: string | undefined
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
  .regex(/^\d+$/, 'must be a whole number')
  .transform(Number)
  .pipe(z.number().int().min(min).max(max))

/** One entry per variable: its schema and default. Nothing else in the code reads process.env. */
const variables = {
  PORT: integer(0, 65535).default(8080),
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  DATABASE_PATH: z.string().trim().min(1).default('./data/calypso-mock.db'),
  CALYPSO_ACCOUNT: accountId.default(DEFAULT_ACCOUNT),
  CALYPSO_API_KEY: apiKey.default(DOCS_API_KEY),
  CALYPSO_API_SECRET: apiKey.default(DOCS_API_SECRET),
  ACCOUNTS_FILE: z.string().trim().min(1).optional(),
  TIMESTAMP_WINDOW_MS: integer(1, 7 * 24 * 3600 * 1000).default(180_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  WEBHOOK_URL: z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' }).optional(),
  WEBHOOK_PUBLIC_KEY: apiKey.optional(),
  WEBHOOK_SECRET_KEY: apiKey.optional(),
  WEBHOOK_TIMEOUT_MS: integer(1, 600_000).default(10_000),
  WEBHOOK_RETRY_SCALE: z.string().trim()
    .regex(/^\d+(\.\d+)?$/, 'must be a non-negative number')
    .transform(Number)
    .pipe(z.number().min(0).max(1000))
    .default(1),
  MOCK_ADMIN_TOKEN: z.string().min(8, 'must be at least 8 characters').max(256).optional(),
  MOCK_SEED: z.string().min(1).max(256).optional(),
  SEED_FILE: z.string().trim().min(1).optional()
} as const

type VariableName = keyof typeof variables

/** Every variable with its command-line flag, its default as shown to people, and what it does. */
export const CONFIG_VARIABLES: ReadonlyArray<{ name: VariableName, flag: string, default: string, description: string }> = [
  { name: 'PORT', flag: '--port', default: '8080', description: 'Port to listen on; 0 picks a free one (printed at start)' },
  { name: 'HOST', flag: '--host', default: '127.0.0.1', description: 'Interface to listen on; 0.0.0.0 in a container' },
  { name: 'DATABASE_PATH', flag: '--db', default: './data/calypso-mock.db', description: 'SQLite file (its folder is created), or :memory:' },
  { name: 'CALYPSO_ACCOUNT', flag: '--account', default: DEFAULT_ACCOUNT, description: 'The default merchant account id (0x + 40 hex)' },
  { name: 'CALYPSO_API_KEY', flag: '--api-key', default: DOCS_API_KEY, description: 'Its public api key (default: the pair published in Calypso\'s docs)' },
  { name: 'CALYPSO_API_SECRET', flag: '--api-secret', default: DOCS_API_SECRET, description: 'Its api secret' },
  { name: 'ACCOUNTS_FILE', flag: '--accounts-file', default: '', description: 'JSON array of further {account, apiKey, apiSecret}' },
  { name: 'TIMESTAMP_WINDOW_MS', flag: '--timestamp-window-ms', default: '180000', description: 'Allowed distance of a request timestamp from the clock' },
  { name: 'LOG_LEVEL', flag: '--log-level', default: 'info', description: 'fatal, error, warn, info, debug, trace or silent' },
  { name: 'WEBHOOK_URL', flag: '--webhook-url', default: '', description: 'Subscribe every account to all CUSTOMER_PURSE events at this URL' },
  { name: 'WEBHOOK_PUBLIC_KEY', flag: '--webhook-public-key', default: '', description: 'Key header of those deliveries (generated and printed when absent)' },
  { name: 'WEBHOOK_SECRET_KEY', flag: '--webhook-secret-key', default: '', description: 'Secret that signs them (generated and printed when absent)' },
  { name: 'WEBHOOK_TIMEOUT_MS', flag: '--webhook-timeout-ms', default: '10000', description: 'How long a delivery attempt may take' },
  { name: 'WEBHOOK_RETRY_SCALE', flag: '--webhook-retry-scale', default: '1', description: 'Multiplies Calypso\'s retry schedule (30 s ... 34 h); 0.01 in tests' },
  { name: 'MOCK_ADMIN_TOKEN', flag: '--admin-token', default: '', description: 'Require Authorization: Bearer <token> on /_mock/*' },
  { name: 'MOCK_SEED', flag: '--seed', default: '', description: 'Make generated ids, addresses and keys deterministic' },
  { name: 'SEED_FILE', flag: '--seed-file', default: '', description: 'JSON or YAML of accounts, customers, purses and deposits to load into an empty database' }
]

function read<N extends VariableName> (env: NodeJS.ProcessEnv, name: N): z.output<(typeof variables)[N]> {
  const raw = env[name] === '' ? undefined : env[name]
  const result = variables[name].safeParse(raw)
  if (!result.success) {
    const issue = result.error.issues[0]
    throw new ConfigError(name, `${issue?.message ?? 'invalid value'} (got ${JSON.stringify(raw)})`)
  }
  return result.data as z.output<(typeof variables)[N]>
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
  const accounts = [defaultAccount, ...(accountsFile === undefined ? [] : readAccountsFile(accountsFile))]
    .map((a) => ({ ...a, account: a.account.toLowerCase() }))
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
    logLevel: read(env, 'LOG_LEVEL'),
    webhook: Object.freeze({
      url: read(env, 'WEBHOOK_URL'),
      publicKey,
      secretKey,
      timeoutMs: read(env, 'WEBHOOK_TIMEOUT_MS'),
      retryScale: read(env, 'WEBHOOK_RETRY_SCALE')
    }),
    adminToken: read(env, 'MOCK_ADMIN_TOKEN'),
    seed: read(env, 'MOCK_SEED'),
    seedFile: read(env, 'SEED_FILE')
  })
}

/** A config for tests and embedding: defaults plus overrides, on an in-memory database. */
export function testConfig (overrides: Partial<Config> = {}): Config {
  return Object.freeze({ ...loadConfig({ DATABASE_PATH: ':memory:' }), ...overrides })
}
