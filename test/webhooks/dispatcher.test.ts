import type { FastifyInstance } from 'fastify'
import t, { type Test } from 'tap'
import { DEFAULT_ACCOUNT } from '../../src/demo-credentials.js'
import type { DueDelivery } from '../../src/store/deliveries-repository.js'
import { testConfig } from '../../src/test-config.js'
import { createDispatcher, DispatcherLog, type DispatcherOptions } from '../../src/webhooks/dispatcher.js'
import type { SendResult } from '../../src/webhooks/send-webhook.js'
import { armedTimers } from '../support/armed-timers.js'
import { build, createCustomer, deposit, manualClock, OTHER_ACCOUNT, signedPost, webhookConfig } from '../support/helper.js'
import { captureLogs, type LogLine } from '../support/log-capture.js'
import { outcomeWithin, scaled } from '../support/time-scale.js'
import { startReceiver } from '../support/webhook-receiver.js'

const OK: SendResult = { ok: true, httpStatus: 200, error: null, response: 'OK', durationMs: 0 }
const REFUSED: SendResult = { ok: false, httpStatus: 503, error: 'HTTP 503: only 200 completes a delivery', response: 'not now', durationMs: 0 }

interface Call {
  delivery: DueDelivery
  signal: AbortSignal
  /** When the attempt was made, on performance.now(). */
  at: number
  answer: (result: SendResult) => void
}

/**
 * Attempts the test answers by hand: each call waits until the test answers it, or until the
 * dispatcher aborts it at shutdown (then it ends as `onAbort` says, a failure by default).
 */
function handAnswered () {
  const calls: Call[] = []
  const watchers = new Set<() => void>()
  const onAbort = new Map<number, SendResult>()
  const attempt = (delivery: DueDelivery, _timeoutMs: number, signal: AbortSignal) => new Promise<SendResult>((resolve) => {
    let answered = false
    const answer = (result: SendResult) => {
      if (answered) return
      answered = true
      resolve(result)
    }
    calls.push({ delivery, signal, at: performance.now(), answer })
    signal.addEventListener('abort', () => answer(onAbort.get(delivery.id) ?? { ...REFUSED, httpStatus: null, error: 'stopped' }), { once: true })
    for (const watch of watchers) watch()
  })
  return {
    attempt,
    calls,
    /** On abort, this delivery's attempt ends with `result`. */
    onAbort: (deliveryId: number, result: SendResult) => { onAbort.set(deliveryId, result) },
    /** Resolves with call number `index` (0-based) once it is made. */
    call (index: number): Promise<Call> {
      if (calls[index] !== undefined) return Promise.resolve(calls[index])
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          watchers.delete(check)
          reject(new Error(`timed out waiting for attempt ${index + 1}; ${calls.length} made`))
        }, scaled(10_000))
        const check = () => {
          const call = calls[index]
          if (call === undefined) return
          clearTimeout(timer)
          watchers.delete(check)
          resolve(call)
        }
        watchers.add(check)
      })
    }
  }
}

/** Lets the immediates queued so far run (a dispatcher's scan is queued with setImmediate). */
const nextTurn = () => new Promise((resolve) => setImmediate(resolve))

/** The timers armed in this process now. */
interface SetUpOptions {
  /** How many subscriptions (lanes) the default account has; each gets a delivery of the one event. */
  lanes?: number
  /** Whether OTHER_ACCOUNT exists too. */
  otherAccount?: boolean
  /** Whether the default account's customer makes a deposit (one event); true by default. */
  depositEvent?: boolean
}

/**
 * An app on its own database with a pending delivery per lane, whose own dispatcher is closed:
 * the dispatcher under test, made by `dispatcher`, is the only one sending from that database.
 */
async function setUp (t: Test, options: SetUpOptions = {}) {
  const logs = captureLogs()
  const receiver = await startReceiver(t)
  const clock = manualClock()
  const accounts = options.otherAccount === true ? [...testConfig().accounts, OTHER_ACCOUNT] : testConfig().accounts
  const app = await build(t, { accounts, webhook: webhookConfig(receiver.url) }, { clock, logger: logs.logger })
  await app.webhooks.dispatcher.close(0)
  receiver.setSecret(app.webhooks.configured!.secretKey)
  for (let lane = 2; lane <= (options.lanes ?? 1); lane++) {
    const created = await signedPost(app, 'subscription/webhook/create', {
      requestId: `00000000-0000-4000-8000-${String(lane).padStart(12, '0')}`, notificationEventTypes: [], notificationServiceTypes: ['CUSTOMER_PURSE'], url: receiver.url
    })
    if (created.statusCode !== 200) throw new Error(`subscription failed: ${created.body}`)
  }
  if (options.depositEvent !== false) {
    const customer = await createCustomer(app)
    await deposit(app, { customerId: customer.id, currency: 'BTC', amount: 1, stopAt: 'MEM_POOL_FOUND' })
  }
  const attempts = handAnswered()
  const dispatcher = (overrides: Partial<DispatcherOptions> = {}) => {
    const made = createDispatcher({
      deliveries: app.store.deliveries,
      clock,
      timeoutMs: 2000,
      retryScale: 1,
      log: app.log,
      attempt: attempts.attempt,
      ...overrides
    })
    t.teardown(() => made.close(0))
    return made
  }
  return { app, logs, receiver, clock, attempts, dispatcher }
}

const stateOf = (app: FastifyInstance, id: number) => {
  const view = app.store.deliveries.findById(id)!
  return { status: view.status, attempts: view.attempts.length }
}

const lines = (logs: { lines: LogLine[] }, msg: string) => logs.lines.filter((l) => l.msg === msg)

t.test('with no options but the required ones, a delivery is sent signed to its url and recorded on the dispatcher\'s clock', async (t) => {
  const { app, logs, receiver, clock } = await setUp(t)
  const dispatcher = createDispatcher({ deliveries: app.store.deliveries, clock, timeoutMs: 2000, retryScale: 1, log: app.log })
  t.teardown(() => dispatcher.close(0))
  const sentAt = clock()
  dispatcher.start()
  await receiver.waitFor((r) => r.length === 1)
  await dispatcher.settled()
  const [delivery] = app.store.deliveries.list({ limit: 10 })
  t.equal(delivery!.status, 'delivered')
  t.equal(receiver.received[0]!.verified, true, 'signed with the subscription\'s secret')
  t.match(delivery!.attempts, [{ number: 1, httpStatus: 200, startedAt: new Date(sentAt).toISOString() }])
  t.equal(delivery!.completedDate, new Date(sentAt).toISOString(), 'completed on the dispatcher\'s clock')
  await logs.waitFor((l) => l.some((x) => x.msg === DispatcherLog.delivered))
  await nextTurn()
  t.same(lines(logs, DispatcherLog.listenerFailed), [], 'no listener is called when none is given')
})

t.test('listeners: onAttempted hears every recorded attempt, onDelivered only the delivered one', async (t) => {
  const { app, clock, attempts, dispatcher } = await setUp(t)
  const attempted: number[] = []
  const delivered: number[] = []
  const d = dispatcher({ onAttempted: (x) => attempted.push(x.id), onDelivered: (x) => delivered.push(x.id) })
  d.start()
  const first = await attempts.call(0)
  first.answer(REFUSED)
  await d.settled()
  t.same(attempted, [first.delivery.id])
  t.same(delivered, [], 'a failed attempt is not a delivery')
  clock.advance(30_000)
  d.wake()
  ;(await attempts.call(1)).answer(OK)
  await d.settled()
  t.same(attempted, [first.delivery.id, first.delivery.id])
  t.same(delivered, [first.delivery.id])
  t.same(stateOf(app, first.delivery.id), { status: 'delivered', attempts: 2 })
})

t.test('a listener that throws is logged with the delivery; the delivery stays recorded and the other listener is still told', async (t) => {
  const { app, logs, attempts, dispatcher } = await setUp(t)
  let told = 0
  const d = dispatcher({
    onAttempted: () => { told++; throw new Error('attempted listener broke') },
    onDelivered: () => { told++; throw new Error('delivered listener broke') }
  })
  d.start()
  const call = await attempts.call(0)
  call.answer(OK)
  const failed = await logs.waitFor((l) => lines({ lines: l }, DispatcherLog.listenerFailed).length === 2)
  t.equal(told, 2, 'both listeners were called')
  t.match(lines({ lines: failed }, DispatcherLog.listenerFailed), [
    { level: 50, delivery: call.delivery.id, err: { message: 'attempted listener broke' } },
    { level: 50, delivery: call.delivery.id, err: { message: 'delivered listener broke' } }
  ])
  t.same(stateOf(app, call.delivery.id), { status: 'delivered', attempts: 1 })
})

t.test('each outcome is logged with the delivery, the attempt and when the next one is due', async (t) => {
  const { app, logs, clock, attempts, dispatcher } = await setUp(t)
  const d = dispatcher({ retrySeconds: [30] })
  d.start()
  const first = await attempts.call(0)
  const { delivery } = first
  first.answer({ ...REFUSED, durationMs: 7 })
  await d.settled()
  const view = app.store.deliveries.findById(delivery.id)!
  const about = { eventType: delivery.eventType, eventId: delivery.eventId, delivery: delivery.id, url: delivery.url }
  t.match(lines(logs, DispatcherLog.attemptFailed), [{
    level: 40, ...about, attempt: 1, status: 503, ms: 7, error: REFUSED.error, nextAttemptAt: view.nextAttemptAt
  }])
  t.equal(view.nextAttemptAt, new Date(clock() + 30_000).toISOString())

  clock.advance(30_000)
  d.wake()
  ;(await attempts.call(1)).answer({ ...REFUSED, durationMs: 9 })
  await d.settled()
  t.match(lines(logs, DispatcherLog.gaveUp(2)), [{ level: 50, ...about, attempt: 2, status: 503, ms: 9, error: REFUSED.error }])
  t.same(stateOf(app, delivery.id), { status: 'failed', attempts: 2 })
})

t.test('a delivered outcome is logged with the delivery it is about', async (t) => {
  const { logs, attempts, dispatcher } = await setUp(t)
  const d = dispatcher()
  d.start()
  const call = await attempts.call(0)
  call.answer({ ...OK, durationMs: 12 })
  await d.settled()
  const { delivery } = call
  t.match(lines(logs, DispatcherLog.delivered), [{
    level: 30, eventType: delivery.eventType, eventId: delivery.eventId, delivery: delivery.id, attempt: 1, url: delivery.url, status: 200, ms: 12
  }])
})

t.test('no more than maxInFlight attempts are in flight at once; the next lane starts when one ends', async (t) => {
  const { attempts, dispatcher } = await setUp(t, { lanes: 3 })
  const d = dispatcher({ maxInFlight: 2 })
  d.start()
  const first = await attempts.call(1)
  await nextTurn()
  t.equal(d.inFlight(), 2)
  t.equal(attempts.calls.length, 2, 'the third lane waits')
  first.answer(OK)
  await attempts.call(2)
  t.equal(d.inFlight(), 2)
})

t.test('customers are lanes side by side: each customer\'s events go one at a time in event order, another customer\'s meanwhile', async (t) => {
  const { app, attempts, dispatcher } = await setUp(t, { depositEvent: false })
  const ann = await createCustomer(app)
  const bob = await createCustomer(app)
  // Two events of ann's (a deposit paused after its second state), then one of bob's.
  await deposit(app, { customerId: ann.id, currency: 'BTC', amount: 1, stopAt: 'PENDING_COMPLIANCE_CHECK' })
  await deposit(app, { customerId: bob.id, currency: 'BTC', amount: 1, stopAt: 'MEM_POOL_FOUND' })
  const customerOf = (call: Call) => (JSON.parse(call.delivery.body) as { data: { customerId: string } }).data.customerId
  const eventOf = (call: Call) => (JSON.parse(call.delivery.body) as { eventType: string }).eventType
  let bobRecorded: () => void = () => {}
  const recorded = new Promise<void>((resolve) => { bobRecorded = resolve })
  const d = dispatcher({ onAttempted: (delivery) => { if (delivery.customerId === bob.id) bobRecorded() } })
  d.start()
  const [annFirst, bobFirst] = [await attempts.call(0), await attempts.call(1)]
  t.same([customerOf(annFirst), eventOf(annFirst)], [ann.id, 'CUSTOMER_PURSE_MEM_POOL_FOUND'], 'ann\'s first event goes first')
  t.same([customerOf(bobFirst), eventOf(bobFirst)], [bob.id, 'CUSTOMER_PURSE_MEM_POOL_FOUND'], 'bob\'s goes beside it, without waiting for ann\'s answer')
  t.equal(annFirst.delivery.customerId, ann.id, 'the delivery knows its lane\'s customer')
  bobFirst.answer(OK)
  await recorded
  // Its lane's end, then the scan that end asks for.
  await nextTurn()
  await nextTurn()
  t.equal(d.inFlight(), 1, 'bob\'s lane is done')
  t.equal(attempts.calls.length, 2, 'ann\'s second event waits while her first is in flight, whatever bob\'s lane does')
  annFirst.answer(OK)
  const annSecond = await attempts.call(2)
  t.same([customerOf(annSecond), eventOf(annSecond)], [ann.id, 'CUSTOMER_PURSE_PENDING_COMPLIANCE'], 'ann\'s second event follows her first\'s answer')
  annSecond.answer(OK)
  await d.settled()
  t.equal(attempts.calls.length, 3)
})

/** The default account's customers, each with one event (a deposit paused at its first state). */
async function customersWithAnEvent (app: FastifyInstance, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const customer = await createCustomer(app)
    await deposit(app, { customerId: customer.id, currency: 'BTC', amount: 1, stopAt: 'MEM_POOL_FOUND' })
  }
}

t.test('many customers\' lanes in flight at once raise no listener warning', async (t) => {
  const { app, attempts, dispatcher } = await setUp(t, { depositEvent: false })
  await customersWithAnEvent(app, 12)
  const warnings: Error[] = []
  const onWarning = (warning: Error) => { warnings.push(warning) }
  process.on('warning', onWarning)
  t.teardown(() => { process.off('warning', onWarning) })
  const d = dispatcher()
  d.start()
  const calls = await Promise.all(Array.from({ length: 12 }, (_, i) => attempts.call(i)))
  t.equal(d.inFlight(), 12, 'one per customer, side by side')
  for (const call of calls) call.answer(OK)
  await d.settled()
  // A warning is emitted on the next tick after the listener that crosses the limit.
  await nextTurn()
  t.same(warnings.map((w) => w.name), [], 'each attempt listens for the stop; twelve of them are not a leak')
})

t.test('drain keeps to the in-flight cap: the account\'s next lane starts when one of its sends ends', async (t) => {
  const { app, attempts, dispatcher } = await setUp(t, { depositEvent: false })
  await customersWithAnEvent(app, 3)
  const d = dispatcher({ maxInFlight: 2 })
  const drained = d.drain(DEFAULT_ACCOUNT)
  const [first] = [await attempts.call(0), await attempts.call(1)]
  await nextTurn()
  t.equal(d.inFlight(), 2, 'two of the three customers\' lanes')
  t.equal(attempts.calls.length, 2, 'the third waits for a place')
  first!.answer(OK)
  attempts.calls[1]!.answer(OK)
  ;(await attempts.call(2)).answer(OK)
  t.equal(await drained, 3, 'all three sent, and recorded before it resolved')
  t.same(app.store.deliveries.list({ status: 'pending', limit: 10 }), [])
})

t.test('drain waits for a place when other accounts\' lanes hold them all', async (t) => {
  const { app, attempts, dispatcher } = await setUp(t, { otherAccount: true, depositEvent: false })
  const other = await createCustomer(app, {}, { as: OTHER_ACCOUNT })
  await deposit(app, { customerId: other.id, currency: 'BTC', amount: 1, stopAt: 'MEM_POOL_FOUND' })
  const d = dispatcher({ maxInFlight: 1 })
  d.start()
  const othersCall = await attempts.call(0)
  await customersWithAnEvent(app, 1)
  const drained = d.drain(DEFAULT_ACCOUNT)
  await nextTurn()
  t.equal(attempts.calls.length, 1, 'no place: the account\'s delivery waits')
  othersCall.answer(OK)
  ;(await attempts.call(1)).answer(OK)
  t.equal(await drained, 1)
})

t.test('settled resolves once the attempts in flight are recorded', async (t) => {
  const { app, attempts, dispatcher } = await setUp(t)
  const d = dispatcher()
  d.start()
  const call = await attempts.call(0)
  const seen = d.settled().then(() => stateOf(app, call.delivery.id))
  await nextTurn()
  call.answer(OK)
  t.same(await seen, { status: 'delivered', attempts: 1 })
})

t.test('drain sends the account\'s due deliveries and resolves with how many, once they are recorded', async (t) => {
  const { app, attempts, dispatcher } = await setUp(t)
  const d = dispatcher()
  const drained = d.drain(DEFAULT_ACCOUNT).then((made) => ({ made, ...stateOf(app, attempts.calls[0]!.delivery.id) }))
  ;(await attempts.call(0)).answer(OK)
  t.same(await drained, { made: 1, status: 'delivered', attempts: 1 })
})

t.test('drain waits for the account\'s attempt already in flight and does not send it twice', async (t) => {
  const { app, attempts, dispatcher } = await setUp(t)
  const d = dispatcher()
  d.start()
  const call = await attempts.call(0)
  const drained = d.drain(DEFAULT_ACCOUNT).then((made) => ({ made, ...stateOf(app, call.delivery.id) }))
  t.equal(attempts.calls.length, 1, 'the lane in flight is not started again')
  await nextTurn()
  call.answer(OK)
  t.equal(await outcomeWithin(drained, 5000), 'resolved')
  t.same(await drained, { made: 0, status: 'delivered', attempts: 1 })
})

t.test('drain of one account does not wait for another account\'s attempt', async (t) => {
  const { app, attempts, dispatcher } = await setUp(t, { otherAccount: true, depositEvent: false })
  const other = await createCustomer(app, {}, { as: OTHER_ACCOUNT })
  await deposit(app, { customerId: other.id, currency: 'BTC', amount: 1, stopAt: 'MEM_POOL_FOUND' })
  const d = dispatcher()
  d.start()
  const call = await attempts.call(0)
  t.equal(call.delivery.account, OTHER_ACCOUNT.account)
  const drained = d.drain(DEFAULT_ACCOUNT)
  t.equal(await outcomeWithin(drained, 5000), 'resolved', 'while the other account\'s attempt is still in flight')
  t.equal(await drained, 0)
  t.equal(d.inFlight(), 1)
  call.answer(OK)
})

t.test('after close, drain sends nothing', async (t) => {
  const { attempts, dispatcher } = await setUp(t)
  const d = dispatcher()
  await d.close(0)
  const drained = d.drain(DEFAULT_ACCOUNT)
  t.equal(attempts.calls.length, 0)
  for (const call of attempts.calls) call.answer(OK)
  t.equal(await drained, 0)
})

t.test('close waits for the attempts in flight, within its grace, and records them', async (t) => {
  const { app, attempts, dispatcher } = await setUp(t)
  const d = dispatcher()
  d.start()
  const call = await attempts.call(0)
  const closed = d.close(scaled(10_000)).then(() => stateOf(app, call.delivery.id))
  await nextTurn()
  call.answer(OK)
  t.same(await closed, { status: 'delivered', attempts: 1 })
})

t.test('at the end of the grace, close aborts: a cut-short attempt is handed back unrecorded, one that answered is recorded', async (t) => {
  const { app, attempts, dispatcher } = await setUp(t, { lanes: 2 })
  const d = dispatcher()
  d.start()
  const [cut, answered] = [await attempts.call(0), await attempts.call(1)]
  attempts.onAbort(answered.delivery.id, OK)
  const closed = d.close(20)
  t.equal(await outcomeWithin(closed, 5000), 'resolved')
  t.ok(cut.signal.aborted && answered.signal.aborted, 'both attempts were aborted')
  t.same(stateOf(app, cut.delivery.id), { status: 'pending', attempts: 0 }, 'the cut-short attempt is not counted')
  t.same(stateOf(app, answered.delivery.id), { status: 'delivered', attempts: 1 })
})

t.test('an outcome the database refuses pauses delivery; it is recorded at the probe, a pause interval later, and the resumed line says so', async (t) => {
  const { app, logs, attempts, dispatcher } = await setUp(t)
  // At 1/100 of Calypso's schedule the first retry interval is 300 ms: the probe comes that often.
  const d = dispatcher({ retryScale: 0.01 })
  const began = Date.now()
  d.start()
  const call = await attempts.call(0)
  app.store.db.pragma('query_only = ON')
  call.answer(OK)
  const [failed] = lines({ lines: await logs.waitFor((l) => l.some((x) => x.msg === DispatcherLog.recordFailed)) }, DispatcherLog.recordFailed)
  t.match(failed, { level: 50, cause: 'SQLITE_READONLY', count: 1, unrecorded: 1 })
  t.same(stateOf(app, call.delivery.id), { status: 'pending', attempts: 0 })
  app.store.db.pragma('query_only = OFF')

  const [resumed] = lines({ lines: await logs.waitFor((l) => l.some((x) => x.msg === DispatcherLog.resumed)) }, DispatcherLog.resumed)
  const elapsed = Date.now() - began
  t.equal(resumed!.failures, 1, 'one failure in the pause')
  const pausedMs = resumed!.pausedMs as number
  t.ok(pausedMs >= 299 && pausedMs <= elapsed, `paused ${pausedMs} ms: at least the 300 ms probe interval, at most the ${elapsed} ms the test took`)
  t.same(stateOf(app, call.delivery.id), { status: 'delivered', attempts: 1 })
  t.equal(attempts.calls.length, 1, 'not sent again')
})

t.test('an attempt that ends while delivery is paused is held, not recorded, until the probe records both in order', async (t) => {
  const { app, logs, attempts, dispatcher } = await setUp(t, { lanes: 2 })
  const d = dispatcher({ retryScale: 0.01 })
  d.start()
  const [first, second] = [await attempts.call(0), await attempts.call(1)]
  app.store.db.pragma('query_only = ON')
  first.answer(OK)
  await logs.waitFor((l) => l.some((x) => x.msg === DispatcherLog.recordFailed))
  app.store.db.pragma('query_only = OFF')
  second.answer(OK)
  await d.settled()
  t.same(stateOf(app, second.delivery.id), { status: 'pending', attempts: 0 }, 'the database would take it, but delivery is paused')
  await logs.waitFor((l) => l.some((x) => x.msg === DispatcherLog.resumed))
  const recorded = lines(logs, DispatcherLog.delivered).map((l) => l.delivery)
  t.same(recorded, [first.delivery.id, second.delivery.id])
})

t.test('a read of the outbox that fails pauses delivery too, which resumes when the database answers again', async (t) => {
  const { app, logs, attempts, dispatcher } = await setUp(t)
  const d = dispatcher({ retryScale: 0.01 })
  app.store.db.exec('ALTER TABLE subscriptions RENAME TO subscriptions_away')
  d.start()
  const [failed] = lines({ lines: await logs.waitFor((l) => l.some((x) => x.msg === DispatcherLog.recordFailed)) }, DispatcherLog.recordFailed)
  t.match(failed, { level: 50, cause: 'SQLITE_ERROR', unrecorded: 0 })
  t.equal(attempts.calls.length, 0)
  app.store.db.exec('ALTER TABLE subscriptions_away RENAME TO subscriptions')
  ;(await attempts.call(0)).answer(OK)
  await d.settled()
  t.ok(lines(logs, DispatcherLog.resumed).length >= 1)
})

t.test('timers: a retry is not sent before its interval has passed in real time', async (t) => {
  const { clock, attempts, dispatcher } = await setUp(t)
  // At 1/100 the first retry is 300 ms after the failed attempt.
  const d = dispatcher({ retryScale: 0.01 })
  d.start()
  const first = await attempts.call(0)
  const answered = performance.now()
  first.answer(REFUSED)
  await d.settled()
  await nextTurn()
  // The clock moves without a wake: only the retry's timer sends it.
  clock.advance(300)
  const second = await attempts.call(1)
  t.ok(second.at - answered >= 299, `the retry went out ${Math.round(second.at - answered)} ms after the failure`)
  second.answer(OK)
})

t.test('timers: a retry due beyond setTimeout\'s limit is armed at the limit, without an overflow', async (t) => {
  const { attempts, dispatcher } = await setUp(t)
  const warnings: string[] = []
  const onWarning = (warning: Error) => { warnings.push(warning.name) }
  process.on('warning', onWarning)
  t.teardown(() => { process.off('warning', onWarning) })
  const d = dispatcher({ retrySeconds: [40 * 24 * 3600] })
  d.start()
  ;(await attempts.call(0)).answer(REFUSED)
  await d.settled()
  await nextTurn()
  t.same(warnings, [], 'no TimeoutOverflowWarning')
})

t.test('timers: an idle dispatcher holds none', async (t) => {
  const { attempts, dispatcher } = await setUp(t)
  const d = dispatcher()
  const before = armedTimers()
  d.start()
  const call = await attempts.call(0)
  call.answer(OK)
  await d.settled()
  await nextTurn()
  t.equal(armedTimers(), before, 'nothing is pending, so nothing is scheduled')
})

t.test('timers: close leaves none armed, after the retry timer moved earlier', async (t) => {
  const { logs, clock, attempts, dispatcher } = await setUp(t, { lanes: 2 })
  const d = dispatcher()
  const before = armedTimers()
  d.start()
  const [later, sooner] = [await attempts.call(0), await attempts.call(1)]
  // Both started now; the first is answered 20 s on (its retry is due at +50 s), the second took no time (+30 s).
  clock.advance(20_000)
  later.answer({ ...REFUSED, durationMs: 20_000 })
  await logs.waitFor((l) => l.some((x) => x.msg === DispatcherLog.attemptFailed))
  await nextTurn()
  sooner.answer(REFUSED)
  await d.settled()
  await nextTurn()
  await d.close(0)
  t.equal(armedTimers(), before)
})

t.test('timers: an attempt that fails during the shutdown grace arms no retry timer', async (t) => {
  const { app, attempts, dispatcher } = await setUp(t)
  const d = dispatcher()
  const before = armedTimers()
  d.start()
  const call = await attempts.call(0)
  const closed = d.close(scaled(10_000))
  call.answer(REFUSED)
  await closed
  t.same(stateOf(app, call.delivery.id), { status: 'pending', attempts: 1 }, 'the failure is recorded')
  t.equal(armedTimers(), before, 'but its retry is left to the next start')
})

t.test('timers: an outcome the database refuses during the shutdown grace arms no probe', async (t) => {
  const { app, logs, attempts, dispatcher } = await setUp(t)
  const d = dispatcher()
  const before = armedTimers()
  d.start()
  const call = await attempts.call(0)
  const closed = d.close(scaled(10_000))
  app.store.db.pragma('query_only = ON')
  call.answer(OK)
  await closed
  app.store.db.pragma('query_only = OFF')
  t.equal(lines(logs, DispatcherLog.recordFailed).length, 1, 'the refused record is logged')
  t.same(stateOf(app, call.delivery.id), { status: 'pending', attempts: 0 }, 'the delivery stays pending, for the next start')
  t.equal(armedTimers(), before, 'and no probe is left to hold the process')
})

t.test('timers: close while paused leaves no probe armed', async (t) => {
  const { app, logs, attempts, dispatcher } = await setUp(t)
  const d = dispatcher()
  const before = armedTimers()
  d.start()
  const call = await attempts.call(0)
  app.store.db.pragma('query_only = ON')
  call.answer(OK)
  await logs.waitFor((l) => l.some((x) => x.msg === DispatcherLog.recordFailed))
  await d.close(0)
  t.equal(armedTimers(), before)
  app.store.db.pragma('query_only = OFF')
})
