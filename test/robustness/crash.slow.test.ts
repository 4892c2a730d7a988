import { once } from 'node:events'
import { join } from 'node:path'
import t from 'tap'
import { scratchDir } from '../support/scratch.js'
import { signedFetch } from '../support/signed-fetch.js'
import { startListeningServer } from '../support/server-process.js'
import { fileTimeout, scaled } from '../support/time-scale.js'
import { startReceiver } from '../support/webhook-receiver.js'

fileTimeout(120_000)

const FLOW = ['CUSTOMER_PURSE_MEM_POOL_FOUND', 'CUSTOMER_PURSE_PENDING_COMPLIANCE', 'CUSTOMER_PURSE_FUNDS_RECEIVED_FOR_PURSE', 'CUSTOMER_PURSE_TRANSLATION_TO_ACCOUNT_COMPLETED']

t.test('kill -9 during a write load: every acknowledged create is there after restart, and every webhook due is delivered', async (t) => {
  const databasePath = join(scratchDir(t, 'crash'), 'mock.db')
  const receiver = await startReceiver(t)
  const secret = 'crash-test-webhook-secret'
  receiver.setSecret(secret)
  const env = {
    PORT: '0',
    DATABASE_PATH: databasePath,
    WEBHOOK_URL: receiver.url,
    WEBHOOK_PUBLIC_KEY: 'crash-test-webhook-public',
    WEBHOOK_SECRET_KEY: secret,
    WEBHOOK_RETRY_SCALE: '0.001',
    LOG_LEVEL: 'info'
  }
  const start = () => startListeningServer(t, env)

  const first = await start()
  const acknowledged: string[] = []
  const deposits: string[] = []
  const load = { running: true }
  /** Creates sent and not yet answered; the kill must land while some are. */
  let unanswered = 0
  const worker = async (n: number) => {
    while (load.running) {
      try {
        unanswered++
        const customer = await signedFetch(first.url, 'customer-purse/customer/create', { externalId: `load-${n}` }) as { id: string }
        unanswered--
        acknowledged.push(customer.id)
        if (acknowledged.length % 10 === 0) {
          const res = await fetch(`${first.url}/_mock/deposits`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ customerId: customer.id, currency: 'ETH', amount: 1 }) })
          if (res.status === 201) deposits.push(customer.id)
        }
      } catch {
        return // the connection died with the server
      }
    }
  }
  const workers = Array.from({ length: 16 }, (_, n) => worker(n))
  while (acknowledged.length < 400) await new Promise((resolve) => setTimeout(resolve, 5))
  const ackedAtKill = acknowledged.length
  first.child.kill('SIGKILL')
  const inFlight = unanswered
  load.running = false
  await once(first.child, 'exit')
  await Promise.all(workers)
  t.ok(inFlight > 0, `the kill landed with ${inFlight} creates in flight, after ${ackedAtKill} were acknowledged (and ${deposits.length} deposits)`)

  const second = await start()
  let missing = 0
  for (const id of acknowledged) {
    try {
      await signedFetch(second.url, 'customer-purse/customer/update', { id })
    } catch {
      missing++
    }
  }
  t.equal(missing, 0, 'every acknowledged create survived the kill')
  const stored = ((await (await fetch(`${second.url}/_mock/customers?search=load-&limit=1000`)).json()) as { customers: unknown[] }).customers.length
  t.ok(stored >= acknowledged.length && stored <= ackedAtKill + inFlight,
    `${stored} stored: the ${acknowledged.length} acknowledged, and at most the ${inFlight} in flight at the kill, no more`)

  await receiver.waitFor((received) => deposits.every((customerId) => FLOW.every((type) =>
    received.some((r) => r.answered === 200 && r.body.eventType === type && r.body.data.customerId === customerId))), scaled(30_000))
  t.ok(receiver.received.every((r) => r.verified), `${receiver.received.length} deliveries, all signed correctly`)
})
