import { readFileSync } from 'node:fs'
import t from 'tap'
import { CONFIG_VARIABLES } from '../src/config.js'
import { startServerProcess } from './server-process.js'

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }

t.test('flags start the server on a free port and win over the environment', async (t) => {
  // Both variables are unusable, so the start proves the flags replaced them.
  const server = startServerProcess(t, { PORT: 'http', DATABASE_PATH: '/nonexistent/dir/mock.db', LOG_LEVEL: 'silent' }, ['--port', '0', '--db', ':memory:', '--log-level', 'info'])
  const url = await server.listening
  t.match(url, /^http:\/\/127\.0\.0\.1:\d+$/)
  t.not(new URL(url).port, '0', 'the URL printed has the port picked')

  const res = await fetch(`${url}/health`)
  t.equal(res.status, 200)
  t.match(await res.json(), { status: 'ok', database: { path: ':memory:' } })
  t.match(server.output().stdout, 'database :memory:')

  server.child.kill('SIGTERM')
  t.same(await server.exited, [0, null])
})

t.test('--help lists every flag with its variable and default, and exits 0', async (t) => {
  const server = startServerProcess(t, {}, ['--help'])
  t.same(await server.exited, [0, null])
  const { stdout, stderr } = server.output()
  t.equal(stderr, '')
  t.match(stdout, /^Usage: calypso-mock \[options\]/)
  for (const variable of CONFIG_VARIABLES) {
    t.match(stdout, `${variable.flag} <value>`, variable.flag)
    t.match(stdout, `env ${variable.name}${variable.default === '' ? '' : `, default ${variable.default}`}`, `${variable.flag}: variable and default`)
  }
})

t.test('--version prints the package version', async (t) => {
  const server = startServerProcess(t, {}, ['--version'])
  t.same(await server.exited, [0, null])
  t.equal(server.output().stdout, `${version}\n`)
})

t.test('an unknown flag exits 1 naming it, without a stack trace', async (t) => {
  const server = startServerProcess(t, {}, ['--port', '0', '--bogus'])
  t.same(await server.exited, [1, null])
  const { stdout, stderr } = server.output()
  t.equal(stderr, 'calypso-mock: unknown flag --bogus\nRun calypso-mock --help for the options.\n')
  t.equal(stdout, '', 'nothing started')
})

t.test('a flag without its value exits 1 naming it', async (t) => {
  const server = startServerProcess(t, {}, ['--db', ':memory:', '--port'])
  t.same(await server.exited, [1, null])
  t.match(server.output().stderr, /^calypso-mock: --port needs a value\n/)
})

t.test('a flag\'s bad value is reported as its variable\'s', async (t) => {
  const server = startServerProcess(t, {}, ['--port', 'http', '--db', ':memory:'])
  t.same(await server.exited, [1, null])
  t.match(server.output().stderr, /^calypso-mock: invalid configuration: PORT: must be a whole number \(got "http"\)\n$/)
})

t.test('on a terminal the log is pino-pretty lines; elsewhere JSON lines', async (t) => {
  const { PassThrough } = await import('node:stream')
  const { buildApp } = await import('../src/app.js')
  const { testConfig } = await import('../src/config.js')
  const { loggerOptions } = await import('../src/main.js')
  const config = testConfig()
  t.same(loggerOptions(config, false), { level: config.logLevel })

  const terminal = new PassThrough()
  let text = ''
  terminal.on('data', (chunk: Buffer) => { text += chunk.toString() })
  const app = await buildApp(config, { logger: loggerOptions(config, true, terminal) })
  t.teardown(() => app.close())
  await app.inject({ method: 'GET', url: '/health' })
  t.match(text, /^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: request/m, 'a readable line per request')
  t.notMatch(text, /^\{/m, 'no JSON')
})
