import { createRequire } from 'node:module'
import type { Writable } from 'node:stream'
import type { FastifyInstance } from 'fastify'
import { buildApp } from './app.js'
import { isLoopbackHost } from './auth/admin.js'
import { parseCliArgs } from './cli/args.js'
import { runSubcommand } from './cli/subcommands.js'
import { ConfigError, loadConfig, type Config } from './config.js'
import { StartupWarning } from './errors.js'
import { createLogDestination } from './log-destination.js'
import { packageVersion } from './package-root.js'
import { MEMORY_RELEASED, releaseMemoryWhenIdle } from './release-memory-when-idle.js'

type PrettyFactory = (options: Record<string, unknown>) => Writable

/**
 * JSON lines, or readable lines (LOG_FORMAT, by default when a person is watching the terminal).
 * Bodies and headers are never logged. pino-pretty runs in this thread as a stream, not as a pino
 * transport: a transport starts a worker from a file path, which the bundled server does not have.
 */
export function loggerOptions (config: Config, tty: boolean, destination?: Writable) {
  if ((config.logFormat ?? (tty ? 'pretty' : 'json')) === 'json') return { level: config.logLevel, stream: destination ?? createLogDestination() }
  const pretty = createRequire(import.meta.url)('pino-pretty') as PrettyFactory
  return {
    level: config.logLevel,
    stream: pretty({ translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname', sync: true, ...(destination === undefined ? {} : { destination }) })
  }
}

/**
 * Under `npm start`'s --expose-gc (SERVER_V8_FLAGS), gives back the heap a burst grew once the
 * server is idle again (docs/configuration.md, Memory). Without the flag node exposes no collection.
 */
function releaseMemoryOnceIdle (app: FastifyInstance): void {
  const collect = (globalThis as { gc?: () => void }).gc
  if (typeof collect !== 'function') return
  // The app is ready by now, so it takes no onClose hook: the release stops when the server does.
  releaseMemoryWhenIdle({
    collect,
    active: () => app.server.listening,
    onCollected: (ms) => app.log.debug({ ms: Math.round(ms), rssMb: Math.round(process.memoryUsage.rss() / 2 ** 20) }, MEMORY_RELEASED)
  })
}

/** Where the server's start writes; the process's own streams unless a test gives others. */
export interface StartIo {
  stdout: Writable & { isTTY?: boolean }
  stderr: Writable
}

/** What a command-line run came to: a server that listens, or an exit code. */
export type StartResult = { app: FastifyInstance } | { exitCode: number }

/**
 * Runs the command line: prints help or the version, or starts the server and resolves with it
 * once it listens. A bad flag or variable resolves with exit code 1 after saying why.
 */
export async function start (argv: string[], env: NodeJS.ProcessEnv, io: StartIo = process): Promise<StartResult> {
  const command = parseCliArgs(argv)
  if (command.kind === 'help') {
    io.stdout.write(command.text)
    return { exitCode: 0 }
  }
  if (command.kind === 'version') {
    io.stdout.write(`${packageVersion()}\n`)
    return { exitCode: 0 }
  }
  if (command.kind === 'subcommand') {
    return { exitCode: await runSubcommand(command.name, command.argv, { stdout: io.stdout, stderr: io.stderr, env }) }
  }
  if (command.kind === 'error') {
    io.stderr.write(`calypso-mock: ${command.message}\n`)
    return { exitCode: 1 }
  }
  let config: Config
  try {
    // Flags win over the environment; both are read here, once.
    config = loadConfig({ ...env, ...command.env })
  } catch (err) {
    if (err instanceof ConfigError) {
      io.stderr.write(`calypso-mock: invalid configuration: ${err.message}\n`)
      return { exitCode: 1 }
    }
    throw err
  }

  const tty = io.stdout.isTTY === true
  const app = await buildApp(config, { logger: loggerOptions(config, tty, io === process ? undefined : io.stdout) })
  const url = await app.listen({ port: config.port, host: config.host })
  releaseMemoryOnceIdle(app)
  const [main, ...others] = config.accounts
  app.log.info(`calypso-mock listening on ${url} (API ${url}/api/v1, docs ${url}/docs, dashboard ${url}/_mock/dashboard)`)
  if (main !== undefined) {
    // The one place a secret is logged: the demo credentials a newcomer needs to sign requests.
    app.log.info(`account ${main.account}  Key ${main.apiKey}  secret ${main.apiSecret}`)
  }
  if (others.length > 0) app.log.info(`${others.length} more account(s) from ACCOUNTS_FILE`)
  const webhook = app.webhooks.configured
  if (webhook !== undefined) {
    app.log.info(`webhooks to ${webhook.url}  Key ${webhook.publicKey}  secret ${webhook.secretKey}${webhook.generated ? ' (generated; set WEBHOOK_PUBLIC_KEY and WEBHOOK_SECRET_KEY to choose them)' : ''}`)
  }
  app.log.info(`database ${config.databasePath}`)
  if (!isLoopbackHost(config.host) && config.adminToken === undefined) app.log.warn(StartupWarning.exposed(config.host))
  return { app }
}

/** Closes the app on SIGTERM or SIGINT and exits 0, or 1 if closing fails. */
function closeOnSignals (app: FastifyInstance): void {
  let closing = false
  const shutdown = (signal: string): void => {
    if (closing) return
    closing = true
    app.log.info(`${signal} received, closing`)
    app.close().then(() => process.exit(0), (err: unknown) => {
      app.log.error({ err }, 'close failed')
      process.exit(1)
    })
  }
  process.once('SIGTERM', () => shutdown('SIGTERM'))
  process.once('SIGINT', () => shutdown('SIGINT'))
}

/** The process's whole life: `start`, then exit with its code, or serve until a signal. */
export function main (argv: string[], env: NodeJS.ProcessEnv): void {
  start(argv, env).then((result) => {
    if ('exitCode' in result) process.exit(result.exitCode)
    closeOnSignals(result.app)
  }, (err: unknown) => {
    process.stderr.write(`calypso-mock: failed to start: ${err instanceof Error ? err.message : String(err)}\n`)
    process.exit(1)
  })
}
