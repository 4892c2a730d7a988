import { parseArgs } from 'node:util'
import type { CliIo as CommandIo } from './io.js'
import { buildApp } from '../app.js'
import type { Target } from '../conformance/client.js'
import type { TargetKind } from '../conformance/detect.js'
import { EXIT_FAILED, EXIT_OK, EXIT_SKIPPED, EXIT_USAGE, exitCodeOf, jsonReport, junitReport, targetLine, textReporter } from '../conformance/reporter.js'
import { NEVER, planOf, runConformance, type Reporter } from '../conformance/runner.js'
import { newRunIdentity } from '../conformance/scenario.js'
import { ConfigError, loadConfig, type Config } from '../config.js'

/** Where a subcommand writes, and the environment it may read (passed in; never process.env itself). */

export { EXIT_FAILED, EXIT_OK, EXIT_SKIPPED, EXIT_USAGE }

/** The retry scale of the mock this command starts: the retry checks wait 30 ms, not 30 s. */
const LOCAL_RETRY_SCALE = 0.001

export const CONFORMANCE_USAGE = `Usage: calypso-mock conformance [--base-url URL --account A --api-key K --api-secret S] [options]

Runs non-destructive scenario checks against anything that speaks Calypso's Customer Purse API and
validates every answer against a contract pinned from Calypso's published docs. Without --base-url
it starts a mock in this process (in memory, on a free port) and checks that. Exit code: 0 when
every check passed, 1 when one failed, 2 for a usage mistake, 3 when none failed but some were
skipped (e.g. the deposit and webhook checks against Calypso).

Options:
  --base-url <url>      The target, e.g. https://api.calypso.finance (a mock in this process when absent)
  --target <kind>       auto (default: ask the target), mock or calypso
  --reporter <name>     text (default), json or junit (json and junit go to stdout, the text to stderr)
  --retry-scale <n>     The target mock's WEBHOOK_RETRY_SCALE, for the retry checks (known for a mock in this process)
  --retry-budget-ms <ms> How long the retry checks may wait (default 20000)
  --account <id>        The merchant account (env CALYPSO_ACCOUNT)
  --api-key <key>       Its public api key (env CALYPSO_API_KEY)
  --api-secret <secret> Its api secret (env CALYPSO_API_SECRET; prefer the variable: flags show in ps)
  --admin-token <token> The mock's MOCK_ADMIN_TOKEN, for its deposit control
  --timeout-ms <ms>     How long one call may take (default 10000)
  --bail                Stop at the first failed check (the cleanup of what the run made still runs)
  --dry-run             Print what the run would send and create, and send nothing
  --help, -h            Show this help
`

interface Options {
  baseUrl?: string
  account?: string
  apiKey?: string
  apiSecret?: string
  adminToken?: string
  timeoutMs?: number
  kind: TargetKind
  reporter: 'text' | 'json' | 'junit'
  retryScale?: number
  retryBudgetMs?: number
  bail: boolean
  dryRun: boolean
  help: boolean
}

class UsageError extends Error {}

function parse (argv: string[], env: Record<string, string | undefined>): Options {
  let values
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        'base-url': { type: 'string' },
        account: { type: 'string' },
        'api-key': { type: 'string' },
        'api-secret': { type: 'string' },
        'admin-token': { type: 'string' },
        'timeout-ms': { type: 'string' },
        target: { type: 'string', default: 'auto' },
        reporter: { type: 'string', default: 'text' },
        'retry-scale': { type: 'string' },
        'retry-budget-ms': { type: 'string' },
        bail: { type: 'boolean', default: false },
        'dry-run': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false }
      },
      strict: true,
      allowPositionals: false
    }))
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err))
  }
  const pick = (flag: string | undefined, variable: string) => {
    const value = flag ?? env[variable]
    return value === undefined || value === '' ? undefined : value
  }
  const baseUrl = values['base-url']
  if (baseUrl !== undefined && !/^https?:\/\/[^/]/.test(baseUrl)) throw new UsageError(`--base-url must be an http(s) URL, got ${JSON.stringify(baseUrl)}`)
  const timeout = values['timeout-ms']
  if (timeout !== undefined && !/^[1-9]\d{0,6}$/.test(timeout)) throw new UsageError('--timeout-ms must be a whole number of milliseconds, 1 to 9999999')
  const budget = values['retry-budget-ms']
  if (budget !== undefined && !/^[1-9]\d{0,7}$/.test(budget)) throw new UsageError('--retry-budget-ms must be a whole number of milliseconds, 1 to 99999999')
  const kind = values.target
  if (kind !== 'auto' && kind !== 'mock' && kind !== 'calypso') throw new UsageError(`--target must be auto, mock or calypso, got ${JSON.stringify(kind)}`)
  const reporter = values.reporter
  if (reporter !== 'text' && reporter !== 'json' && reporter !== 'junit') throw new UsageError(`--reporter must be text, json or junit, got ${JSON.stringify(reporter)}`)
  const scale = values['retry-scale']
  if (scale !== undefined && !(Number(scale) > 0 && Number(scale) <= 1000)) throw new UsageError(`--retry-scale must be a number above 0, as WEBHOOK_RETRY_SCALE, got ${JSON.stringify(scale)}`)
  return {
    baseUrl,
    account: pick(values.account, 'CALYPSO_ACCOUNT'),
    apiKey: pick(values['api-key'], 'CALYPSO_API_KEY'),
    apiSecret: pick(values['api-secret'], 'CALYPSO_API_SECRET'),
    // A flag only: a MOCK_ADMIN_TOKEN left in the environment must not travel to another target.
    adminToken: values['admin-token'],
    timeoutMs: timeout === undefined ? undefined : Number(timeout),
    kind,
    reporter,
    retryScale: scale === undefined ? undefined : Number(scale),
    retryBudgetMs: budget === undefined ? undefined : Number(budget),
    bail: values.bail,
    dryRun: values['dry-run'],
    help: values.help
  }
}

function remoteTarget (options: Options & { baseUrl: string }): Target {
  const missing = (['account', 'apiKey', 'apiSecret'] as const).filter((k) => options[k] === undefined)
  if (missing.length > 0) {
    const flags = { account: '--account (or CALYPSO_ACCOUNT)', apiKey: '--api-key (or CALYPSO_API_KEY)', apiSecret: '--api-secret (or CALYPSO_API_SECRET)' }
    throw new UsageError(`--base-url needs ${missing.map((k) => flags[k]).join(', ')}`)
  }
  return {
    baseUrl: options.baseUrl,
    account: options.account as string,
    apiKey: options.apiKey as string,
    apiSecret: options.apiSecret as string,
    adminToken: options.adminToken,
    timeoutMs: options.timeoutMs
  }
}

/** A mock in this process, in memory, on a free port of 127.0.0.1; the options' account if given. */
async function startLocalMock (options: Options) {
  const env: Record<string, string> = { DATABASE_PATH: ':memory:', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', WEBHOOK_RETRY_SCALE: String(LOCAL_RETRY_SCALE) }
  if (options.account !== undefined) env.CALYPSO_ACCOUNT = options.account
  if (options.apiKey !== undefined) env.CALYPSO_API_KEY = options.apiKey
  if (options.apiSecret !== undefined) env.CALYPSO_API_SECRET = options.apiSecret
  let config: Config
  try {
    config = loadConfig(env)
  } catch (err) {
    if (err instanceof ConfigError) throw new UsageError(`the mock this run starts cannot take ${err.message}`)
    throw err
  }
  const app = await buildApp(config)
  const url = await app.listen({ port: config.port, host: config.host })
  const account = config.accounts[0]
  if (account === undefined) throw new Error('the local mock has no account')
  const target: Target = { baseUrl: url, ...account, timeoutMs: options.timeoutMs }
  return { target, close: () => app.close() }
}

function usageMistake (io: CommandIo, err: unknown): number {
  if (!(err instanceof UsageError)) throw err
  io.stderr.write(`calypso-mock conformance: ${err.message}\nRun calypso-mock conformance --help for the options.\n`)
  return EXIT_USAGE
}

/** `calypso-mock conformance`: the exit code of a run of the suite. */
export async function conformanceCommand (argv: string[], io: CommandIo): Promise<number> {
  let options: Options
  let remote: Target | undefined
  try {
    options = parse(argv, io.env ?? {})
    if (options.help) {
      io.stdout.write(CONFORMANCE_USAGE)
      return EXIT_OK
    }
    remote = options.baseUrl === undefined ? undefined : remoteTarget({ ...options, baseUrl: options.baseUrl })
  } catch (err) {
    return usageMistake(io, err)
  }

  if (options.dryRun) {
    const identity = newRunIdentity()
    io.stdout.write(`calypso-mock conformance --dry-run: run ${identity.runId} would, against ${remote?.baseUrl ?? 'a mock started in this process'}:\n`)
    for (const line of planOf(identity)) io.stdout.write(`  - ${line}\n`)
    io.stdout.write(`${NEVER}\nNothing was sent.\n`)
    return EXIT_OK
  }

  let local: Awaited<ReturnType<typeof startLocalMock>> | undefined
  try {
    if (remote === undefined) local = await startLocalMock(options)
  } catch (err) {
    return usageMistake(io, err)
  }
  try {
    const target = remote ?? local?.target
    if (target === undefined) throw new Error('no target')
    const human = textReporter((text) => (options.reporter === 'text' ? io.stdout : io.stderr).write(text))
    // A machine report keeps stdout to itself; the target line and the summary go to stderr.
    const reporter: Reporter = options.reporter === 'text'
      ? human
      : { probed: (info) => io.stderr.write(targetLine(info, target)), start: () => {}, result: () => {}, finish: (report) => human.finish(report) }
    const report = await runConformance({
      target,
      reporter,
      kind: options.kind,
      retryScale: local === undefined ? options.retryScale : LOCAL_RETRY_SCALE,
      retryBudgetMs: options.retryBudgetMs,
      bail: options.bail
    })
    if (options.reporter === 'json') io.stdout.write(jsonReport(report, target))
    if (options.reporter === 'junit') io.stdout.write(junitReport(report, target))
    return exitCodeOf(report)
  } finally {
    await local?.close()
  }
}
