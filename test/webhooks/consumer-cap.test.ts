import t from 'tap'
import { MAX_CONSUMERS } from '../../src/webhooks/delivery-waiters.js'
import { build, createCustomer, deposit, waitForDeliveries, webhookConfig } from '../support/helper.js'
import { startReceiver } from '../support/webhook-receiver.js'

const FUNDS = 'CUSTOMER_PURSE_FUNDS_RECEIVED_FOR_PURSE'

t.test(`the record of what each consumer was handed keeps ${MAX_CONSUMERS} consumers, forgetting the one that waited longest ago`, async (t) => {
  const receiver = await startReceiver(t)
  const app = await build(t, { webhook: webhookConfig(receiver.url) })
  const customer = await createCustomer(app)
  await deposit(app, { customerId: customer.id, currency: 'BTC', amount: 1 })
  await waitForDeliveries(app, (d) => d.length === 4 && d.every((x) => x.status === 'delivered'))
  const wait = (consumer: string, timeoutMs = 10_000) =>
    app.inject({ method: 'GET', url: `/_mock/webhooks/wait?eventType=${FUNDS}&consumer=${consumer}&timeoutMs=${timeoutMs}` })

  t.equal((await wait('oldest')).statusCode, 200, 'the oldest consumer is handed the event')
  t.equal((await wait('oldest', 1)).statusCode, 408, 'and only once, while it is remembered')
  for (let i = 0; i < MAX_CONSUMERS; i++) t.equal((await wait(`suite-${i}`)).statusCode, 200)
  t.equal(app.webhooks.waiters.consumers(), MAX_CONSUMERS, 'the record stops growing')
  t.equal((await wait(`suite-${MAX_CONSUMERS - 1}`, 1)).statusCode, 408, 'the most recent consumer is remembered')
  t.equal((await wait('oldest')).statusCode, 200, 'the oldest was forgotten: it is handed the event again')
})
