import t from 'tap'
import { startCalypsoMock } from '../../src/index.js'
import { CALYPSO_RETRY_SECONDS } from '../../src/webhooks/retry-schedule.js'
import { eventually } from '../support/helper.js'

const MEM_POOL = 'CUSTOMER_PURSE_MEM_POOL_FOUND'
const CREDITED = 'CUSTOMER_PURSE_TRANSLATION_TO_ACCOUNT_COMPLETED'

t.test('the handle\'s delivery chaos: a forged signature is refused by the built-in receiver and retried; a duplicate is kept once', async (t) => {
  await using calypso = await startCalypsoMock()
  const forged = await calypso.webhookFault({ kind: 'bad-signature', eventType: MEM_POOL })
  t.match(forged, { kind: 'bad-signature', account: calypso.account, times: 1 })
  await calypso.webhookFault({ kind: 'duplicate', eventType: CREDITED })
  const customer = await calypso.request('customer-purse/customer/create', {})
  const tx = await calypso.deposit({ customerId: customer.id, currency: 'BTC', amount: 1 })
  await calypso.waitForWebhook({ transactionId: tx.id, eventType: MEM_POOL })
  const [first] = await eventually(() => calypso.deliveries({ eventType: MEM_POOL }), ([d]) => d?.status === 'delivered')
  t.same(first!.attempts.map((a) => [a.httpStatus, a.faults.map((f) => f.kind)]), [[401, ['bad-signature']], [200, []]], 'refused, then retried with a good Sign')
  await eventually(() => calypso.deliveries({ eventType: CREDITED, status: 'delivered' }), (d) => d.length === 2)
  t.equal(calypso.webhooks().filter((e) => e.eventType === CREDITED).length, 1, 'the receiver keeps an event once by its id')
  t.same(await calypso.clearWebhookFaults(), { cleared: 0, released: 0 }, 'both were used up')
})

t.test('the handle\'s clock: advancing the ladder takes a failing delivery to failed', async (t) => {
  await using calypso = await startCalypsoMock({ webhookRetryScale: 1 })
  await calypso.webhookFault({ kind: 'fail', untilCleared: true })
  const customer = await calypso.request('customer-purse/customer/create', {})
  await calypso.deposit({ customerId: customer.id, currency: 'BTC', amount: 1, stopAt: 'MEM_POOL_FOUND' })
  const ladderMs = CALYPSO_RETRY_SECONDS.reduce((a, b) => a + b, 0) * 1000
  const advanced = await calypso.advanceClock(ladderMs)
  t.equal(advanced.offsetMs, ladderMs)
  const [delivery] = await calypso.deliveries()
  t.equal(delivery!.status, 'failed')
  t.equal(delivery!.attempts.length, 20)
  t.equal((await calypso.clock()).offsetMs, ladderMs)
  t.equal((await calypso.resetClock()).offsetMs, 0)
  t.same(await calypso.clearWebhookFaults(), { cleared: 1, released: 0 })
})
