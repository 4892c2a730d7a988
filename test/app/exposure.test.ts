import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import t from 'tap'
import { isLoopbackHost } from '../../src/auth/admin.js'
import { Reason, StartupWarning } from '../../src/errors.js'
import { RESPONSE_KEPT_BYTES, sendWebhook } from '../../src/webhooks/send-webhook.js'
import { build, createCustomer, deposit, waitForDeliveries, webhookConfig } from '../support/helper.js'
import { startServerProcess } from '../support/server-process.js'

const TOKEN = 'admin-token-for-tests'

t.test('the start banner warns when the mock listens beyond this machine without MOCK_ADMIN_TOKEN', async (t) => {
  for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]']) t.ok(isLoopbackHost(host), `${host} is this machine only`)
  for (const host of ['0.0.0.0', '::', '192.168.1.20', 'calypso-mock']) t.notOk(isLoopbackHost(host), `${host} is reachable from elsewhere`)
  const warning = StartupWarning.exposed('0.0.0.0')
  t.match(warning, /MOCK_ADMIN_TOKEN/)
  t.match(warning, /\/_mock\/accounts/, 'names the account secrets')
  t.match(warning, /delivery log/, 'and the receivers\' responses')

  const exposed = startServerProcess(t, { PORT: '0', HOST: '0.0.0.0', DATABASE_PATH: ':memory:', LOG_FORMAT: 'json', LOG_LEVEL: 'INFO' })
  await exposed.listening
  t.match(exposed.output().stdout.split('\n').filter((l) => l.includes('"level":40')).map((l) => JSON.parse(l).msg), [warning], 'printed at warn')
  const guarded = startServerProcess(t, { PORT: '0', HOST: '0.0.0.0', DATABASE_PATH: ':memory:', LOG_FORMAT: 'json', MOCK_ADMIN_TOKEN: TOKEN })
  await guarded.listening
  t.notMatch(guarded.output().stdout, /"level":40/, 'not with a token')
})

t.test('/health shows the database path to an admin only', async (t) => {
  const open = await build(t)
  const health = async (app: typeof open, options: { remoteAddress?: string, token?: string } = {}) =>
    (await app.inject({ method: 'GET', url: '/health', ...(options.remoteAddress === undefined ? {} : { remoteAddress: options.remoteAddress }), headers: options.token === undefined ? {} : { authorization: `Bearer ${options.token}` } })).json().database
  t.same(await health(open), { path: ':memory:', journalMode: 'memory' }, 'no token configured: a caller on this machine is admin')
  t.same(await health(open, { remoteAddress: '172.17.0.1' }), { journalMode: 'memory' }, 'a caller from elsewhere is not')
  t.same(await health(open, { remoteAddress: '::ffff:127.0.0.1' }), { path: ':memory:', journalMode: 'memory' })

  const guarded = await build(t, { adminToken: TOKEN })
  t.same(await health(guarded), { journalMode: 'memory' }, 'a token configured: even on this machine, only with it')
  t.same(await health(guarded, { token: 'wrong-token-value' }), { journalMode: 'memory' })
  t.same(await health(guarded, { token: TOKEN, remoteAddress: '172.17.0.1' }), { path: ':memory:', journalMode: 'memory' }, 'with it, from anywhere')
  t.equal((await guarded.inject({ method: 'GET', url: '/health' })).statusCode, 200, 'health itself needs no token')
})

t.test('a receiver\'s answer is stored up to 2 KiB, with a marker and its full length', async (t) => {
  const answers = ['x'.repeat(10_000), 'é'.repeat(3000), 'short']
  let next = 0
  const server = createServer((request, response) => {
    request.resume()
    request.on('end', () => response.end(answers[next++ % answers.length]))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => { server.closeAllConnections(); server.close() })
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`
  const target = { url, publicKey: 'public-key-1', secretKey: 'secret-key-1' }

  const long = await sendWebhook(target, '{}', 2000)
  t.equal(long.response, 'x'.repeat(RESPONSE_KEPT_BYTES) + Reason.responseTruncated(10_000))
  const multibyte = await sendWebhook(target, '{}', 2000)
  t.ok(Buffer.byteLength(multibyte.response!) <= RESPONSE_KEPT_BYTES + Buffer.byteLength(Reason.responseTruncated(6000)))
  t.ok(multibyte.response!.endsWith(Reason.responseTruncated(6000)), 'the length counts bytes')
  t.notMatch(multibyte.response, /\uFFFD/, 'no character is cut in half')
  t.equal((await sendWebhook(target, '{}', 2000)).response, 'short', 'a short answer is kept whole')

  const app = await build(t, { webhook: webhookConfig(url) })
  next = 0
  const customer = await createCustomer(app)
  await deposit(app, { customerId: customer.id, currency: 'BTC', amount: 1, stopAt: 'MEM_POOL_FOUND' })
  const [delivery] = await waitForDeliveries(app, (d) => d[0]?.status === 'delivered')
  t.ok(delivery!.attempts[0]!.response!.endsWith(Reason.responseTruncated(10_000)), 'the delivery log says so too')
})
