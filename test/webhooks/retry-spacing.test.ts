import type { FastifyInstance } from 'fastify'
import t from 'tap'
import { build, createCustomer, deposit, manualClock, waitForDeliveries, webhookConfig } from '../support/helper.js'
import { startReceiver } from '../support/webhook-receiver.js'

/**
 * Calypso's documented retry ladder, in seconds after each failed attempt (written out here, not
 * imported: a wrong constant in src/ must fail this test).
 */
const LADDER_SECONDS = [30, 30, 60, 90, 150, 240, 390, 630, 1020, 1650, 2670, 4320, 6990, 11310, 18300, 29610, 47910, 77520, 125430]

/** Lets the dispatcher's pending scan run (it is queued with setImmediate), then says whether it sent anything. */
async function scanned (app: FastifyInstance): Promise<number> {
  app.webhooks.dispatcher.wake()
  await new Promise((resolve) => setImmediate(resolve))
  return app.webhooks.dispatcher.inFlight()
}

/** The one delivery, once it has `attempts` attempts recorded. */
async function afterAttempt (app: FastifyInstance, attempts: number) {
  const [delivery] = await waitForDeliveries(app, (d) => d[0]?.attempts.length === attempts && app.webhooks.dispatcher.inFlight() === 0)
  return delivery!
}

for (const scale of [1, 0.001]) {
  t.test(`at WEBHOOK_RETRY_SCALE=${scale}, each of the 20 attempts goes out when the ladder says, not a millisecond before`, async (t) => {
    const receiver = await startReceiver(t)
    receiver.answer(() => 503)
    const clock = manualClock()
    const app = await build(t, { webhook: webhookConfig(receiver.url, { retryScale: scale }) }, { clock })
    const customer = await createCustomer(app)
    await deposit(app, { customerId: customer.id, currency: 'BTC', amount: 1, stopAt: 'MEM_POOL_FOUND' })
    const first = clock()

    let due = first
    for (const [retry, seconds] of LADDER_SECONDS.entries()) {
      const delivery = await afterAttempt(app, retry + 1)
      t.equal(delivery.attempts[retry]!.startedAt, new Date(due).toISOString(), `attempt ${retry + 1} started when it was due`)
      const wait = seconds * 1000 * scale
      due += wait
      t.equal(delivery.nextAttemptAt, new Date(due).toISOString(), `retry ${retry + 1} is due ${seconds} s × ${scale} later`)
      clock.advance(wait - 1)
      t.equal(await scanned(app), 0, `retry ${retry + 1} is not sent 1 ms early`)
      clock.advance(1)
      t.equal(await scanned(app), 1, `retry ${retry + 1} is sent once due`)
    }
    const last = await afterAttempt(app, 20)
    t.equal(last.attempts[19]!.startedAt, new Date(due).toISOString(), 'the 20th attempt, after the last step')
    t.match(last, { status: 'failed', nextAttemptAt: null }, 'and no 21st')
    t.same(last.attempts.map((a) => Date.parse(a.startedAt) - first), LADDER_SECONDS.reduce<number[]>((at, s) => [...at, at.at(-1)! + s * 1000 * scale], [0]),
      'every attempt against the ladder\'s running sum')
    clock.advance(365 * 24 * 3600_000)
    t.equal(await scanned(app), 0, 'a year later, still nothing')
    t.equal(receiver.received.length, 20)
  })
}

t.test('on the real clock, each retry waits at least its scaled step', async (t) => {
  // The first six steps at 1/1000: 30, 30, 60, 90, 150 and 240 ms. Only a lower bound is asserted;
  // a busy machine makes the gaps longer, never shorter.
  const receiver = await startReceiver(t)
  receiver.answer((_, i) => (i < 6 ? 503 : 200))
  const app = await build(t, { webhook: webhookConfig(receiver.url, { retryScale: 0.001 }) })
  receiver.setSecret(app.webhooks.configured!.secretKey)
  const customer = await createCustomer(app)
  await deposit(app, { customerId: customer.id, currency: 'BTC', amount: 1, stopAt: 'MEM_POOL_FOUND' })
  const [delivery] = await waitForDeliveries(app, (d) => d[0]?.status === 'delivered')
  const started = delivery!.attempts.map((a) => Date.parse(a.startedAt))
  t.equal(started.length, 7)
  for (let retry = 1; retry < started.length; retry++) {
    const gap = started[retry]! - started[retry - 1]!
    t.ok(gap >= LADDER_SECONDS[retry - 1]!, `retry ${retry} came ${gap} ms after the attempt before, at least ${LADDER_SECONDS[retry - 1]} ms`)
  }
})
