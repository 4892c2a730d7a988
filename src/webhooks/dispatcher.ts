import type { FastifyBaseLogger } from 'fastify'
import type { DeliveriesRepository, DueDelivery } from '../store/deliveries-repository.js'
import { retryDelayMs } from './retry-schedule.js'
import { sendWebhook, type SendResult } from './send-webhook.js'

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
  /** Makes one attempt; sendWebhook by default (the injected webhook faults replace it). */
  attempt?: (delivery: DueDelivery, timeoutMs: number, stop: AbortSignal) => Promise<SendResult>
}

/** The longest a timer may be set for (setTimeout's 32-bit limit). */
const MAX_TIMER_MS = 2 ** 31 - 1

/**
 * Sends the outbox. Each subscription is a lane with at most one delivery in flight, taken in
 * event order, so a slow or failing receiver delays only itself. State lives in SQLite only: a
 * delivery is pending until an attempt settles it, so after a crash every due or in-flight
 * delivery is simply sent again (at least once; the event id lets receivers drop duplicates).
 */
export function createDispatcher (options: DispatcherOptions) {
  const { deliveries, clock, timeoutMs, retryScale, log } = options
  const maxInFlight = options.maxInFlight ?? 64
  const attempt = options.attempt ?? ((delivery: DueDelivery, ms: number, signal: AbortSignal) => sendWebhook(delivery, delivery.body, ms, signal))
  const inFlight = new Map<number, Promise<void>>()
  const stop = new AbortController()
  let timer: NodeJS.Timeout | undefined
  let timerAt = Infinity
  let scanQueued = false
  let closed = false

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

  function settle (delivery: DueDelivery, result: SendResult, startedAt: number): void {
    const number = delivery.attempts + 1
    const attempt = {
      number,
      startedAt: new Date(startedAt).toISOString(),
      durationMs: result.durationMs,
      httpStatus: result.httpStatus,
      error: result.error,
      response: result.response
    }
    const now = clock()
    if (result.ok) {
      deliveries.recordAttempt(delivery.id, attempt, { status: 'delivered', nextAttemptAt: null, completedAt: new Date(now).toISOString() })
      options.onDelivered?.(delivery)
    } else {
      const delay = retryDelayMs(number, retryScale)
      deliveries.recordAttempt(delivery.id, attempt, delay === undefined
        ? { status: 'failed', nextAttemptAt: null, completedAt: new Date(now).toISOString() }
        : { status: 'pending', nextAttemptAt: now + delay, completedAt: null })
      if (delay !== undefined) schedule(now + delay)
    }
    log.info({
      delivery: delivery.id,
      attempt: number,
      url: delivery.url,
      status: result.httpStatus,
      error: result.error ?? undefined,
      ms: result.durationMs
    }, result.ok ? 'webhook delivered' : 'webhook attempt failed')
  }

  async function send (delivery: DueDelivery): Promise<void> {
    const startedAt = clock()
    const result = await attempt(delivery, timeoutMs, stop.signal)
    // An attempt cut short by shutdown is handed back: it stays pending and is sent after restart.
    if (stop.signal.aborted && !result.ok) return
    try {
      settle(delivery, result, startedAt)
    } catch (err) {
      log.error({ err, delivery: delivery.id }, 'could not record a webhook attempt; it stays pending')
    }
  }

  function scan (): void {
    scanQueued = false
    if (closed) return
    const now = clock()
    for (const delivery of deliveries.duePerSubscription(now)) {
      if (inFlight.size >= maxInFlight) break
      if (inFlight.has(delivery.subscriptionSeq)) continue
      const lane = delivery.subscriptionSeq
      inFlight.set(lane, send(delivery).finally(() => {
        inFlight.delete(lane)
        wake()
      }))
    }
    const next = deliveries.nextDueAfter(now)
    if (next !== undefined) schedule(next)
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
    inFlight: (): number => inFlight.size,
    /** Stops sending; waits up to `graceMs` for attempts in flight, then aborts them (they stay pending). */
    async close (graceMs: number): Promise<void> {
      closed = true
      if (timer !== undefined) clearTimeout(timer)
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
