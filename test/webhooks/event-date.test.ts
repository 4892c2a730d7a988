import t from 'tap'
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

t.test('the machine clock gives microseconds, and the date keeps them', async (t) => {
  const app = await build(t)
  const readings = Array.from({ length: 5 }, () => app.preciseClock())
  t.ok(readings.every((ms) => Math.abs(ms - Date.now()) < 1000), 'it is the machine\'s time')
  t.ok(readings.some((ms) => !Number.isInteger(ms)), 'with a fraction of a millisecond')
  t.ok(readings.every((ms) => Math.abs(ms * 1000 - Math.round(ms * 1000)) < 0.01), 'in whole microseconds')
  t.match(webhookDate(readings[0]!), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{0,5}[1-9])?$/)
  t.ok(Number.isInteger(app.clock()), 'the clock everything else reads has whole milliseconds')
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
