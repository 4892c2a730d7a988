import t, { type Test } from 'tap'
import { DUE_WINDOW } from '../../src/store/deliveries-repository.js'
import { openStore, type Store } from '../../src/store/open-store.js'

const NOW = Date.parse('2026-01-01T00:00:00.000Z')
const ISO = new Date(NOW).toISOString()

function setUp (t: Test): Store {
  const store = openStore(':memory:')
  t.teardown(() => store.db.close())
  store.accounts.saveConfigured([{ account: 'acme', apiKey: 'k', apiSecret: 's' }], ISO)
  return store
}

function subscribe (store: Store, requestId: string): number {
  return store.subscriptions.create({
    account: 'acme',
    requestId,
    url: `http://127.0.0.1:9/${requestId}`,
    publicKey: 'pk',
    secretKey: 'sk',
    notificationEventTypes: [],
    notificationServiceTypes: [],
    origin: 'api',
    now: ISO
  }).seq
}

function queue (store: Store, subscriptionSeq: number, nextAttemptAt = NOW, customerId: string | null = null): number {
  return store.transaction(() => {
    const eventId = store.events.insert({ account: 'acme', eventType: 'CUSTOMER_BLOCKED', level: 'INFO', customerId, purseId: null, transactionId: null, data: '{}', createdAt: ISO })
    return store.deliveries.insert({ eventId, subscriptionSeq, customerId, body: '{}', nextAttemptAt, now: ISO })
  })
}

const plan = (store: Store): string[] =>
  (store.db.prepare(`EXPLAIN QUERY PLAN ${DUE_WINDOW}`).all({ subscriptionSeq: 1, now: NOW, window: 128 }) as Array<{ detail: string }>).map((row) => row.detail)

const delivered = (store: Store, id: number): void => {
  store.deliveries.recordAttempt(id, { number: 1, startedAt: ISO, durationMs: 1, httpStatus: 200, error: null, response: null, faults: [] }, { status: 'delivered', nextAttemptAt: null, completedAt: ISO })
}

t.test('the due window is read from one covering index: no temp B-tree, no scan of deliveries, no table lookup', async (t) => {
  const store = setUp(t)
  const lanes = [subscribe(store, 'a'), subscribe(store, 'b'), subscribe(store, 'c')]
  for (let i = 0; i < 3000; i++) queue(store, lanes[i % 3] as number, NOW, `customer-${i % 7}`)
  for (const analysed of [false, true]) {
    if (analysed) store.db.exec('ANALYZE')
    const steps = plan(store)
    const where = analysed ? 'with statistics' : 'without statistics'
    t.notOk(steps.some((step) => step.includes('TEMP B-TREE')), `no temp B-tree ${where}: ${steps.join('; ')}`)
    t.ok(steps.some((step) => step.includes('COVERING INDEX deliveries_pending_by_subscription')), `the subscription's pending index alone serves it ${where}: ${steps.join('; ')}`)
    t.notOk(steps.some((step) => /^SCAN deliveries\b(?! USING)/.test(step)), `no delivery is scanned ${where}`)
  }
})

t.test("the head of each lane: a customer's earliest due delivery to each subscription, oldest first", async (t) => {
  const store = setUp(t)
  const a = subscribe(store, 'a')
  const b = subscribe(store, 'b')
  const idle = subscribe(store, 'idle')
  const bAnn = queue(store, b, NOW, 'ann')
  queue(store, b, NOW, 'ann')
  const bBob = queue(store, b, NOW, 'bob')
  const aAnnWaiting = queue(store, a, NOW + 60_000, 'ann')
  const aAnnDue = queue(store, a, NOW, 'ann')
  queue(store, a, NOW, 'ann')
  const aNobody = queue(store, a, NOW, null)
  const idleHead = queue(store, idle, NOW + 1, 'ann')

  const heads = store.deliveries.laneHeads(NOW, 128)
  t.same(heads, [
    { id: bAnn, subscriptionSeq: b, customerId: 'ann' },
    { id: bBob, subscriptionSeq: b, customerId: 'bob' },
    { id: aAnnDue, subscriptionSeq: a, customerId: 'ann' },
    { id: aNobody, subscriptionSeq: a, customerId: null }
  ], 'one per subscription and customer with something due, by id; a retry waiting for its time does not hold up later events')
  t.match(store.deliveries.dueById(bAnn), { id: bAnn, eventType: 'CUSTOMER_BLOCKED', account: 'acme', subscriptionSeq: b, customerId: 'ann', url: 'http://127.0.0.1:9/b', secretKey: 'sk', attempts: 0 })
  t.equal(store.deliveries.nextDueAfter(NOW), NOW + 1, 'the next time something becomes due')

  delivered(store, bAnn)
  t.equal(store.deliveries.dueById(bAnn), undefined, 'a settled delivery is no longer due')
  t.same(store.deliveries.laneHeads(NOW + 60_000, 128).map((h) => h.id), [bAnn + 1, bBob, aAnnWaiting, aNobody, idleHead],
    'a settled head leaves its lane to the next event of its customer; the waiting retry is the head once due')
})

t.test('a lane whose first due delivery lies beyond the window waits for the lanes ahead of it', async (t) => {
  const store = setUp(t)
  const a = subscribe(store, 'a')
  const first = queue(store, a, NOW, 'busy')
  for (let i = 0; i < 3; i++) queue(store, a, NOW, 'busy')
  const other = queue(store, a, NOW, 'other')
  t.same(store.deliveries.laneHeads(NOW, 4).map((h) => h.id), [first], 'only the busy customer is in a window of 4')
  t.same(store.deliveries.laneHeads(NOW, 5).map((h) => h.id), [first, other], 'a window of 5 reaches the other customer')
  delivered(store, first)
  t.same(store.deliveries.laneHeads(NOW, 4).map((h) => h.id), [first + 1, other], 'once the head moves on, the window reaches it')
})

t.test("deliveries carry their event's customer, and a redelivery its original's", async (t) => {
  const store = setUp(t)
  const a = subscribe(store, 'a')
  const id = queue(store, a, NOW, 'ann')
  delivered(store, id)
  const copy = store.deliveries.redeliver(id, NOW) as number
  t.same(store.deliveries.laneHeads(NOW, 128), [{ id: copy, subscriptionSeq: a, customerId: 'ann' }])
})
