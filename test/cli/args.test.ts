import t from 'tap'
import { parseCliArgs, usage } from '../../src/cli/args.js'
import { SUBCOMMANDS } from '../../src/cli/subcommands.js'
import { CONFIG_VARIABLES, loadConfig } from '../../src/config.js'

const HINT = 'Run calypso-mock --help for the options.'

t.test('no flags: a run on the environment alone', async (t) => {
  t.same(parseCliArgs([]), { kind: 'run', env: {} })
})

t.test('every variable has a flag that sets it, as `--flag value` and as `--flag=value`', async (t) => {
  for (const variable of CONFIG_VARIABLES) {
    t.same(parseCliArgs([variable.flag, 'some value']), { kind: 'run', env: { [variable.name]: 'some value' } }, variable.flag)
    t.same(parseCliArgs([`${variable.flag}=other`]), { kind: 'run', env: { [variable.name]: 'other' } }, `${variable.flag}=`)
  }
  t.equal(new Set(CONFIG_VARIABLES.map((v) => v.flag)).size, CONFIG_VARIABLES.length, 'no two variables share a flag')
})

t.test('the flags of a typical start, read as loadConfig reads variables; the last repeat wins', async (t) => {
  const command = parseCliArgs(['--port', '0', '--db', ':memory:', '--webhook-url', 'http://127.0.0.1:3000/hooks', '--webhook-retry-scale', '0.01', '--port', '4010'])
  t.same(command, { kind: 'run', env: { PORT: '4010', DATABASE_PATH: ':memory:', WEBHOOK_URL: 'http://127.0.0.1:3000/hooks', WEBHOOK_RETRY_SCALE: '0.01' } })
  if (command.kind !== 'run') return
  t.match(loadConfig({ PORT: '1', ...command.env }), { port: 4010, databasePath: ':memory:', webhook: { url: 'http://127.0.0.1:3000/hooks', retryScale: 0.01 } }, 'a flag wins over the environment')
})

t.test('a value that starts with a dash goes after =', async (t) => {
  t.same(parseCliArgs(['--admin-token=-secret-token']), { kind: 'run', env: { MOCK_ADMIN_TOKEN: '-secret-token' } })
})

t.test('--help and -h: every flag with its variable, default and description', async (t) => {
  t.same(parseCliArgs(['--help']), { kind: 'help', text: usage() })
  t.same(parseCliArgs(['--port', '0', '-h']), { kind: 'help', text: usage() })
  const text = usage()
  const lines = text.split('\n')
  for (const variable of CONFIG_VARIABLES) {
    const at = lines.findIndex((l) => l.startsWith(`  ${variable.flag} <value>  `))
    t.ok(lines[at]?.endsWith(variable.description), `${variable.flag}: its description`)
    t.equal(lines[at + 1]?.trim(), `env ${variable.name}${variable.default === '' ? '' : `, default ${variable.default}`}`, `${variable.flag}: its variable and default`)
  }
  t.match(text, /--help, -h +Show this help/)
  t.match(text, /--version +Show the version/)
})

t.test('--version', async (t) => {
  t.same(parseCliArgs(['--version']), { kind: 'version' })
})

t.test('mistakes name the flag at fault and point to --help', async (t) => {
  const cases: Array<[string[], string]> = [
    [['--bogus'], 'unknown flag --bogus'],
    [['-x'], 'unknown flag -x'],
    [['--port', '0', '--Port', '1'], 'unknown flag --Port'],
    [['--port'], '--port needs a value'],
    [['--db='], '--db needs a value'],
    [['--webhook-url', ''], '--webhook-url needs a value'],
    [['--port', '--db', ':memory:'], '--port needs a value, got the flag --db (write --port=--db for a value that starts with -)'],
    [['--help=yes'], '--help takes no value'],
    [['--version=1'], '--version takes no value'],
    [['serve'], `unexpected argument 'serve'; calypso-mock takes flags, or first a command: ${Object.keys(SUBCOMMANDS).join(', ')}`],
    [['--', '--port', '0'], `unexpected argument '--port'; calypso-mock takes flags, or first a command: ${Object.keys(SUBCOMMANDS).join(', ')}`]
  ]
  for (const [argv, message] of cases) {
    t.same(parseCliArgs(argv), { kind: 'error', message: `${message}\n${HINT}` }, argv.join(' '))
  }
})

t.test('a mistake wins over --help, wherever it stands', async (t) => {
  t.same(parseCliArgs(['--help', '--bogus']), { kind: 'error', message: `unknown flag --bogus\n${HINT}` })
  t.same(parseCliArgs(['--bogus', '--help']), { kind: 'error', message: `unknown flag --bogus\n${HINT}` })
})

t.test('a command first hands the rest of the line to it; --help lists the commands', async (t) => {
  t.same(parseCliArgs(['deposit', '--customer', 'c', '--port', '1']), { kind: 'subcommand', name: 'deposit', argv: ['--customer', 'c', '--port', '1'] })
  t.same(parseCliArgs(['events', '--follow']), { kind: 'subcommand', name: 'events', argv: ['--follow'] })
  t.same(parseCliArgs(['--port', '0', 'customers']).kind, 'error', 'only in first place')
  for (const [name, command] of Object.entries(SUBCOMMANDS)) t.ok(usage().split('\n').some((line) => /^ {2}\w+ +/.test(line) && line.trim().startsWith(name) && line.endsWith(command.summary)), `${name} is listed`)
})
