import { PassThrough, Writable } from 'node:stream'
import t from 'tap'
import { buildApp } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import { testConfig } from '../../src/test-config.js'
import { loggerOptions } from '../../src/main.js'
import { MAX_RETRIES } from '../../src/webhooks/retry-schedule.js'
import { DispatcherLog } from '../../src/webhooks/dispatcher.js'
import { build, createCustomer, deposit, signedPost, webhookConfig } from '../support/helper.js'
import { captureLogs } from '../support/log-capture.js'
import { startReceiver } from '../support/webhook-receiver.js'

t.test('at LOG_LEVEL=warn: every failed attempt, with what it was, and the delivery that gave up; no rejected API call', async (t) => {
  const logs = captureLogs('warn')
  const receiver = await startReceiver(t)
  receiver.answer(() => 500)
  const app = await build(t, { webhook: webhookConfig(receiver.url, { retryScale: 0 }) }, { logger: logs.logger })
  await signedPost(app, 'customer-purse/customer/create', {}, { headers: { key: 'not-a-key' } })
  const customer = await createCustomer(app)
  const tx = await deposit(app, { customerId: customer.id, currency: 'BTC', amount: 1, stopAt: 'MEM_POOL_FOUND' })
  const attempts = MAX_RETRIES + 1
  await logs.waitFor((lines) => lines.some((l) => l.msg === DispatcherLog.gaveUp(attempts)))

  const failed = logs.lines.filter((l) => l.msg === DispatcherLog.attemptFailed)
  t.equal(failed.length, MAX_RETRIES, 'one warn line per failed attempt that will be retried')
  const delivery = app.store.db.prepare('SELECT id, event_id AS eventId FROM deliveries').get() as { id: number, eventId: number }
  for (const line of failed) {
    t.equal(line.level, 40)
    t.match(line, {
      eventType: 'CUSTOMER_PURSE_MEM_POOL_FOUND',
      eventId: delivery.eventId,
      delivery: delivery.id,
      url: receiver.url,
      status: 500,
      error: 'HTTP 500: only 200 completes a delivery',
      nextAttemptAt: /^\d{4}-\d\d-\d\dT/
    })
  }
  const gaveUp = logs.lines.find((l) => l.msg === DispatcherLog.gaveUp(attempts))!
  t.equal(gaveUp.level, 50, 'the delivery that gave up is an error')
  t.match(gaveUp, { eventType: 'CUSTOMER_PURSE_MEM_POOL_FOUND', eventId: delivery.eventId, delivery: delivery.id, attempt: attempts, url: receiver.url })
  t.same(logs.lines.filter((l) => l.msg !== DispatcherLog.attemptFailed && l.msg !== DispatcherLog.gaveUp(attempts)), [], 'nothing else: requests and refused calls are info')
  t.ok(tx.id)
})

t.test('a delivered webhook and a rejected API call are info', async (t) => {
  const logs = captureLogs('info')
  const receiver = await startReceiver(t)
  const app = await build(t, { webhook: webhookConfig(receiver.url) }, { logger: logs.logger })
  await signedPost(app, 'customer-purse/customer/create', {}, { headers: { key: 'not-a-key' } })
  const customer = await createCustomer(app)
  await deposit(app, { customerId: customer.id, currency: 'BTC', amount: 1, stopAt: 'MEM_POOL_FOUND' })
  await logs.waitFor((lines) => lines.some((l) => l.msg === DispatcherLog.delivered))
  t.match(logs.lines.find((l) => l.msg === DispatcherLog.delivered), { level: 30, eventType: 'CUSTOMER_PURSE_MEM_POOL_FOUND', status: 200 })
  t.match(logs.lines.find((l) => l.msg === 'request rejected'), { level: 30, errorCode: '002' })
})

t.test('debug adds each API request\'s auth verdict', async (t) => {
  const logs = captureLogs('debug')
  const app = await build(t, {}, { logger: logs.logger })
  const refused = await signedPost(app, 'customer-purse/customer/create', {}, { headers: { sign: 'ab'.repeat(64) } })
  const passed = await signedPost(app, 'customer-purse/customer/create', {})
  const verdicts = logs.lines.filter((l) => l.msg === 'auth verdict')
  t.match(verdicts, [
    { level: 20, traceId: refused.headers['x-trace-id'], auth: { passed: false, check: 'sign' } },
    { level: 20, traceId: passed.headers['x-trace-id'], auth: { passed: true } }
  ])
  const atInfo = captureLogs('info')
  const quiet = await build(t, {}, { logger: atInfo.logger })
  await signedPost(quiet, 'customer-purse/customer/create', {})
  t.equal(atInfo.lines.filter((l) => l.msg === 'auth verdict').length, 0, 'not at info')
})

t.test('LOG_LEVEL is case-insensitive; LOG_FORMAT is pretty or json', async (t) => {
  t.equal(loadConfig({ LOG_LEVEL: 'INFO' }).logLevel, 'info')
  t.equal(loadConfig({ LOG_LEVEL: 'Warn' }).logLevel, 'warn')
  t.throws(() => loadConfig({ LOG_LEVEL: 'loud' }), { name: 'ConfigError', variable: 'LOG_LEVEL' })
  t.equal(loadConfig({}).logFormat, undefined, 'chosen by the terminal when unset')
  t.equal(loadConfig({ LOG_FORMAT: 'JSON' }).logFormat, 'json')
  t.equal(loadConfig({ LOG_FORMAT: 'pretty' }).logFormat, 'pretty')
  t.throws(() => loadConfig({ LOG_FORMAT: 'xml' }), { name: 'ConfigError', variable: 'LOG_FORMAT' })
})

t.test('LOG_FORMAT wins over the terminal check', async (t) => {
  const json = testConfig({ logFormat: 'json' })
  const options = loggerOptions(json, true)
  t.equal(options.level, json.logLevel)
  t.notOk(options.stream instanceof Writable, 'JSON lines on a terminal: the batched destination, not pino-pretty')

  const pretty = testConfig({ logFormat: 'pretty' })
  const out = new PassThrough()
  let text = ''
  out.on('data', (chunk: Buffer) => { text += chunk.toString() })
  const app = await buildApp(pretty, { logger: loggerOptions(pretty, false, out) })
  t.teardown(() => app.close())
  await app.inject({ method: 'GET', url: '/health' })
  t.match(text, /^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: request/m, 'readable lines off a terminal (docker compose)')
})
