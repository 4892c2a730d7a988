import { parseArgs } from 'node:util'
import { isSubcommand, SUBCOMMANDS, type SubcommandName } from './subcommands.js'
import { CONFIG_VARIABLES } from '../config.js'

/** What the command line asks for: a run with these variables, the help text, the version, or a mistake to report. */
export type CliCommand =
  | { kind: 'run', env: Record<string, string> }
  | { kind: 'help', text: string }
  | { kind: 'version' }
  | { kind: 'subcommand', name: SubcommandName, argv: string[] }
  | { kind: 'error', message: string }

const HINT = 'Run calypso-mock --help for the options.'

export function usage (): string {
  const flagWidth = Math.max(...CONFIG_VARIABLES.map((v) => `${v.flag} <value>`.length)) + 2
  const pad = ' '.repeat(flagWidth)
  const lines = CONFIG_VARIABLES.map((v) =>
    `  ${`${v.flag} <value>`.padEnd(flagWidth)}${v.description}\n  ${pad}env ${v.name}${v.default === '' ? '' : `, default ${v.default}`}`)
  return [
    'Usage: calypso-mock [options]',
    '       calypso-mock <command> [options]',
    '',
    'A local mock of Calypso Pay\'s Customer Purse API with signed webhooks.',
    'Every option can also be set through its environment variable; a flag wins.',
    '',
    'Options:',
    ...lines,
    `  ${'--help, -h'.padEnd(flagWidth)}Show this help`,
    `  ${'--version'.padEnd(flagWidth)}Show the version`,
    '',
    'Commands (calypso-mock <command> --help for theirs):',
    ...Object.entries(SUBCOMMANDS).map(([name, c]) => `  ${name.padEnd(flagWidth)}${c.summary}`),
    ''
  ].join('\n')
}

function mistake (message: string): CliCommand {
  return { kind: 'error', message: `${message}\n${HINT}` }
}

function missingValue (rawName: string, value: string | undefined): string {
  // parseArgs takes the next argument as the value even when it is a flag: `--port --db x` means a forgotten value.
  if (value !== undefined && value.startsWith('-')) return `${rawName} needs a value, got the flag ${value} (write ${rawName}=${value} for a value that starts with -)`
  return `${rawName} needs a value`
}

/** Turns command-line flags into the environment variables they stand for; the first mistake wins over --help. */
export function parseCliArgs (argv: readonly string[]): CliCommand {
  const [first, ...rest] = argv
  if (isSubcommand(first)) return { kind: 'subcommand', name: first, argv: rest }
  const variableOf = new Map(CONFIG_VARIABLES.map((v) => [v.flag.slice(2), v.name]))
  const options = Object.fromEntries([...variableOf.keys()].map((name) => [name, { type: 'string' as const }]))
  // Not strict: the tokens let the messages name the flag at fault in our words.
  const { tokens } = parseArgs({
    args: [...argv],
    options: { ...options, help: { type: 'boolean', short: 'h' }, version: { type: 'boolean' } },
    strict: false,
    allowPositionals: true,
    tokens: true
  })
  const env: Record<string, string> = {}
  let help = false
  let version = false
  for (const token of tokens) {
    if (token.kind === 'option-terminator') continue
    if (token.kind === 'positional') return mistake(`unexpected argument '${token.value}'; calypso-mock takes flags, or first a command: ${Object.keys(SUBCOMMANDS).join(', ')}`)
    const variable = variableOf.get(token.name)
    if (variable !== undefined) {
      if (token.value === undefined || token.value === '' || (!token.inlineValue && token.value.startsWith('-'))) {
        return mistake(missingValue(token.rawName, token.value))
      }
      env[variable] = token.value
    } else if (token.name === 'help' || token.name === 'version') {
      if (token.value !== undefined) return mistake(`${token.rawName} takes no value`)
      if (token.name === 'help') help = true
      else version = true
    } else {
      return mistake(`unknown flag ${token.rawName}`)
    }
  }
  if (help) return { kind: 'help', text: usage() }
  if (version) return { kind: 'version' }
  return { kind: 'run', env }
}
