import t, { type Test } from 'tap'
import { testConfig } from '../../src/test-config.js'
import { ErrorCode, Reason } from '../../src/errors.js'
import type { DeliveryView } from '../../src/store/deliveries-repository.js'
import { assertError, build, createCustomer, deposit, OTHER_ACCOUNT, waitForDeliveries, webhookConfig } from '../support/helper.js'
import { startReceiver, type ReceivedWebhook } from '../support/webhook-receiver.js'

const FLOW = [
  'CUSTOMER_PURSE_MEM_POOL_FOUND',
  'CUSTOMER_PURSE_PENDING_COMPLIANCE',
  'CUSTOMER_PURSE_FUNDS_RECEIVED_FOR_PURSE',
  'CUSTOMER_PURSE_TRANSLATION_TO_ACCOUNT_COMPLETED'
]
const ACCOUNT = testConfig().accounts[0]!.account

type App = Awaited<ReturnType<typeof build>>

async function setUp (t: Test) {
  const receiver = await startReceiver(t)
  // A merchant's receiver: refuses what does not verify, accepts the rest.
  receiver.answer((_request, _index, verified) => verified ? 200 : 401)
  const app = await build(t, { webhook: webhookConfig(receiver.url), accounts: [...testConfig().accounts, OTHER_ACCOUNT] })
  receiver.setSecret(app.webhooks.configured!.secretKey)
  return { app, receiver }
}

const addFault = (app: App, body: unknown) => app.inject({ method: 'POST', url: '/_mock/webhooks/faults', payload: body as object })
const ids = (received: ReceivedWebhook[]) => received.map((r) => r.body.id)
const deliveries = async (app: App): Promise<DeliveryView[]> => (await app.inject({ method: 'GET', url: '/_mock/webhooks/deliveries' })).json().deliveries

async function depositFlow (app: App) {
  return deposit(app, { customerId: (await createCustomer(app)).id, currency: 'BTC', amount: 1 })
}

t.test('duplicate: each matching event is sent twice; the copy names its fault in the delivery log', async (t) => {
  const { app, receiver } = await setUp(t)
  const fault = (await addFault(app, { kind: 'duplicate', account: ACCOUNT, eventType: 'CUSTOMER_PURSE_FUNDS_RECEIVED_FOR_PURSE' })).json()
  t.match(fault, { kind: 'duplicate', delayMs: 0, times: 1, remaining: 1, untilCleared: false })
  await depositFlow(app)
  await receiver.waitFor((r) => r.length === 5)
  const funds = receiver.received.filter((r) => r.body.eventType === 'CUSTOMER_PURSE_FUNDS_RECEIVED_FOR_PURSE')
  t.equal(funds.length, 2, 'the same event twice')
  t.equal(funds[0]!.rawBody, funds[1]!.rawBody, 'the same bytes, the same id')
  t.ok(funds.every((r) => r.verified), 'both signed correctly')
  const log = await waitForDeliveries(app, (d) => d.length === 5 && d.every((x) => x.status === 'delivered'))
  const copy = log.find((d) => d.redeliveryOf !== null)!
  t.same(copy.attempts[0]!.faults, [{ id: fault.id, kind: 'duplicate' }])
  t.ok(log.filter((d) => d.redeliveryOf === null).every((d) => d.attempts[0]!.faults.length === 0), 'the originals\' attempts name no fault')
  t.same((await app.inject({ method: 'GET', url: '/_mock/webhooks/faults' })).json().faults, [], 'used up')
})

t.test('duplicate with a delay: the copy is due later on the account\'s clock, and an advance sends it', async (t) => {
  const { app, receiver } = await setUp(t)
  await addFault(app, { kind: 'duplicate', delayMs: 3_600_000, eventType: 'CUSTOMER_PURSE_MEM_POOL_FOUND' })
  await depositFlow(app)
  const log = await waitForDeliveries(app, (d) => d.length === 5 && d.filter((x) => x.status === 'delivered').length === 4)
  const copy = log.find((d) => d.redeliveryOf !== null)!
  t.equal(copy.status, 'pending')
  t.equal(receiver.received.length, 4)
  const res = await app.inject({ method: 'POST', url: '/_mock/clock/advance', payload: { ms: 3_600_000 } })
  t.equal(res.json().fired.deliveriesSent, 1)
  t.equal(receiver.received.length, 5, 'sent before the advance answered')
  t.equal(receiver.received[4]!.body.eventType, 'CUSTOMER_PURSE_MEM_POOL_FOUND', 'the first event, again, after the last')
})

t.test('reorder: the next N events are held, then sent in reverse', async (t) => {
  const { app, receiver } = await setUp(t)
  const fault = (await addFault(app, { kind: 'reorder', count: 3 })).json()
  await depositFlow(app)
  await receiver.waitFor((r) => r.length === 4)
  t.same(receiver.received.map((r) => r.body.eventType), [FLOW[2], FLOW[1], FLOW[0], FLOW[3]], 'the first three in reverse, then the fourth')
  const log = await waitForDeliveries(app, (d) => d.length === 4 && d.every((x) => x.status === 'delivered'))
  const held = log.filter((d) => d.attempts[0]!.faults.length > 0).map((d) => d.eventType).sort()
  t.same(held, [FLOW[0], FLOW[1], FLOW[2]].sort(), 'each held event\'s attempt names the fault')
  t.same(log.find((d) => d.eventType === FLOW[0])!.attempts[0]!.faults, [{ id: fault.id, kind: 'reorder' }])
})

t.test('reorder: clearing the faults sends what is held, in its order', async (t) => {
  const { app, receiver } = await setUp(t)
  await addFault(app, { kind: 'reorder', count: 10 })
  await depositFlow(app)
  await waitForDeliveries(app, (d) => d.length === 4 && d.every((x) => x.nextAttemptAt === null))
  t.equal(receiver.received.length, 0, 'all four held')
  const ofAccount = (await app.inject({ method: 'DELETE', url: `/_mock/webhooks/faults?account=${ACCOUNT}` })).json()
  t.same(ofAccount, { cleared: 0, released: 0 }, 'a fault for every account is not one account\'s to clear')
  t.same((await app.inject({ method: 'DELETE', url: '/_mock/webhooks/faults' })).json(), { cleared: 0, released: 4 }, 'the fault was taken by its one batch; what it holds goes')
  await receiver.waitFor((r) => r.length === 4)
  t.same(receiver.received.map((r) => r.body.eventType), FLOW)
})

t.test('delay: each send waits, and says so', async (t) => {
  const { app, receiver } = await setUp(t)
  const fault = (await addFault(app, { kind: 'delay', delayMs: 20, times: 2 })).json()
  await depositFlow(app)
  await receiver.waitFor((r) => r.length === 4)
  const log = await waitForDeliveries(app, (d) => d.length === 4 && d.every((x) => x.status === 'delivered'))
  const delayed = log.filter((d) => d.attempts[0]!.faults.length > 0)
  t.equal(delayed.length, 2, 'counted: two sends')
  t.same(delayed[0]!.attempts[0]!.faults, [{ id: fault.id, kind: 'delay' }])
})

t.test('bad-signature: a forged Sign, refused by the receiver, retried on the schedule with a good one', async (t) => {
  const { app, receiver } = await setUp(t)
  const fault = (await addFault(app, { kind: 'bad-signature', eventType: 'CUSTOMER_PURSE_MEM_POOL_FOUND' })).json()
  await depositFlow(app)
  await receiver.waitFor((r) => r.filter((x) => x.answered === 200).length === 4)
  const first = receiver.received.filter((r) => r.body.eventType === FLOW[0])
  t.same(first.map((r) => [r.verified, r.answered]), [[false, 401], [true, 200]])
  t.equal(first[0]!.rawBody, first[1]!.rawBody, 'the same bytes; only Sign differs')
  const log = await waitForDeliveries(app, (d) => d.length === 4 && d.every((x) => x.status === 'delivered'))
  const attempts = log.find((d) => d.eventType === FLOW[0])!.attempts
  t.same(attempts.map((a) => [a.httpStatus, a.faults]), [[401, [{ id: fault.id, kind: 'bad-signature' }]], [200, []]])
})

t.test('stale: after a delivered event, the first event of the same customer goes again, later', async (t) => {
  const { app, receiver } = await setUp(t)
  const fault = (await addFault(app, { kind: 'stale', eventType: 'CUSTOMER_PURSE_TRANSLATION_TO_ACCOUNT_COMPLETED' })).json()
  await depositFlow(app)
  await receiver.waitFor((r) => r.length === 5)
  t.same(receiver.received.map((r) => r.body.eventType), [...FLOW, FLOW[0]], 'the mempool event arrives after the credit')
  t.ok(ids(receiver.received)[4]! < ids(receiver.received)[3]!, 'with an older id')
  const log = await waitForDeliveries(app, (d) => d.length === 5 && d.every((x) => x.status === 'delivered'))
  t.same(log[0]!.attempts[0]!.faults, [{ id: fault.id, kind: 'stale' }])
})

t.test('fail, the default kind, still answers as before; until cleared lasts until cleared', async (t) => {
  const { app, receiver } = await setUp(t)
  const fault = (await addFault(app, { kind: 'bad-signature', untilCleared: true, account: OTHER_ACCOUNT.account })).json()
  t.match(fault, { times: null, remaining: null, untilCleared: true })
  const failing = (await addFault(app, { status: 503 })).json()
  t.match(failing, { kind: 'fail', status: 503, times: 1 })
  await depositFlow(app)
  await receiver.waitFor((r) => r.length === 4)
  const log = await waitForDeliveries(app, (d) => d.length === 4 && d.every((x) => x.status === 'delivered'))
  const failed = log.find((d) => d.attempts.length === 2)!
  t.same(failed.attempts[0]!.faults, [{ id: failing.id, kind: 'fail' }])
  t.equal(failed.attempts[0]!.error, Reason.injectedWebhookFault(503, failing.id))
  t.same((await app.inject({ method: 'GET', url: '/_mock/webhooks/faults' })).json().faults.map((f: { id: number }) => f.id), [fault.id], 'the other account\'s fault waits on')
  t.same((await app.inject({ method: 'DELETE', url: `/_mock/webhooks/faults?account=${OTHER_ACCOUNT.account}` })).json(), { cleared: 1, released: 0 })
})

t.test('bad input: a clear 4xx in Calypso\'s error body, and nothing changes', async (t) => {
  const { app } = await setUp(t)
  const cases: Array<[unknown, string | RegExp]> = [
    [{ kind: 'shuffle' }, /kind/],
    [{ kind: 'fail', delayMs: 5 }, Reason.faultFieldNotOfKind('delayMs', 'fail')],
    [{ kind: 'duplicate', status: 500 }, Reason.faultFieldNotOfKind('status', 'duplicate')],
    [{ kind: 'bad-signature', count: 2 }, Reason.faultFieldNotOfKind('count', 'bad-signature')],
    [{ kind: 'reorder' }, Reason.faultFieldNeeded('count', 'reorder')],
    [{ kind: 'reorder', count: 1 }, /count/],
    [{ kind: 'delay' }, Reason.faultFieldNeeded('delayMs', 'delay')],
    [{ kind: 'delay', delayMs: 60_001 }, Reason.sendDelayTooLong(60_000)],
    [{ kind: 'stale', times: 2, untilCleared: true }, Reason.timesOrUntilCleared],
    [{ kind: 'stale', untilCleared: false }, /untilCleared/],
    [{ kind: 'duplicate', delay: 5 }, /delay/],
    [{ kind: 'duplicate', eventType: 'CUSTOMER_PURSE_NOPE' }, /eventType/],
    [[], /body/]
  ]
  for (const [body, mention] of cases) assertError(t, await addFault(app, body), ErrorCode.BAD_REQUEST, mention)
  assertError(t, await addFault(app, { kind: 'stale', account: '0x00000000000000000000000000000000000000ff' }), ErrorCode.NOT_FOUND)
  assertError(t, await app.inject({ method: 'DELETE', url: '/_mock/webhooks/faults?acount=1' }), ErrorCode.BAD_REQUEST, /acount/)
  t.same((await app.inject({ method: 'GET', url: '/_mock/webhooks/faults' })).json().faults, [], 'nothing was added')
  t.same(await deliveries(app), [])
})
