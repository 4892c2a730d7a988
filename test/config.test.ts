import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { PassThrough, Writable } from 'node:stream'
import t from 'tap'
import { loadConfig } from '../src/config.js'
import { DEFAULT_ACCOUNT, DOCS_API_KEY, DOCS_API_SECRET } from '../src/demo-credentials.js'
import { start } from '../src/main.js'
import { tempDir } from './support/helper.js'

t.test('defaults', async (t) => {
  const config = loadConfig({})
  t.equal(config.port, 8080)
  t.equal(config.host, '127.0.0.1')
  t.equal(config.databasePath, './data/calypso-mock.db')
  t.same(config.accounts, [{ account: DEFAULT_ACCOUNT, apiKey: DOCS_API_KEY, apiSecret: DOCS_API_SECRET }])
  t.equal(config.timestampWindowMs, 180_000)
  t.equal(config.logLevel, 'info')
  t.ok(Object.isFrozen(config))
})

t.test('every variable is read', async (t) => {
  const config = loadConfig({
    PORT: '0',
    HOST: '0.0.0.0',
    DATABASE_PATH: ':memory:',
    CALYPSO_ACCOUNT: '0xABCDEF0000000000000000000000000000000001',
    CALYPSO_API_KEY: 'merchant-key-1',
    CALYPSO_API_SECRET: 'merchant-secret-1',
    TIMESTAMP_WINDOW_MS: '5000',
    LOG_LEVEL: 'warn'
  })
  t.equal(config.port, 0)
  t.equal(config.host, '0.0.0.0')
  t.equal(config.databasePath, ':memory:')
  t.same(config.accounts, [{ account: '0xABCDEF0000000000000000000000000000000001', apiKey: 'merchant-key-1', apiSecret: 'merchant-secret-1' }], 'the account keeps the spelling requests must use')
  t.equal(config.timestampWindowMs, 5000)
  t.equal(config.logLevel, 'warn')
})

t.test('webhook variables', async (t) => {
  t.same(loadConfig({}).webhook, { url: undefined, publicKey: undefined, secretKey: undefined, timeoutMs: 10_000, retryScale: 1 })
  const config = loadConfig({
    WEBHOOK_URL: 'http://merchant:3000/calypso',
    WEBHOOK_PUBLIC_KEY: 'public-key-1',
    WEBHOOK_SECRET_KEY: 'secret-key-1',
    WEBHOOK_TIMEOUT_MS: '2500',
    WEBHOOK_RETRY_SCALE: '0.01'
  })
  t.same(config.webhook, { url: 'http://merchant:3000/calypso', publicKey: 'public-key-1', secretKey: 'secret-key-1', timeoutMs: 2500, retryScale: 0.01 })
  t.throws(() => loadConfig({ WEBHOOK_URL: 'merchant:3000' }), { name: 'ConfigError', variable: 'WEBHOOK_URL' })
  t.throws(() => loadConfig({ WEBHOOK_RETRY_SCALE: '-1' }), { name: 'ConfigError', variable: 'WEBHOOK_RETRY_SCALE' })
  t.throws(() => loadConfig({ WEBHOOK_TIMEOUT_MS: '0' }), { name: 'ConfigError', variable: 'WEBHOOK_TIMEOUT_MS' })
  t.throws(() => loadConfig({ WEBHOOK_PUBLIC_KEY: 'public-key-1' }), { name: 'ConfigError', variable: 'WEBHOOK_SECRET_KEY', message: /set both/ })
})

t.test('a bad value names its variable', async (t) => {
  const cases: Array<[Record<string, string>, string]> = [
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ CALYPSO_ACCOUNT: 'merchant' }, 'CALYPSO_ACCOUNT'],
    [{ CALYPSO_API_KEY: 'short' }, 'CALYPSO_API_KEY'],
    [{ TIMESTAMP_WINDOW_MS: '-1' }, 'TIMESTAMP_WINDOW_MS'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ ACCOUNTS_FILE: '/does/not/exist.json' }, 'ACCOUNTS_FILE']
  ]
  for (const [env, variable] of cases) {
    t.throws(() => loadConfig(env), { name: 'ConfigError', variable, message: new RegExp(`^${variable}: `) }, JSON.stringify(env))
  }
})

t.test('ACCOUNTS_FILE adds accounts, and is checked', async (t) => {
  const dir = tempDir(t)
  const file = (name: string, content: string) => {
    const path = join(dir, name)
    writeFileSync(path, content)
    return path
  }
  const extra = { account: '0x00000000000000000000000000000000000000b2', apiKey: 'second-key', apiSecret: 'second-secret' }
  const config = loadConfig({ ACCOUNTS_FILE: file('ok.json', JSON.stringify([extra])) })
  t.same(config.accounts.map((a) => a.account), [DEFAULT_ACCOUNT, extra.account])

  t.throws(() => loadConfig({ ACCOUNTS_FILE: file('bad.json', '[{') }), { name: 'ConfigError', variable: 'ACCOUNTS_FILE', message: /ACCOUNTS_FILE: .*not valid JSON/ })
  t.throws(() => loadConfig({ ACCOUNTS_FILE: file('shape.json', JSON.stringify([{ ...extra, account: 'x' }])) }), /ACCOUNTS_FILE: .*\[0\]\.account/)
  t.throws(() => loadConfig({ ACCOUNTS_FILE: file('object.json', JSON.stringify(extra)) }), /ACCOUNTS_FILE: .*expected an array/)
  t.throws(() => loadConfig({ ACCOUNTS_FILE: file('dup.json', JSON.stringify([{ ...extra, account: DEFAULT_ACCOUNT }])) }), /configured twice/)
  t.throws(() => loadConfig({ ACCOUNTS_FILE: file('key.json', JSON.stringify([{ ...extra, apiKey: DOCS_API_KEY }])) }), /used by two accounts/)
})

t.test('a bad ACCOUNTS_FILE stops the start with one line naming it, exit code 1', async (t) => {
  const dir = tempDir(t)
  const path = join(dir, 'accounts.json')
  writeFileSync(path, '[{')
  let stderr = ''
  const io = { stdout: new PassThrough(), stderr: new Writable({ write (chunk, _, done) { stderr += String(chunk); done() } }) }
  t.same(await start([], { ACCOUNTS_FILE: path }, io), { exitCode: 1 })
  const said = `calypso-mock: invalid configuration: ACCOUNTS_FILE: ${path} is not valid JSON: `
  t.equal(stderr.slice(0, said.length), said)
  t.match(stderr.slice(said.length), /^[^\n]+\n$/, 'the parser\'s reason, on the same line')
})

t.test('REQUEST_TIMEOUT_MS', async (t) => {
  t.equal(loadConfig({}).requestTimeoutMs, 30_000)
  t.equal(loadConfig({ REQUEST_TIMEOUT_MS: '500' }).requestTimeoutMs, 500)
  t.throws(() => loadConfig({ REQUEST_TIMEOUT_MS: '0' }), { name: 'ConfigError', variable: 'REQUEST_TIMEOUT_MS' })
})

t.test('a refused secret is described, never repeated: MOCK_ADMIN_TOKEN=t printed the token', async (t) => {
  for (const name of ['MOCK_ADMIN_TOKEN', 'CALYPSO_API_SECRET', 'WEBHOOK_SECRET_KEY']) {
    const env = name === 'WEBHOOK_SECRET_KEY' ? { WEBHOOK_PUBLIC_KEY: 'public-key-1', [name]: 'sec' } : { [name]: 'sec' }
    const err = (() => { try { loadConfig(env) } catch (e) { return e as Error } })()
    t.match(err?.message, new RegExp(`^${name}: must be at least 8 characters \\(got 3 characters, not shown\\)$`))
    t.notOk(err?.message.includes('"sec"'), `${name}: the value is not in the message`)
  }
  t.match((() => { try { loadConfig({ LOG_LEVEL: 'loud' }) } catch (e) { return (e as Error).message } })(), /"loud"/, 'a value that is no secret is still shown')
})
