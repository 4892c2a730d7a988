import { join } from 'node:path'
import t, { type Test } from 'tap'
import type { Config } from '../../src/config.js'
import type { BuildOptions } from '../../src/app.js'
import { testConfig } from '../../src/test-config.js'
import type { DeliveryView } from '../../src/store/deliveries-repository.js'
import { DispatcherLog } from '../../src/webhooks/dispatcher.js'
import { build, createCustomer, deposit, eventually, manualClock, OTHER_ACCOUNT, tempDir, waitForDeliveries, webhookConfig } from '../support/helper.js'
import { captureLogs } from '../support/log-capture.js'
import { outcomeWithin } from '../support/time-scale.js'
import { startReceiver, type ReceivedWebhook } from '../support/webhook-receiver.js'

const FLOW = [
  'CUSTOMER_PURSE_MEM_POOL_FOUND',
  'CUSTOMER_PURSE_PENDING_COMPLIANCE',
  'CUSTOMER_PURSE_FUNDS_RECEIVED_FOR_PURSE',
  'CUSTOMER_PURSE_TRANSLATION_TO_ACCOUNT_COMPLETED'
]
const [MEM_POOL, PENDING, FUNDS, CREDITED] = FLOW as [string, string, string, string]
const ACCOUNT = testConfig().accounts[0]!.account.toLowerCase()
const OTHER = OTHER_ACCOUNT.account.toLowerCase()

type App = Awaited<ReturnType<typeof build>>
type Behaviour = Parameters<Awaited<ReturnType<typeof startReceiver>>['answer']>[0]

/** A receiver that refuses what does not verify, and an app with two accounts delivering to it. */
async function setUp (t: Test, webhook: Partial<Config['webhook']> = {}, options: BuildOptions = {}) {
  const receiver = await startReceiver(t)
  receiver.answer((_request, _index, verified) => verified ? 200 : 401)
  const app = await build(t, { webhook: webhookConfig(receiver.url, webhook), accounts: [...testConfig().accounts, OTHER_ACCOUNT] }, options)
  receiver.setSecret(app.webhooks.configured!.secretKey)
  return { app, receiver }
}

/** A promise the test opens by hand: a receiver's answer held back until the test says so. */
function gate () {
  let open!: () => void
  const opened = new Promise<void>((resolve) => { open = resolve })
  return { opened, open }
}

const addFault = async (app: App, body: object) => {
  const res = await app.inject({ method: 'POST', url: '/_mock/webhooks/faults', payload: body })
  if (res.statusCode !== 201) throw new Error(`fault refused: ${res.body}`)
  return res.json() as { id: number, kind: string, remaining: number | null }
}
const listFaults = async (app: App) => (await app.inject({ method: 'GET', url: '/_mock/webhooks/faults' })).json().faults as Array<{ id: number, kind: string, remaining: number | null }>
const clearFaults = async (app: App, account?: string) =>
  (await app.inject({ method: 'DELETE', url: account === undefined ? '/_mock/webhooks/faults' : `/_mock/webhooks/faults?account=${account}` })).json()
const of = (account: string) => `?account=${account}`
const types = (received: ReceivedWebhook[]) => received.map((r) => r.body.eventType)
const byEvent = (log: DeliveryView[], eventType: string) => log.filter((d) => d.eventType === eventType)
/** Held by a reorder fault: pending, never tried, with no due time. */
const held = (d: DeliveryView) => d.status === 'pending' && d.attempts.length === 0 && d.nextAttemptAt === null

async function depositFlow (app: App, options: { as?: typeof OTHER_ACCOUNT } = {}, extra: Record<string, unknown> = {}) {
  const customer = await createCustomer(app, {}, options.as === undefined ? {} : { as: options.as })
  return deposit(app, { customerId: customer.id, currency: 'BTC', amount: 1, ...extra })
}

t.test('reorder for one account: another account\'s events pass its batch by, and clearing every fault releases it', async (t) => {
  const { app, receiver } = await setUp(t)
  await addFault(app, { kind: 'reorder', count: 5, account: ACCOUNT })
  await depositFlow(app)
  const mine = await waitForDeliveries(app, (d) => d.length === 4 && d.every((x) => x.nextAttemptAt === null), of(ACCOUNT))
  t.ok(mine.every(held), 'all four of the account\'s events join the one batch')

  await depositFlow(app, { as: OTHER_ACCOUNT })
  const others = await waitForDeliveries(app, (d) => d.length === 4 && d.every((x) => x.status === 'delivered'), of(OTHER))
  t.same(others.map((d) => d.attempts.map((a) => a.faults)), [[[]], [[]], [[]], [[]]], 'the other account\'s events are sent once each, under no fault')
  t.same(types(receiver.received), FLOW, 'in their order')
  t.ok((await waitForDeliveries(app, () => true, of(ACCOUNT))).every(held), 'the batch still holds the account\'s four')

  t.same(await clearFaults(app), { cleared: 0, released: 4 }, 'a full clear releases a batch of one account')
  await receiver.waitFor((r) => r.length === 8)
  t.same(types(receiver.received.slice(4)), FLOW, 'in their order')
})

t.test('reorder for one account: clearing that account\'s faults releases its batch, another account\'s clear does not', async (t) => {
  const { app, receiver } = await setUp(t)
  await addFault(app, { kind: 'reorder', count: 10, account: ACCOUNT })
  await depositFlow(app)
  await waitForDeliveries(app, (d) => d.length === 4 && d.every(held))
  t.same(await clearFaults(app, OTHER), { cleared: 0, released: 0 })
  t.same(await clearFaults(app, ACCOUNT), { cleared: 0, released: 4 })
  await receiver.waitFor((r) => r.length === 4)
  t.same(types(receiver.received), FLOW)
})

t.test('reorder for one event type: events of other types pass, the next of its type completes the batch', async (t) => {
  const { app, receiver } = await setUp(t)
  const fault = await addFault(app, { kind: 'reorder', count: 2, eventType: FUNDS })
  await depositFlow(app)
  const first = await waitForDeliveries(app, (d) => d.length === 4 && d.every((x) => x.nextAttemptAt === null))
  t.ok(held(byEvent(first, FUNDS)[0]!), 'the funds event is held')
  t.ok(first.filter((d) => d.eventType !== FUNDS).every((d) => d.status === 'delivered'), 'the other three are delivered')
  t.same(types(receiver.received), [MEM_POOL, PENDING, CREDITED])

  await depositFlow(app)
  await receiver.waitFor((r) => r.length === 8)
  t.same(types(receiver.received.slice(3)), [MEM_POOL, PENDING, FUNDS, FUNDS, CREDITED], 'the second funds event releases the batch')
  const funds = receiver.received.filter((r) => r.body.eventType === FUNDS)
  t.ok(funds[0]!.body.id > funds[1]!.body.id, 'in reverse: the newer first')
  const log = await waitForDeliveries(app, (d) => d.length === 8 && d.every((x) => x.status === 'delivered'))
  t.same(byEvent(log, FUNDS).map((d) => d.attempts[0]!.faults), [[{ id: fault.id, kind: 'reorder' }], [{ id: fault.id, kind: 'reorder' }]])
})

t.test('reorder: while the last event of a batch is in flight, the batch takes no more', async (t) => {
  const { app, receiver } = await setUp(t)
  const lastOut = gate()
  const arrived = gate()
  // The batch of two sends PENDING (request 0), then MEM_POOL (request 1): this one is held back.
  receiver.answer(async (_request, index) => {
    if (index === 1) {
      arrived.open()
      await lastOut.opened
    }
    return 200
  })
  const fault = await addFault(app, { kind: 'reorder', count: 2 })
  await depositFlow(app)
  await arrived.opened

  await depositFlow(app, { as: OTHER_ACCOUNT })
  const others = await waitForDeliveries(app, (d) => d.length === 4 && d.every((x) => x.status === 'delivered'), of(OTHER))
  t.same(others.map((d) => d.attempts.map((a) => a.faults)), [[[]], [[]], [[]], [[]]], 'the other account\'s events are neither held nor marked')

  lastOut.open()
  const mine = await waitForDeliveries(app, (d) => d.length === 4 && d.every((x) => x.status === 'delivered'), of(ACCOUNT))
  t.same(mine.map((d) => [d.eventType, d.attempts.map((a) => a.faults)]).reverse(), [
    [MEM_POOL, [[{ id: fault.id, kind: 'reorder' }]]],
    [PENDING, [[{ id: fault.id, kind: 'reorder' }]]],
    [FUNDS, [[]]],
    [CREDITED, [[]]]
  ], 'the batch was the account\'s first two events')
})

t.test('duplicate: a copy is not duplicated again, nor is a retry of the original', async (t) => {
  const { app, receiver } = await setUp(t)
  // The original's first attempt is refused: its retry is not a first attempt.
  receiver.answer((_request, index, verified) => index === 0 || !verified ? 500 : 200)
  const fault = await addFault(app, { kind: 'duplicate', times: 2, eventType: MEM_POOL })
  await depositFlow(app)
  const log = await waitForDeliveries(app, (d) => d.length >= 5 && d.every((x) => x.status === 'delivered'))
  t.equal(log.length, 5, 'one copy')
  const [original, copy] = byEvent(log, MEM_POOL).sort((a, b) => a.id - b.id)
  t.same(original!.attempts.map((a) => [a.httpStatus, a.faults]), [[500, []], [200, []]])
  t.same(copy!.attempts.map((a) => [a.httpStatus, a.faults]), [[200, [{ id: fault.id, kind: 'duplicate' }]]])
  t.same((await listFaults(app)).map((f) => [f.id, f.remaining]), [[fault.id, 1]], 'one use left')
})

t.test('duplicate: a copy refused by the receiver is retried, and its retry still names the fault', async (t) => {
  const { app, receiver } = await setUp(t)
  // Requests 0-3 are the originals; request 4 is the copy, queued after all four.
  receiver.answer((_request, index) => index === 4 ? 503 : 200)
  const fault = await addFault(app, { kind: 'duplicate', eventType: MEM_POOL })
  await depositFlow(app)
  const log = await waitForDeliveries(app, (d) => d.length === 5 && d.every((x) => x.status === 'delivered'))
  const copy = log.find((d) => d.redeliveryOf !== null)!
  t.equal(copy.eventType, MEM_POOL)
  t.same(copy.attempts.map((a) => [a.httpStatus, a.faults]), [[503, [{ id: fault.id, kind: 'duplicate' }]], [200, [{ id: fault.id, kind: 'duplicate' }]]])
})

t.test('duplicate with a delay: the copy is due exactly delayMs after the original was sent', async (t) => {
  const clock = manualClock()
  const { app, receiver } = await setUp(t, {}, { clock })
  await addFault(app, { kind: 'duplicate', delayMs: 3_600_000, eventType: CREDITED })
  await depositFlow(app)
  // The copy is queued before the original's attempt is recorded.
  const log = await waitForDeliveries(app, (d) => d.length === 5 && byEvent(d, CREDITED).some((x) => x.redeliveryOf === null && x.status === 'delivered'))
  const copy = log.find((d) => d.redeliveryOf !== null)!
  t.equal(copy.status, 'pending')
  t.equal(copy.nextAttemptAt, new Date(clock() + 3_600_000).toISOString())
  t.equal(receiver.received.length, 4)
  clock.advance(3_600_000)
  app.webhooks.dispatcher.wake()
  await receiver.waitFor((r) => r.length === 5)
  t.equal(receiver.received[4]!.body.eventType, CREDITED)
})

t.test('a redelivery asked for is neither duplicated nor followed by a stale replay', async (t) => {
  const { app, receiver } = await setUp(t)
  await depositFlow(app)
  const log = await waitForDeliveries(app, (d) => d.length === 4 && d.every((x) => x.status === 'delivered'))
  const stale = await addFault(app, { kind: 'stale', eventType: CREDITED })
  const duplicate = await addFault(app, { kind: 'duplicate', eventType: CREDITED })
  const res = await app.inject({ method: 'POST', url: `/_mock/webhooks/deliveries/${byEvent(log, CREDITED)[0]!.id}/redeliver`, payload: {} })
  t.equal(res.statusCode, 202)
  const after = await waitForDeliveries(app, (d) => d.length >= 5 && d.every((x) => x.status === 'delivered'))
  t.equal(after.length, 5, 'only the redelivery')
  t.same(after.find((d) => d.id === res.json().id)!.attempts.map((a) => a.faults), [[]])
  t.same(types(receiver.received), [...FLOW, CREDITED])
  t.same((await listFaults(app)).map((f) => [f.id, f.remaining]), [[stale.id, 1], [duplicate.id, 1]], 'neither fault was used')
})

t.test('stale: the first event of a customer has nothing older to replay, and the fault waits on', async (t) => {
  const { app, receiver } = await setUp(t)
  const fault = await addFault(app, { kind: 'stale', eventType: MEM_POOL })
  await depositFlow(app)
  const log = await waitForDeliveries(app, (d) => d.length >= 4 && d.every((x) => x.status === 'delivered'))
  t.equal(log.length, 4, 'no replay')
  t.same(types(receiver.received), FLOW)
  t.same((await listFaults(app)).map((f) => [f.id, f.remaining]), [[fault.id, 1]])
})

t.test('stale: a refused attempt replays nothing; its successful retry does', async (t) => {
  const { app, receiver } = await setUp(t, { retryScale: 1 })
  receiver.answer((_request, index) => index === 1 ? 500 : 200)
  const fault = await addFault(app, { kind: 'stale', eventType: PENDING })
  await depositFlow(app)
  const log = await waitForDeliveries(app, (d) => byEvent(d, CREDITED)[0]?.status === 'delivered' && byEvent(d, PENDING)[0]?.attempts.length === 1)
  t.equal(log.length, 4, 'nothing replayed after the refused attempt')
  t.same((await listFaults(app)).map((f) => [f.id, f.remaining]), [[fault.id, 1]])

  const advanced = await app.inject({ method: 'POST', url: '/_mock/clock/advance', payload: { ms: 30_000 } })
  t.equal(advanced.statusCode, 200)
  const after = await waitForDeliveries(app, (d) => d.length === 5 && d.every((x) => x.status === 'delivered'))
  t.same(types(receiver.received), [MEM_POOL, PENDING, FUNDS, CREDITED, PENDING, MEM_POOL], 'the retry, then the replay')
  t.same(after.find((d) => d.redeliveryOf !== null)!.attempts[0]!.faults, [{ id: fault.id, kind: 'stale' }])
})

t.test('stale: an attempt whose delivery an account reset deleted meanwhile ends quietly', async (t) => {
  const { app, receiver } = await setUp(t)
  const answer = gate()
  const arrived = gate()
  const behaviour: Behaviour = async () => {
    arrived.open()
    await answer.opened
    return 200
  }
  receiver.answer(behaviour)
  await addFault(app, { kind: 'stale', account: ACCOUNT })
  await depositFlow(app, {}, { stopAt: 'MEM_POOL_FOUND' })
  await arrived.opened
  const reset = await app.inject({ method: 'POST', url: '/_mock/reset', payload: { account: ACCOUNT } })
  t.equal(reset.statusCode, 200)
  answer.open()
  await eventually(() => app.webhooks.dispatcher.inFlight(), (n) => n === 0)
  t.same(await waitForDeliveries(app, () => true), [], 'nothing recorded for the deleted delivery')

  receiver.answer(() => 200)
  await depositFlow(app)
  await receiver.waitFor((r) => r.length === 6)
  t.same(types(receiver.received.slice(1)), [...FLOW, MEM_POOL], 'delivery goes on, and the fault still replays')
})

t.test('delay: a send waiting out its delay is cut short by shutdown, not sent, and goes once after the restart', async (t) => {
  const databasePath = join(tempDir(t), 'mock.db')
  const receiver = await startReceiver(t)
  const webhook = webhookConfig(receiver.url, { timeoutMs: 300 })
  const first = await build(t, { databasePath, webhook })
  receiver.setSecret(first.webhooks.configured!.secretKey)
  await addFault(first, { kind: 'delay', delayMs: 60_000, eventType: MEM_POOL })
  await addFault(first, { kind: 'duplicate', eventType: MEM_POOL })
  await depositFlow(first, {}, { stopAt: 'MEM_POOL_FOUND' })
  await eventually(() => first.webhooks.dispatcher.inFlight(), (n) => n === 1)
  t.equal(await outcomeWithin(first.close(), 10_000), 'resolved', 'shutdown does not wait out the delay')
  t.same(receiver.received, [], 'nothing was sent')

  const second = await build(t, { databasePath, webhook })
  const log = await waitForDeliveries(second, (d) => d.length >= 1 && d.every((x) => x.status !== 'pending'))
  t.same(log.map((d) => [d.eventType, d.status, d.redeliveryOf, d.attempts.map((a) => [a.httpStatus, a.faults])]), [[MEM_POOL, 'delivered', null, [[200, []]]]], 'one delivery, no copy, sent once')
  t.equal(receiver.received.length, 1)
  t.ok(receiver.received[0]!.verified)
})

t.test('a full reset forgets what a reorder fault held: later events are sent in order, under no fault', async (t) => {
  const { app, receiver } = await setUp(t)
  await addFault(app, { kind: 'reorder', count: 6 })
  await depositFlow(app)
  await waitForDeliveries(app, (d) => d.length === 4 && d.every(held))
  t.equal((await app.inject({ method: 'POST', url: '/_mock/reset', payload: {} })).statusCode, 200)

  await depositFlow(app)
  await receiver.waitFor((r) => r.length === 4)
  t.same(types(receiver.received), FLOW)
  const log = await waitForDeliveries(app, (d) => d.length === 4 && d.every((x) => x.status === 'delivered'))
  t.ok(log.every((d) => d.attempts[0]!.faults.length === 0))
})

t.test('a plain delivery under no fault logs no listener failure', async (t) => {
  const logs = captureLogs()
  const { app } = await setUp(t, {}, { logger: logs.logger })
  await depositFlow(app)
  await logs.waitFor((lines) => lines.filter((l) => l.msg === DispatcherLog.delivered).length === 4)
  t.same(logs.lines.filter((l) => l.msg === DispatcherLog.listenerFailed), [])
})
