#!/usr/bin/env node
import { readFileSync } from 'node:fs'
import { buildApp } from './app.js'
import { parseCliArgs } from './cli-args.js'
import { ConfigError, loadConfig, type Config } from './config.js'

/** JSON lines, or readable lines when a person is watching the terminal. Bodies and headers are never logged. */
function loggerOptions (config: Config) {
  if (process.stdout.isTTY !== true) return { level: config.logLevel }
  return {
    level: config.logLevel,
    transport: { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname' } }
  }
}

function packageVersion (): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
  return pkg.version
}

async function main (): Promise<void> {
  const command = parseCliArgs(process.argv.slice(2))
  if (command.kind === 'help') {
    process.stdout.write(command.text)
    return
  }
  if (command.kind === 'version') {
    process.stdout.write(`${packageVersion()}\n`)
    return
  }
  if (command.kind === 'error') {
    process.stderr.write(`calypso-mock: ${command.message}\n`)
    process.exit(1)
  }
  let config: Config
  try {
    // Flags win over the environment; both are read here, once.
    config = loadConfig({ ...process.env, ...command.env })
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`calypso-mock: invalid configuration: ${err.message}\n`)
      process.exit(1)
    }
    throw err
  }

  const app = await buildApp(config, { logger: loggerOptions(config) })
  const url = await app.listen({ port: config.port, host: config.host })
  const [main, ...others] = config.accounts
  app.log.info(`calypso-mock listening on ${url} (API ${url}/api/v1, docs ${url}/docs)`)
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
}

main().catch((err: unknown) => {
  process.stderr.write(`calypso-mock: failed to start: ${err instanceof Error ? err.message : String(err)}\n`)
  process.exit(1)
})
