import { setMaxListeners } from 'node:events'
import type { FastifyBaseLogger } from 'fastify'
import type { DeliveriesRepository, DueDelivery, LaneHead } from '../store/deliveries-repository.js'
import { HELD } from './delivery-chaos.js'
import { retryDelayMs } from './retry-schedule.js'
import { MAX_DELIVERIES_IN_FLIGHT, sendWebhook, type SendResult } from './send-webhook.js'
import { createThrottledLog } from './throttled-log.js'

export interface DispatcherOptions {
  deliveries: DeliveriesRepository
  clock: () => number
  timeoutMs: number
  retryScale: number
  log: FastifyBaseLogger
  /** How many deliveries may be in flight at once, over all subscriptions. */
  maxInFlight?: number
  /** Told after a delivery is recorded as delivered (waiters for webhooks listen here). */
  onDelivered?: (delivery: DueDelivery) => void
  /** Makes one attempt; sendWebhook by default (delivery chaos wraps it). HELD: not sent, nothing to record. */
  attempt?: (delivery: DueDelivery, timeoutMs: number, stop: AbortSignal) => Promise<SendResult | typeof HELD>
  /** Told after each attempt is recorded, whatever its outcome. */
  onAttempted?: (delivery: DueDelivery) => void
  /** The account's clock (its test clock), for the dates the delivery log shows; the machine's by default. */
  accountClock?: (account: string) => number
  /** The retry intervals in seconds; Calypso's documented schedule by default (the drift harness bends it). */
  retrySeconds?: readonly number[]
}

/** A lane: the deliveries of one customer's events to one subscription, sent one at a time in event order. */
function laneOf (delivery: Pick<LaneHead, 'subscriptionSeq' | 'customerId'>): string {
  return delivery.customerId === null ? String(delivery.subscriptionSeq) : `${delivery.subscriptionSeq}/${delivery.customerId}`
}

/** The longest a timer may be set for (setTimeout's 32-bit limit). */
const MAX_TIMER_MS = 2 ** 31 - 1

/** What the dispatcher logs; tests look for these lines. */
export const DispatcherLog = {
  delivered: 'webhook delivered',
  attemptFailed: 'webhook attempt failed',
  gaveUp: (attempts: number) => `webhook gave up after ${attempts} attempts`,
  recordFailed: 'could not record webhook attempts (or read the outbox); delivery is paused until the database works again',
  resumed: 'webhook delivery resumed: attempts are recorded again',
  listenerFailed: 'the delivered-webhook listener failed; the delivery is recorded'
} as const

/**
 * While paused, how often recording is tried again: every second, or at the first retry interval
 * when WEBHOOK_RETRY_SCALE makes that shorter (never below 10 ms).
 */
function pauseProbeMs (retryScale: number): number {
  return Math.min(1000, Math.max(10, retryDelayMs(1, retryScale) ?? 1000))
}

/** One attempt's outcome, waiting to be written down. */
interface Outcome {
  delivery: DueDelivery
  result: SendResult
  startedAt: number
  /**
   * On the machine's clock, when the attempt ended as the delivery log shows it (its start plus its
   * duration), or when its answer was read if that is earlier: the next attempt is due its interval
   * after this, however late the outcome is recorded.
   */
  answeredAt: number
}

/**
 * Sends the outbox. The events of one customer to one subscription are a lane with at most one
 * delivery in flight, taken in event order; lanes go side by side, so a slow or failing receiver
 * delays only itself, and a busy receiver still gets each customer's events in order. State lives in SQLite: a
 * delivery is pending until an attempt settles it, so after a crash every due or in-flight
 * delivery is simply sent again (at least once; the event id lets receivers drop duplicates).
 * The one exception is an outcome the database would not take, held in memory while sending pauses.
 */
export function createDispatcher (options: DispatcherOptions) {
  const { deliveries, clock, timeoutMs, retryScale, log, retrySeconds } = options
  const accountClock = options.accountClock ?? (() => clock())
  const maxInFlight = options.maxInFlight ?? MAX_DELIVERIES_IN_FLIGHT
  // How many of a subscription's first due deliveries a scan looks through for lane heads: twice the
  // in-flight cap, so one customer's backlog at the head of a queue leaves room for as many others.
  const scanWindow = 2 * maxInFlight
  const attempt = options.attempt ?? ((delivery: DueDelivery, ms: number, signal: AbortSignal) => sendWebhook(delivery, delivery.body, ms, signal))
  const inFlight = new Map<string, Promise<void>>()
  /** The account of each lane in flight, so an advance of its clock can wait for its attempts. */
  const laneAccounts = new Map<string, string>()
  const stop = new AbortController()
  // Each attempt in flight listens for the stop (its request, a delay fault's wait): up to two each.
  setMaxListeners(2 * maxInFlight + 10, stop.signal)
  let timer: NodeJS.Timeout | undefined
  let timerAt = Infinity
  let scanQueued = false
  let closed = false
  const probeMs = pauseProbeMs(retryScale)
  const recordFailures = createThrottledLog()
  const unrecorded: Outcome[] = []
  let paused = false
  let pausedAt = 0
  let failuresInPause = 0
  let probeTimer: NodeJS.Timeout | undefined

  function schedule (at: number): void {
    if (closed || at >= timerAt) return
    if (timer !== undefined) clearTimeout(timer)
    timerAt = at
    timer = setTimeout(() => {
      timer = undefined
      timerAt = Infinity
      scan()
    }, Math.min(Math.max(0, at - clock()), MAX_TIMER_MS))
  }

  /** Writes an outcome down, then logs it; throws when the database refuses the write. */
  function record ({ delivery, result, startedAt, answeredAt }: Outcome): void {
    const number = delivery.attempts + 1
    const attempt = {
      number,
      startedAt: new Date(startedAt).toISOString(),
      durationMs: result.durationMs,
      httpStatus: result.httpStatus,
      error: result.error,
      response: result.response,
      faults: result.faults ?? []
    }
    const completedAt = new Date(accountClock(delivery.account)).toISOString()
    const about = { eventType: delivery.eventType, eventId: delivery.eventId, delivery: delivery.id, attempt: number, url: delivery.url, status: result.httpStatus, ms: result.durationMs }
    if (result.ok) {
      deliveries.recordAttempt(delivery.id, attempt, { status: 'delivered', nextAttemptAt: null, completedAt })
      log.info(about, DispatcherLog.delivered)
      return
    }
    const delay = retryDelayMs(number, retryScale, retrySeconds)
    if (delay === undefined) {
      deliveries.recordAttempt(delivery.id, attempt, { status: 'failed', nextAttemptAt: null, completedAt })
      log.error({ ...about, error: result.error }, DispatcherLog.gaveUp(number))
      return
    }
    deliveries.recordAttempt(delivery.id, attempt, { status: 'pending', nextAttemptAt: answeredAt + delay, completedAt: null })
    log.warn({ ...about, error: result.error, nextAttemptAt: new Date(answeredAt + delay).toISOString() }, DispatcherLog.attemptFailed)
    schedule(answeredAt + delay)
  }

  /**
   * An outcome that cannot be written down (a full disk, an I/O error) is kept in memory and the
   * dispatcher pauses: sending again at once would repeat the delivery as fast as the receiver
   * answers. Recording is retried until the database takes writes; then sending resumes.
   */
  function settle (outcome: Outcome): void {
    if (paused) {
      unrecorded.push(outcome)
      return
    }
    try {
      record(outcome)
    } catch (err) {
      unrecorded.push(outcome)
      pause(err)
      return
    }
    delivered(outcome)
  }

  /** Tells the listeners of a delivery once it is recorded; their failure is logged, never taken for the record's. */
  function delivered ({ delivery, result }: Outcome): void {
    try {
      options.onAttempted?.(delivery)
    } catch (err) {
      log.error({ err, delivery: delivery.id }, DispatcherLog.listenerFailed)
    }
    if (!result.ok || options.onDelivered === undefined) return
    try {
      options.onDelivered(delivery)
    } catch (err) {
      log.error({ err, delivery: delivery.id }, DispatcherLog.listenerFailed)
    }
  }

  function reportFailure (err: unknown): void {
    failuresInPause++
    const cause = (err as { code?: unknown }).code
    recordFailures.report(typeof cause === 'string' ? cause : String(err), (count) => {
      log.error({ err, cause, count, unrecorded: unrecorded.length }, DispatcherLog.recordFailed)
    })
  }

  function pause (err: unknown): void {
    reportFailure(err)
    if (paused) return
    paused = true
    pausedAt = Date.now()
    // Closing: the outcome stays pending in the database, sent again after the next start.
    if (!closed) probeTimer = setTimeout(probe, probeMs)
  }

  function probe (): void {
    probeTimer = undefined
    if (closed) return
    try {
      while (unrecorded.length > 0) {
        const outcome = unrecorded[0] as Outcome
        record(outcome)
        unrecorded.shift()
        delivered(outcome)
      }
    } catch (err) {
      reportFailure(err)
      probeTimer = setTimeout(probe, probeMs)
      return
    }
    paused = false
    log.info({ failures: failuresInPause, pausedMs: Date.now() - pausedAt }, DispatcherLog.resumed)
    failuresInPause = 0
    recordFailures.clear()
    wake()
  }

  async function send (delivery: DueDelivery): Promise<void> {
    const startedOnMachine = clock()
    const startedAt = accountClock(delivery.account)
    const result = await attempt(delivery, timeoutMs, stop.signal)
    if (result === HELD) return
    const answeredAt = Math.min(clock(), startedOnMachine + result.durationMs)
    // An attempt cut short by shutdown is handed back: it stays pending and is sent after restart.
    if (stop.signal.aborted && !result.ok) return
    settle({ delivery, result, startedAt, answeredAt })
  }

  function scan (): void {
    scanQueued = false
    if (closed || paused) return
    const now = clock()
    let next: number | undefined
    try {
      for (const head of deliveries.laneHeads(now, scanWindow)) {
        if (inFlight.size >= maxInFlight) break
        if (inFlight.has(laneOf(head))) continue
        const delivery = deliveries.dueById(head.id)
        if (delivery !== undefined) startLane(delivery)
      }
      next = deliveries.nextDueAfter(now)
    } catch (err) {
      pause(err)
      return
    }
    if (next !== undefined) schedule(next)
  }

  function startLane (delivery: DueDelivery): Promise<void> {
    const lane = laneOf(delivery)
    laneAccounts.set(lane, delivery.account)
    const sending = send(delivery).finally(() => {
      inFlight.delete(lane)
      laneAccounts.delete(lane)
      wake()
    })
    inFlight.set(lane, sending)
    return sending
  }

  /**
   * Sends the account's deliveries that are due now, one per lane as the scan does and within the
   * same in-flight cap, and resolves once each is recorded and none of the account's is due any
   * more: the test clock's advance waits on this. Resolves with how many sends it started (a held
   * one included).
   */
  async function drain (account: string): Promise<number> {
    let made = 0
    for (;;) {
      if (closed || paused) return made
      const waiting = [...laneAccounts].filter(([, a]) => a === account).map(([lane]) => inFlight.get(lane))
      const due = deliveries.dueOf(account, clock()).filter((d) => !inFlight.has(laneOf(d)))
      const started = due.slice(0, Math.max(0, maxInFlight - inFlight.size)).map(startLane)
      if (started.length === 0 && waiting.length === 0) {
        if (due.length === 0 || inFlight.size === 0) return made
        // Other accounts' lanes hold every place in flight: the account's turn comes when one ends.
        await Promise.race(inFlight.values())
        continue
      }
      made += started.length
      await Promise.all([...waiting, ...started])
    }
  }

  /** Looks for due deliveries soon; call after committing new ones. Calls in one tick share one scan. */
  function wake (): void {
    if (scanQueued || closed) return
    scanQueued = true
    setImmediate(scan)
  }

  return {
    start: wake,
    wake,
    drain,
    inFlight: (): number => inFlight.size,
    /** Resolves once the attempts in flight now are recorded (each ends within the webhook timeout). */
    async settled (): Promise<void> {
      await Promise.allSettled([...inFlight.values()])
    },
    /** Stops sending; waits up to `graceMs` for attempts in flight, then aborts them (they stay pending). */
    async close (graceMs: number): Promise<void> {
      closed = true
      if (timer !== undefined) clearTimeout(timer)
      if (probeTimer !== undefined) clearTimeout(probeTimer)
      const pending = [...inFlight.values()]
      if (pending.length === 0) return
      let graceTimer: NodeJS.Timeout | undefined
      await Promise.race([
        Promise.allSettled(pending),
        new Promise((resolve) => { graceTimer = setTimeout(resolve, graceMs) })
      ])
      clearTimeout(graceTimer)
      stop.abort()
      await Promise.allSettled(pending)
    }
  }
}

export type Dispatcher = ReturnType<typeof createDispatcher>
