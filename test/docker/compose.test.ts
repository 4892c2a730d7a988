import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, readFileSync } from 'node:fs'
import { join, posix } from 'node:path'
import t from 'tap'
import { parse } from 'yaml'
import { sign } from '../../src/auth/signature.js'
import { buildApp } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import { testConfig } from '../../src/test-config.js'
import { startCalypsoMock } from '../../src/index.js'
import { startForwarder } from '../support/forwarder.js'
import { ROOT } from '../support/built-dist.js'
import { envOf, healthcheckOf, readDockerfile } from '../support/dockerfile.js'

interface Service {
  build?: string
  image?: string
  working_dir?: string
  command?: string[]
  ports?: string[]
  environment?: Record<string, string>
  volumes?: string[]
  healthcheck?: { test: string[], interval?: string, timeout?: string, retries?: number }
  depends_on?: Record<string, { condition: string }>
}

interface Teardown {
  teardown: (fn: () => unknown) => void
}

const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')) as { services: Record<string, Service>, volumes?: Record<string, unknown> }
const mock = compose.services['calypso-mock']!
const merchant = compose.services.merchant!
const { runtime } = readDockerfile()
const imageEnv = envOf(runtime)
const MERCHANT = join(ROOT, 'examples/merchant/server.mjs')

/** Runs the example merchant; resolves once it listens, with its port and its JSON log lines. */
async function startMerchant (t: Teardown, env: Record<string, string | undefined>) {
  const child = spawn(process.execPath, [MERCHANT], { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  t.teardown(() => { child.kill('SIGKILL') })
  const exited = once(child, 'exit') as Promise<[number | null, string | null]>
  const lines: Array<Record<string, unknown>> = []
  const watchers = new Set<() => void>()
  let buffered = ''
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString()
    const parts = buffered.split('\n')
    buffered = parts.pop() ?? ''
    for (const line of parts) lines.push(JSON.parse(line) as Record<string, unknown>)
    for (const watch of watchers) watch()
  })
  /** Resolves when the log has lines passing `ready`. */
  const waitFor = (ready: (lines: Array<Record<string, unknown>>) => boolean) => new Promise<void>((resolve, reject) => {
    const watch = () => { if (ready(lines)) { watchers.delete(watch); resolve() } }
    watchers.add(watch)
    watch()
    void exited.then(([code]) => reject(new Error(`merchant exited with ${code}: ${stderr}`)))
  })
  await waitFor((l) => l.some((line) => line.msg === 'merchant listening'))
  const port = lines.find((line) => line.msg === 'merchant listening')!.port as number
  return { port, lines, waitFor, exited, stop: async () => { child.kill('SIGTERM'); return await exited } }
}

t.test('docker-compose.yml: the mock and a merchant that reach each other by service name', async (t) => {
  t.same(Object.keys(compose.services).sort(), ['calypso-mock', 'merchant'])
  t.equal(mock.build, '.')
  t.ok(mock.ports?.includes(`127.0.0.1:8080:${imageEnv.PORT}`), 'the image\'s port published on 8080, on this machine only')
  for (const [name, service] of Object.entries(compose.services)) {
    for (const port of service.ports ?? []) t.match(port, /^127\.0\.0\.1:\d+:\d+$/, `${name} publishes ${port} on 127.0.0.1 only`)
  }
  t.doesNotThrow(() => loadConfig({ ...imageEnv, ...mock.environment }), 'the mock\'s environment is a valid configuration')
  const config = loadConfig({ ...imageEnv, ...mock.environment })
  t.ok(mock.environment?.WEBHOOK_RETRY_SCALE !== undefined, 'WEBHOOK_RETRY_SCALE is set')

  const check = mock.healthcheck?.test ?? []
  t.same(check.slice(0, 2), ['CMD', 'node'], 'the healthcheck runs node (the image has no curl)')
  t.same(check.slice(1, 3), healthcheckOf(runtime).slice(0, 2))
  t.ok(check.join(' ').includes(`http://127.0.0.1:${imageEnv.PORT}/health`), 'on the image\'s port')
  t.ok(mock.healthcheck?.interval !== undefined && mock.healthcheck.retries !== undefined)

  const [volumeName, volumeTarget] = (mock.volumes?.[0] ?? '').split(':')
  t.equal(volumeTarget, posix.dirname(config.databasePath), 'the database\'s folder is the volume')
  t.equal(volumeTarget, '/data')
  t.ok(volumeName !== undefined && compose.volumes !== undefined && volumeName in compose.volumes, `the named volume ${volumeName} is declared`)

  t.equal(merchant.image, 'node:24-bookworm-slim')
  t.same(merchant.depends_on, { 'calypso-mock': { condition: 'service_healthy' } })
  const webhookUrl = new URL(config.webhook.url!)
  t.equal(webhookUrl.hostname, 'merchant', 'webhooks go to the merchant by service name')
  t.equal(webhookUrl.port, merchant.environment?.PORT, 'on the port the merchant listens on')
  t.ok(merchant.ports?.includes(`127.0.0.1:${webhookUrl.port}:${webhookUrl.port}`))
  const calypsoUrl = new URL(merchant.environment!.CALYPSO_URL!)
  t.equal(calypsoUrl.hostname, 'calypso-mock', 'the merchant calls the mock by service name')
  t.equal(calypsoUrl.port, imageEnv.PORT, 'on the port the image listens on')
  t.equal(merchant.environment?.WEBHOOK_SECRET_KEY, config.webhook.secretKey, 'both sides share the webhook secret')
  const account = config.accounts[0]!
  t.same([merchant.environment?.CALYPSO_ACCOUNT, merchant.environment?.CALYPSO_API_KEY, merchant.environment?.CALYPSO_API_SECRET],
    [account.account, account.apiKey, account.apiSecret], 'the merchant signs with the mock\'s account')

  const [mounted, target, mode] = (merchant.volumes?.[0] ?? '').split(':')
  t.equal(target, merchant.working_dir)
  t.equal(mode, 'ro')
  t.same(merchant.command, ['node', 'server.mjs'])
  t.ok(existsSync(join(ROOT, mounted ?? '', 'server.mjs')), `${mounted}/server.mjs exists`)
})

t.test('docker-compose.yml: SEED_FILE names a seed file mounted read-only, and the seed loads', async (t) => {
  const seedPath = mock.environment?.SEED_FILE
  t.ok(seedPath !== undefined, 'SEED_FILE is set')
  const mount = (mock.volumes ?? []).map((v) => v.split(':')).find(([, target]) => target === seedPath)
  t.ok(mount !== undefined, `${seedPath} is mounted`)
  const [source, , mode] = mount ?? []
  t.equal(mode, 'ro')
  const hostPath = join(ROOT, source ?? '')
  const app = await buildApp(testConfig({ seedFile: hostPath }))
  t.teardown(() => app.close())
  const { customers } = (await app.inject({ method: 'GET', url: '/_mock/customers' })).json() as { customers: unknown[] }
  t.ok(customers.length > 0, 'the seed loads')
})

t.test('the example merchant answers 200 to a correctly signed webhook and 401 to a wrongly signed one', async (t) => {
  const secret = merchant.environment!.WEBHOOK_SECRET_KEY!
  const path = new URL(mock.environment!.WEBHOOK_URL!).pathname
  const { port, lines, waitFor, stop } = await startMerchant(t, { PORT: '0', WEBHOOK_SECRET_KEY: secret })
  const post = async (body: string, headers: Record<string, string>, to = path) =>
    (await fetch(`http://127.0.0.1:${port}${to}`, { method: 'POST', body, headers })).status
  // The answer may come back before the log line it wrote: wait for the line.
  const logged = async (count: number) => {
    await waitFor((l) => l.filter((line) => line.msg === 'webhook').length >= count)
    return lines.filter((line) => line.msg === 'webhook')[count - 1]
  }

  const body = '{"requestId":"r1","id":7,"eventType":"CUSTOMER_PURSE_CUSTOMER_CREATED","data":{"customerId":"c1","customerBlocked":false}}'
  t.equal(await post(body, { sign: sign(body, secret) }), 200, 'signed with the secret')
  t.match(await logged(1), { id: 7, eventType: 'CUSTOMER_PURSE_CUSTOMER_CREATED', customerId: 'c1', duplicate: false }, 'logged')
  t.equal(await post(body, { sign: sign(body, secret) }), 200, 'a redelivery is accepted again')
  t.match(await logged(2), { id: 7, duplicate: true }, 'and logged as a duplicate')

  t.equal(await post(body, { sign: sign(body, 'not-the-secret') }), 401, 'signed with another secret')
  t.equal(await post(body.replace('"c1"', '"c2"'), { sign: sign(body, secret) }), 401, 'a body changed after signing')
  t.equal(await post(body, {}), 401, 'no Sign header')
  t.equal(await post(body, { sign: sign(body, secret).toUpperCase().slice(1) }), 401, 'a malformed Sign')
  t.equal(await post('not json', { sign: sign('not json', secret) }), 400, 'signed, but not JSON')
  t.equal(await post(body, { sign: sign(body, secret) }, '/elsewhere'), 404, 'only the WEBHOOK_URL path')
  await waitFor((l) => l.filter((line) => typeof line.msg === 'string' && line.msg.startsWith('webhook refused')).length >= 5)
  t.equal(lines.filter((line) => line.msg === 'webhook').length, 2, 'only the two genuine webhooks were taken')
  t.same(await stop(), [0, null], 'SIGTERM: a clean exit')
})

t.test('the example merchant refuses to start without a webhook secret', async (t) => {
  const child = spawn(process.execPath, [MERCHANT], { env: { PATH: process.env.PATH, PORT: '0' }, stdio: ['ignore', 'ignore', 'pipe'] })
  t.teardown(() => { child.kill('SIGKILL') })
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
  t.same(await once(child, 'exit'), [1, null])
  t.match(stderr, /WEBHOOK_SECRET_KEY is required/)
})

t.test('the example merchant runs its demo against the mock and verifies every webhook', async (t) => {
  const secret = merchant.environment!.WEBHOOK_SECRET_KEY!
  // The mock needs the merchant's URL before the merchant starts its demo: webhooks go through a
  // forwarder that holds them until the merchant listens.
  const forwarder = await startForwarder(t)
  const calypso = await startCalypsoMock({ webhookUrl: `http://127.0.0.1:${forwarder.port}${new URL(mock.environment!.WEBHOOK_URL!).pathname}`, webhookPublicKey: mock.environment!.WEBHOOK_PUBLIC_KEY!, webhookSecretKey: secret })
  t.teardown(() => calypso.close())

  const started = await startMerchant(t, { ...merchant.environment, PORT: '0', CALYPSO_URL: calypso.url })
  forwarder.to(started.port)
  await started.waitFor((lines) => lines.filter((l) => l.msg === 'webhook').length >= 4)
  t.match(started.lines.find((l) => l.msg === 'demo deposit'), { status: 201 })
  const webhooks = started.lines.filter((l) => l.msg === 'webhook')
  t.ok(webhooks.every((l) => l.customerBlocked === true), 'the demo customer is blocked, and every event says so')
  t.notOk(started.lines.some((l) => typeof l.msg === 'string' && l.msg.startsWith('webhook refused')), 'every webhook the mock sent verified')
  t.same(await started.stop(), [0, null])
})
