import { readFileSync } from 'node:fs'
import { PassThrough, Writable } from 'node:stream'
import t from 'tap'
import { buildApp } from '../src/app.js'
import { CONFIG_VARIABLES } from '../src/config.js'
import { DEFAULT_ACCOUNT, DOCS_API_KEY, DOCS_API_SECRET } from '../src/demo-credentials.js'
import { testConfig } from '../src/test-config.js'
import { loggerOptions, start, type StartResult } from '../src/main.js'
import { startServerProcess } from './support/server-process.js'

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }

/** Runs the command line in this process, with its output captured. */
async function run (t: { teardown: (fn: () => unknown) => void }, argv: string[], env: NodeJS.ProcessEnv = {}) {
  const capture = () => {
    const stream = new PassThrough()
    let text = ''
    stream.on('data', (chunk: Buffer) => { text += chunk.toString() })
    return { stream, text: () => text }
  }
  const stdout = capture()
  const stderr = capture()
  const result: StartResult = await start(argv, env, { stdout: stdout.stream, stderr: stderr.stream })
  if ('app' in result) t.teardown(() => result.app.close())
  return { result, stdout: stdout.text, stderr: stderr.text }
}

t.test('flags start the server on a free port and win over the environment', async (t) => {
  // Both variables are unusable, so the start proves the flags replaced them.
  const { result, stdout } = await run(t, ['--port', '0', '--db', ':memory:', '--log-level', 'info'], { PORT: 'http', DATABASE_PATH: '/nonexistent/dir/mock.db', LOG_LEVEL: 'silent' })
  if (!('app' in result)) throw new Error('the server did not start')
  const url = /listening on (http:\/\/[^\s)"]+)/.exec(stdout())?.[1]
  t.match(url, /^http:\/\/127\.0\.0\.1:\d+$/)
  t.not(new URL(url!).port, '0', 'the URL printed has the port picked')
  for (const expected of [DEFAULT_ACCOUNT, DOCS_API_KEY, DOCS_API_SECRET, 'database :memory:']) t.match(stdout(), expected)

  const res = await fetch(`${url}/health`)
  t.equal(res.status, 200)
  t.match(await res.json(), { status: 'ok', database: { path: ':memory:' } })
})

t.test('the banner names the WEBHOOK_URL and its generated key pair', async (t) => {
  const { stdout } = await run(t, ['--port', '0', '--db', ':memory:', '--webhook-url', 'http://127.0.0.1:1/hook'])
  t.match(stdout(), /webhooks to http:\/\/127\.0\.0\.1:1\/hook {2}Key [0-9a-f]{32} {2}secret [0-9a-f]{32} \(generated/)
})

t.test('--help lists every flag with its variable and default, and exits 0', async (t) => {
  const { result, stdout, stderr } = await run(t, ['--help'])
  t.same(result, { exitCode: 0 })
  t.equal(stderr(), '')
  t.match(stdout(), /^Usage: calypso-mock \[options\]/)
  for (const variable of CONFIG_VARIABLES) {
    t.match(stdout(), `${variable.flag} <value>`, variable.flag)
    t.match(stdout(), `env ${variable.name}${variable.default === '' ? '' : `, default ${variable.default}`}`, `${variable.flag}: variable and default`)
  }
})

t.test('--version prints the package version', async (t) => {
  const { result, stdout } = await run(t, ['--version'])
  t.same(result, { exitCode: 0 })
  t.equal(stdout(), `${version}\n`)
})

t.test('an unknown flag exits 1 naming it, without a stack trace', async (t) => {
  const { result, stdout, stderr } = await run(t, ['--port', '0', '--bogus'])
  t.same(result, { exitCode: 1 })
  t.equal(stderr(), 'calypso-mock: unknown flag --bogus\nRun calypso-mock --help for the options.\n')
  t.equal(stdout(), '', 'nothing started')
})

t.test('a flag without its value exits 1 naming it', async (t) => {
  const { result, stderr } = await run(t, ['--db', ':memory:', '--port'])
  t.same(result, { exitCode: 1 })
  t.match(stderr(), /^calypso-mock: --port needs a value\n/)
})

t.test('a flag\'s bad value is reported as its variable\'s', async (t) => {
  const { result, stderr } = await run(t, ['--port', 'http', '--db', ':memory:'])
  t.same(result, { exitCode: 1 })
  t.match(stderr(), /^calypso-mock: invalid configuration: PORT: must be a whole number from 0 to 65535 \(got "http"\)\n$/)
})

t.test('the process exits with the code start gives, and 1 when the start fails', async (t) => {
  const help = startServerProcess(t, {}, ['--help'])
  t.same(await help.exited, [0, null])
  const bad = startServerProcess(t, {}, ['--bogus'])
  t.same(await bad.exited, [1, null])
  const taken = startServerProcess(t, { PORT: '0', DATABASE_PATH: ':memory:' })
  const port = new URL(await taken.listening).port
  const second = startServerProcess(t, { PORT: port, DATABASE_PATH: ':memory:' })
  t.same(await second.exited, [1, null])
  t.match(second.output().stderr, /calypso-mock: failed to start: .*EADDRINUSE/)
})

t.test('on a terminal the log is pino-pretty lines; elsewhere JSON lines', async (t) => {
  const config = testConfig()
  const options = loggerOptions(config, false)
  t.equal(options.level, config.logLevel)
  t.notOk(options.stream instanceof Writable, 'JSON lines through the batched destination')

  const terminal = new PassThrough()
  let text = ''
  terminal.on('data', (chunk: Buffer) => { text += chunk.toString() })
  const app = await buildApp(config, { logger: loggerOptions(config, true, terminal) })
  t.teardown(() => app.close())
  await app.inject({ method: 'GET', url: '/health' })
  t.match(text, /^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: request/m, 'a readable line per request')
  t.notMatch(text, /^\{/m, 'no JSON')
})
