import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import type { Writable } from 'node:stream'
import type { FastifyInstance } from 'fastify'
import { buildApp } from './app.js'
import { parseCliArgs } from './cli-args.js'
import { runSubcommand } from './cli/subcommands.js'
import { ConfigError, loadConfig, type Config } from './config.js'
import { packageRoot } from './package-root.js'

type PrettyFactory = (options: Record<string, unknown>) => Writable

/**
 * JSON lines, or readable lines when a person is watching the terminal. Bodies and headers are
 * never logged. pino-pretty runs in this thread as a stream, not as a pino transport: a transport
 * starts a worker from a file path, which the bundled server does not have.
 */
export function loggerOptions (config: Config, tty: boolean, destination?: Writable) {
  if (!tty) return { level: config.logLevel }
  const pretty = createRequire(import.meta.url)('pino-pretty') as PrettyFactory
  return {
    level: config.logLevel,
    stream: pretty({ translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname', sync: true, ...(destination === undefined ? {} : { destination }) })
  }
}

function packageVersion (): string {
  const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }
  return pkg.version
}

/**
 * Runs the command line: prints help or the version, or starts the server and resolves with it
 * once it listens. Exits the process on a bad flag or variable.
 */
export async function start (argv: string[], env: NodeJS.ProcessEnv): Promise<FastifyInstance | undefined> {
  const command = parseCliArgs(argv)
  if (command.kind === 'help') {
    process.stdout.write(command.text)
    return undefined
  }
  if (command.kind === 'version') {
    process.stdout.write(`${packageVersion()}\n`)
    return undefined
  }
  if (command.kind === 'subcommand') {
    process.exitCode = await runSubcommand(command.name, command.argv, { stdout: process.stdout, stderr: process.stderr, env })
    return undefined
  }
  if (command.kind === 'error') {
    process.stderr.write(`calypso-mock: ${command.message}\n`)
    process.exit(1)
  }
  let config: Config
  try {
    // Flags win over the environment; both are read here, once.
    config = loadConfig({ ...env, ...command.env })
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`calypso-mock: invalid configuration: ${err.message}\n`)
      process.exit(1)
    }
    throw err
  }

  const app = await buildApp(config, { logger: loggerOptions(config, process.stdout.isTTY === true) })
  const url = await app.listen({ port: config.port, host: config.host })
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
  return app
}

/** The process's whole life: `start`, and exit 1 with the reason if it fails. */
export function main (argv: string[], env: NodeJS.ProcessEnv): void {
  start(argv, env).catch((err: unknown) => {
    process.stderr.write(`calypso-mock: failed to start: ${err instanceof Error ? err.message : String(err)}\n`)
    process.exit(1)
  })
}
