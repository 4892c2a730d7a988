import { once } from 'node:events'
import { join } from 'node:path'
import t from 'tap'
import { DEFAULT_ACCOUNT } from '../../src/demo-credentials.js'
import { build, createCustomer, deposit, tempDir, waitForDeliveries, webhookConfig } from '../support/helper.js'
import { startListeningServer } from '../support/server-process.js'
import { startReceiver } from '../support/webhook-receiver.js'

const FLOW = [
  'CUSTOMER_PURSE_MEM_POOL_FOUND',
  'CUSTOMER_PURSE_PENDING_COMPLIANCE',
  'CUSTOMER_PURSE_FUNDS_RECEIVED_FOR_PURSE',
  'CUSTOMER_PURSE_TRANSLATION_TO_ACCOUNT_COMPLETED'
]

t.test('deliveries pending at a restart are sent by the next start, with the same key pair', async (t) => {
  const databasePath = join(tempDir(t), 'mock.db')
  const receiver = await startReceiver(t, { down: true })
  const webhook = webhookConfig(receiver.url, { retryScale: 0.01 })

  const first = await build(t, { databasePath, webhook })
  const keys = first.webhooks.configured!
  t.equal(keys.generated, true)
  const customer = await createCustomer(first)
  await deposit(first, { customerId: customer.id, currency: 'ETH', amount: 2 })
  await waitForDeliveries(first, (d) => d.some((x) => x.attempts.length > 0))
  await first.close()

  receiver.up()
  receiver.setSecret(keys.secretKey)
  const second = await build(t, { databasePath, webhook })
  t.same({ ...second.webhooks.configured, generated: true }, keys, 'the generated pair is kept in the database')
  t.equal(second.webhooks.configured!.generated, false)
  await receiver.waitFor((r) => new Set(r.map((x) => x.body.eventType)).size === 4)
  // Events that failed before the restart wait for their retry; later ones were never tried and go first.
  t.same([...new Set(receiver.received.map((r) => r.body.eventType))].sort(), [...FLOW].sort())
  t.ok(receiver.received.every((r) => r.verified))
  await waitForDeliveries(second, (d) => d.length === 4 && d.every((x) => x.status === 'delivered'))
})

t.test('an attempt in flight at shutdown is handed back and sent after the restart', async (t) => {
  const databasePath = join(tempDir(t), 'mock.db')
  const receiver = await startReceiver(t)
  let release = (): void => {}
  const held = new Promise<void>((resolve) => { release = resolve })
  receiver.answer(async () => {
    await held
    return 200
  })
  const webhook = webhookConfig(receiver.url, { timeoutMs: 60_000 })
  const first = await build(t, { databasePath, webhook })
  receiver.setSecret(first.webhooks.configured!.secretKey)
  const customer = await createCustomer(first)
  await deposit(first, { customerId: customer.id, currency: 'BTC', amount: 1, stopAt: 'MEM_POOL_FOUND' })
  while (first.webhooks.dispatcher.inFlight() === 0) await new Promise((resolve) => setImmediate(resolve))
  await first.close()
  release()

  const second = await build(t, { databasePath, webhook })
  const [delivery] = await waitForDeliveries(second, (d) => d[0]?.status === 'delivered')
  t.equal(delivery!.attempts.length, 1, 'the interrupted attempt was not counted')
  t.ok(receiver.accepted().some((r) => r.body.eventType === 'CUSTOMER_PURSE_MEM_POOL_FOUND' && r.verified))
})

t.test('without WEBHOOK_URL, the earlier WEBHOOK_URL subscription is removed at start', async (t) => {
  const databasePath = join(tempDir(t), 'mock.db')
  const receiver = await startReceiver(t)
  const first = await build(t, { databasePath, webhook: webhookConfig(receiver.url) })
  t.ok(first.webhooks.configured)
  await first.close()
  const second = await build(t, { databasePath, webhook: webhookConfig(undefined) })
  t.equal(second.webhooks.configured, undefined)
  t.same(second.store.subscriptions.listLive(DEFAULT_ACCOUNT), [])
})

t.test('kill -9 in the middle of deliveries: every event is delivered after the restart', async (t) => {
  const databasePath = join(tempDir(t), 'mock.db')
  const receiver = await startReceiver(t)
  receiver.answer(() => 500)
  const secret = 'webhook-secret-for-kill-test'
  receiver.setSecret(secret)
  const env = {
    PORT: '0',
    DATABASE_PATH: databasePath,
    WEBHOOK_URL: receiver.url,
    WEBHOOK_PUBLIC_KEY: 'webhook-public-for-kill-test',
    WEBHOOK_SECRET_KEY: secret,
    WEBHOOK_RETRY_SCALE: '0.01'
  }
  const start = () => startListeningServer(t, env)

  const first = await start()
  const { signedFetch } = await import('../support/signed-fetch.js')
  const customer = await signedFetch(first.url, 'customer-purse/customer/create', {}) as { id: string }
  const res = await fetch(`${first.url}/_mock/deposits`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ customerId: customer.id, currency: 'TRX', amount: 7 })
  })
  t.equal(res.status, 201)
  await receiver.waitFor((r) => r.length >= 2)
  first.child.kill('SIGKILL')
  await once(first.child, 'exit')

  receiver.answer(() => 200)
  await start()
  await receiver.waitFor((r) => FLOW.every((type) => r.some((x) => x.answered === 200 && x.body.eventType === type)))
  const accepted = receiver.accepted()
  t.same([...new Set(accepted.map((r) => r.body.eventType))].sort(), [...FLOW].sort())
  t.ok(accepted.every((r) => r.verified), 'every delivery is signed with the configured secret')
})
