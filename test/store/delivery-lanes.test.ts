import t, { type Test } from 'tap'
import { DUE_PER_SUBSCRIPTION } from '../../src/store/deliveries-repository.js'
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

function queue (store: Store, subscriptionSeq: number, nextAttemptAt = NOW): number {
  return store.transaction(() => {
    const eventId = store.events.insert({ account: 'acme', eventType: 'CUSTOMER_BLOCKED', level: 'INFO', customerId: null, purseId: null, transactionId: null, data: '{}', createdAt: ISO })
    return store.deliveries.insert({ eventId, subscriptionSeq, body: '{}', nextAttemptAt, now: ISO })
  })
}

const plan = (store: Store): string[] =>
  (store.db.prepare(`EXPLAIN QUERY PLAN ${DUE_PER_SUBSCRIPTION}`).all({ now: NOW }) as Array<{ detail: string }>).map((row) => row.detail)

t.test('the due query reads each lane\'s head from its index: no temp B-tree, no scan of deliveries', async (t) => {
  const store = setUp(t)
  const lanes = [subscribe(store, 'a'), subscribe(store, 'b'), subscribe(store, 'c')]
  for (let i = 0; i < 3000; i++) queue(store, lanes[i % 3] as number)
  for (const analysed of [false, true]) {
    if (analysed) store.db.exec('ANALYZE')
    const steps = plan(store)
    const where = analysed ? 'with statistics' : 'without statistics'
    t.notOk(steps.some((step) => step.includes('TEMP B-TREE')), `no temp B-tree ${where}: ${steps.join('; ')}`)
    t.ok(steps.some((step) => step.includes('deliveries_pending_by_lane')), `the lane index serves it ${where}`)
    t.notOk(steps.some((step) => /^SCAN (d|h|deliveries)\b/.test(step)), `no delivery is scanned ${where}`)
  }
})

t.test('each subscription\'s earliest due delivery, oldest first; a retry waiting for its time does not hold up later events', async (t) => {
  const store = setUp(t)
  const a = subscribe(store, 'a')
  const b = subscribe(store, 'b')
  const idle = subscribe(store, 'idle')
  const bFirst = queue(store, b)
  queue(store, b)
  const aWaiting = queue(store, a, NOW + 60_000)
  const aDue = queue(store, a)
  queue(store, a)
  const idleHead = queue(store, idle, NOW + 1)

  const due = store.deliveries.duePerSubscription(NOW)
  t.same(due.map((d) => [d.id, d.subscriptionSeq]), [[bFirst, b], [aDue, a]], 'one per lane that has something due, by id')
  t.match(due[0], { eventType: 'CUSTOMER_BLOCKED', account: 'acme', url: 'http://127.0.0.1:9/b', secretKey: 'sk', attempts: 0 })
  t.equal(store.deliveries.nextDueAfter(NOW), NOW + 1, 'the next time something becomes due')

  store.deliveries.recordAttempt(bFirst, { number: 1, startedAt: ISO, durationMs: 1, httpStatus: 200, error: null, response: null, faults: [] }, { status: 'delivered', nextAttemptAt: null, completedAt: ISO })
  t.same(store.deliveries.duePerSubscription(NOW + 60_000).map((d) => d.id), [bFirst + 1, aWaiting, idleHead], 'a settled head leaves its lane; the waiting retry is the head once due')
})
