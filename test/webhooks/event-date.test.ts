import t from 'tap'
import { systemClock } from '../../src/clock.js'
import { webhookDate } from '../../src/webhooks/outbox.js'
import { build, createCustomer, deposit, manualClock, webhookConfig } from '../support/helper.js'
import { startReceiver } from '../support/webhook-receiver.js'

const SECOND = Date.parse('2025-10-30T14:08:39.000Z')

t.test('an event date is a Java LocalDateTime: UTC, no zone, microseconds, trailing zeros dropped', async (t) => {
  const cases: Array<[number, string]> = [
    [SECOND + 960.68, '2025-10-30T14:08:39.96068'],
    [SECOND + 900, '2025-10-30T14:08:39.9'],
    [SECOND, '2025-10-30T14:08:39'],
    [SECOND + 0.001, '2025-10-30T14:08:39.000001'],
    [SECOND + 999.999, '2025-10-30T14:08:39.999999'],
    [SECOND + 120, '2025-10-30T14:08:39.12'],
    [Date.parse('2025-10-30T14:08:00.000Z'), '2025-10-30T14:08:00']
  ]
  for (const [ms, expected] of cases) t.equal(webhookDate(ms), expected, expected)
})

t.test('the machine clock: Date.now() for the milliseconds, the monotonic clock for the microseconds below them, never stepping back', async (t) => {
  // The operating system's two clocks, replaced for this test: the readings are known, not waited for.
  const { now } = Date
  const { bigint } = process.hrtime
  t.teardown(() => { Date.now = now; process.hrtime.bigint = bigint })
  const FUTURE = Date.parse('2099-01-02T03:04:05.000Z') // after any reading this process made for real
  let ms = FUTURE + 678
  let ns = 5_000_123_456_789n
  Date.now = () => ms
  process.hrtime.bigint = () => ns
  const micros = () => Math.round(systemClock() * 1000)

  t.equal(micros(), (FUTURE + 678) * 1000 + 456, 'the microsecond digits are the monotonic clock\'s (…123 456 789 ns: 456 µs)')
  ns += 300_000n
  t.equal(micros(), (FUTURE + 678) * 1000 + 756, 'they move with it')
  ns += 300_000n
  t.equal(micros(), (FUTURE + 678) * 1000 + 757, 'rolled over before Date.now() ticked: one microsecond on, not back to 056')
  ms += 1
  t.equal(micros(), (FUTURE + 679) * 1000 + 56, 'Date.now() ticked: the sum again')
  ms -= 5000
  t.equal(micros(), (FUTURE + 679) * 1000 + 57, 'the wall clock set back: still one microsecond on')

  const app = await build(t)
  ms = FUTURE + 10_000
  t.equal(Math.round(app.preciseClock() * 1000), (FUTURE + 10_000) * 1000 + 56, 'an app reads this clock unless one is injected')
  t.equal(app.clock(), FUTURE + 10_000, 'the clock everything else reads drops the microseconds')
  t.equal(webhookDate(app.preciseClock()), '2099-01-02T03:04:15.000058', 'and an event date keeps them')
})

t.test('delivered events carry the date of the injected clock in each of its shapes', async (t) => {
  const receiver = await startReceiver(t)
  const clock = manualClock(SECOND + 960.68)
  const app = await build(t, { webhook: webhookConfig(receiver.url) }, { clock })
  receiver.setSecret(app.webhooks.configured!.secretKey)
  const customer = await createCustomer(app)
  const expected = ['2025-10-30T14:08:39.96068', '2025-10-30T14:08:40.9', '2025-10-30T14:08:41']
  for (const [i, offset] of [960.68, 1900, 2000].entries()) {
    clock.set(SECOND + offset)
    await deposit(app, { customerId: customer.id, currency: 'BTC', amount: 1, stopAt: 'MEM_POOL_FOUND' })
    await receiver.waitFor((r) => r.length === i + 1)
  }
  t.same(receiver.received.map((r) => r.body.createdDate), expected)
  const tx = await deposit(app, { customerId: customer.id, currency: 'BTC', amount: 1, stopAt: 'MEM_POOL_FOUND' })
  t.equal(tx.createdDate, '2025-10-30T14:08:41.000Z', 'API dates keep Calypso\'s ISO-8601 with milliseconds and Z')
})
