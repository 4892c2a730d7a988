import t from 'tap'
import { DispatcherLog } from '../../src/webhooks/dispatcher.js'
import { build, createCustomer, deposit, waitForDeliveries, webhookConfig } from '../support/helper.js'
import { captureLogs } from '../support/log-capture.js'
import { startReceiver } from '../support/webhook-receiver.js'

t.test('an attempt that cannot be recorded pauses delivery: no resend storm, one error line a second per cause, and delivery resumes by itself', async (t) => {
  const logs = captureLogs()
  const receiver = await startReceiver(t)
  const app = await build(t, { webhook: webhookConfig(receiver.url) }, { logger: logs.logger })
  receiver.setSecret(app.webhooks.configured!.secretKey)
  let arrived!: () => void
  let release!: () => void
  const firstArrived = new Promise<void>((resolve) => { arrived = resolve })
  const gate = new Promise<void>((resolve) => { release = resolve })
  receiver.answer(async (_request, index) => {
    if (index === 0) {
      arrived()
      await gate
    }
    return 200
  })

  const customer = await createCustomer(app)
  await deposit(app, { customerId: customer.id, currency: 'BTC', amount: 1 })
  await firstArrived
  // From here every write fails, as on a full disk: the receiver's 200 cannot be recorded.
  app.store.db.pragma('query_only = ON')
  release()

  const failed = (lines: typeof logs.lines) => lines.filter((l) => l.msg === DispatcherLog.recordFailed)
  await logs.waitFor((lines) => failed(lines).length >= 2)
  t.equal(receiver.received.length, 1, 'the delivery whose attempt could not be recorded was not sent again')
  const [first, second] = failed(logs.lines)
  t.equal(first!.level, 50, 'logged at error')
  t.equal(first!.cause, 'SQLITE_READONLY')
  t.equal(first!.count, 1)
  t.ok((second!.count as number) > 1, `the next line, a second later, counts the ${String(second!.count)} failures it stands for`)
  t.ok((second!.time as number) - (first!.time as number) >= 1000, 'at most one line a second')
  t.equal(app.webhooks.dispatcher.inFlight(), 0, 'nothing is being sent while paused')

  app.store.db.pragma('query_only = OFF')
  await logs.waitFor((lines) => lines.some((l) => l.msg === DispatcherLog.resumed))
  const deliveries = await waitForDeliveries(app, (d) => d.length === 4 && d.every((x) => x.status === 'delivered'))
  t.same(deliveries.map((d) => d.attempts.length), [1, 1, 1, 1], 'the 200 held in memory was recorded, not sent again')
  t.equal(new Set(receiver.received.map((r) => r.body.id)).size, 4, 'every event arrived')
  t.equal(receiver.received.length, 4, 'and each was sent once')
})
