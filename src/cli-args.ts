import { parseArgs } from 'node:util'
import { CONFIG_VARIABLES } from './config.js'

export type CliCommand =
  | { kind: 'run', env: Record<string, string> }
  | { kind: 'help', text: string }
  | { kind: 'version' }
  | { kind: 'error', message: string }

export function usage (): string {
  const width = Math.max(...CONFIG_VARIABLES.map((v) => v.flag.length)) + 8
  const lines = CONFIG_VARIABLES.map((v) =>
    `  ${`${v.flag} <value>`.padEnd(width)}${v.description}\n  ${' '.repeat(width)}env ${v.name}${v.default === '' ? '' : `, default ${v.default}`}`)
  return [
    'Usage: calypso-mock [options]',
    '',
    'A local mock of Calypso Pay\'s Customer Purse API with signed webhooks.',
    'Every option can also be set through its environment variable; a flag wins.',
    '',
    'Options:',
    ...lines,
    `  ${'--help, -h'.padEnd(width)}Show this help`,
    `  ${'--version'.padEnd(width)}Show the version`,
    ''
  ].join('\n')
}

/** Turns command-line flags into the environment variables they stand for. */
export function parseCliArgs (argv: readonly string[]): CliCommand {
  const options = Object.fromEntries(CONFIG_VARIABLES.map((v) => [v.flag.slice(2), { type: 'string' as const }]))
  let parsed
  try {
    parsed = parseArgs({
      args: [...argv],
      options: { ...options, help: { type: 'boolean', short: 'h' }, version: { type: 'boolean' } },
      strict: true,
      allowPositionals: false
    })
  } catch (err) {
    return { kind: 'error', message: `${(err as Error).message.split('\n')[0]}\nRun calypso-mock --help for the options.` }
  }
  const values = parsed.values as Record<string, string | boolean | undefined>
  if (values.help === true) return { kind: 'help', text: usage() }
  if (values.version === true) return { kind: 'version' }
  const env: Record<string, string> = {}
  for (const variable of CONFIG_VARIABLES) {
    const value = values[variable.flag.slice(2)]
    if (typeof value === 'string') env[variable.name] = value
  }
  return { kind: 'run', env }
}
