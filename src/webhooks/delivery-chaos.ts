import { createHash } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import type { WebhookFaultKind } from '../domain/model.js'
import { Reason } from '../errors.js'
import type { WebhookFault, WebhookFaults } from '../faults/webhook-faults.js'
import type { DeliveriesRepository, DueDelivery } from '../store/deliveries-repository.js'
import { sendWebhook, type AttemptFault, type SendResult } from './send-webhook.js'

/** What an attempt returns when a reorder fault holds its delivery: nothing was sent, nothing is recorded. */
export const HELD = Symbol('held by a reorder fault')

export interface DeliveryChaosOptions {
  faults: WebhookFaults
  deliveries: DeliveriesRepository
  /** The machine's clock: when copies and released deliveries fall due. */
  clock: () => number
  /** The account's clock: the created date of a copy. */
  accountClock: (account: string) => number
  /** How an attempt is sent: sendWebhook, or one that wraps it. */
  send?: typeof sendWebhook
}

/** A batch of a reorder fault: the deliveries it holds, then those still to send, last held first. */
interface Batch {
  fault: WebhookFault
  held: number[]
  releasing: number[]
}

/** A secret that is not the subscription's: what a forged Sign is made with. */
function wrongSecret (secretKey: string): string {
  return createHash('sha256').update(`calypso-mock: not the secret of ${secretKey}`).digest('hex').slice(0, 32)
}

const ref = (fault: WebhookFault, kind: WebhookFaultKind = fault.kind): AttemptFault => ({ id: fault.id, kind })

/**
 * Delivery chaos: the webhook faults applied to the dispatcher's attempts.
 * - fail: the attempt is recorded as failed with the fault's status, unsent.
 * - delay: the attempt waits `delayMs` before it sends.
 * - bad-signature: the attempt's Sign is made with a wrong secret; a receiver that refuses it is retried.
 * - duplicate: after an event's first attempt, a copy of it is queued, due `delayMs` later.
 * - stale: once an event is delivered, the first event of the same customer the subscription was
 *   delivered before it is queued again, due `delayMs` later.
 * - reorder: the next `count` events are held, then sent in reverse, each once the one before it was tried.
 * Copies and released deliveries are marked, and each of their attempts names its fault.
 */
export function createDeliveryChaos (options: DeliveryChaosOptions) {
  const { faults, deliveries, clock, accountClock, send = sendWebhook } = options
  /** Deliveries a fault made or released, with the fault each of their attempts names. */
  const marked = new Map<number, AttemptFault>()
  const batches = new Set<Batch>()
  /** A released delivery whose first attempt releases the next of its batch. */
  const chained = new Map<number, Batch>()

  /** Copies, user redeliveries and released deliveries are not duplicated, reordered or replayed again. */
  function isOriginal (delivery: DueDelivery): boolean {
    return !marked.has(delivery.id) && deliveries.chaosFacts(delivery.id)?.redeliveryOf === null
  }

  function releaseNext (batch: Batch): void {
    for (;;) {
      const id = batch.releasing.shift()
      if (id === undefined) {
        batches.delete(batch)
        return
      }
      if (deliveries.release(id, clock())) {
        marked.set(id, ref(batch.fault))
        chained.set(id, batch)
        return
      }
    }
  }

  /** Holds the delivery in a batch of a reorder fault, when one applies; true when held. */
  function hold (delivery: DueDelivery): boolean {
    let batch = [...batches].find((b) => b.releasing.length === 0 && b.held.length < (b.fault.count ?? 0) &&
      (b.fault.account === undefined || b.fault.account === delivery.account) && (b.fault.eventType === undefined || b.fault.eventType === delivery.eventType))
    if (batch === undefined) {
      const fault = faults.take('reorder', delivery)
      if (fault === undefined) return false
      batch = { fault, held: [], releasing: [] }
      batches.add(batch)
    }
    deliveries.park(delivery.id)
    batch.held.push(delivery.id)
    if (batch.held.length >= (batch.fault.count ?? 0)) {
      batch.releasing = [...batch.held].reverse()
      releaseNext(batch)
    }
    return true
  }

  /** Queues a copy of `deliveryId` under `fault`, due `delayMs` after now. */
  function copy (deliveryId: number, account: string, fault: WebhookFault): void {
    const id = deliveries.redeliver(deliveryId, accountClock(account), clock() + (fault.delayMs ?? 0))
    if (id !== undefined) marked.set(id, ref(fault))
  }

  /** stale: after a delivered event, the first one of the same customer delivered before it goes again. */
  function replayStale (delivery: DueDelivery): void {
    if (!faults.has('stale', delivery) || !isOriginal(delivery)) return
    const customerId = deliveries.chaosFacts(delivery.id)?.customerId
    const older = customerId == null ? undefined : deliveries.firstDeliveredOfCustomer(delivery.subscriptionSeq, customerId, delivery.eventId)
    if (older === undefined) return
    const stale = faults.take('stale', delivery)
    if (stale !== undefined) copy(older, delivery.account, stale)
  }

  return {
    /** One attempt under the faults that apply; HELD when a reorder fault holds the delivery. */
    async attempt (delivery: DueDelivery, timeoutMs: number, stop: AbortSignal): Promise<SendResult | typeof HELD> {
      const mark = marked.get(delivery.id)
      const active = faults.size() > 0 || batches.size > 0
      if (!active && mark === undefined) return send(delivery, delivery.body, timeoutMs, stop)
      const applied: AttemptFault[] = mark === undefined ? [] : [mark]
      const first = active && delivery.attempts === 0 && isOriginal(delivery)
      if (first && hold(delivery)) return HELD
      const failed = faults.take('fail', delivery)
      if (failed !== undefined) {
        const status = failed.status ?? 500
        return { ok: false, httpStatus: status, error: Reason.injectedWebhookFault(status, failed.id), response: null, durationMs: 0, faults: [...applied, ref(failed)] }
      }
      const duplicate = first ? faults.take('duplicate', delivery) : undefined
      const delay = faults.take('delay', delivery)
      if (delay !== undefined) {
        applied.push(ref(delay))
        try {
          await sleep(delay.delayMs ?? 0, undefined, { signal: stop })
        } catch {
          return { ok: false, httpStatus: null, error: Reason.webhookStopped, response: null, durationMs: 0, faults: applied }
        }
      }
      const forged = faults.take('bad-signature', delivery)
      if (forged !== undefined) applied.push(ref(forged))
      const target = forged === undefined ? delivery : { ...delivery, secretKey: wrongSecret(delivery.secretKey) }
      const result = await send(target, delivery.body, timeoutMs, stop)
      if (duplicate !== undefined) copy(delivery.id, delivery.account, duplicate)
      if (result.ok && faults.size() > 0) replayStale(delivery)
      if (result.ok) marked.delete(delivery.id)
      return { ...result, faults: applied }
    },

    /** Told after each recorded attempt: a released delivery's first attempt releases the next of its batch. */
    attempted (delivery: DueDelivery): void {
      const batch = chained.get(delivery.id)
      if (batch === undefined) return
      chained.delete(delivery.id)
      releaseNext(batch)
    },

    /** Sends what the reorder faults hold, in its order, and forgets them (the faults were cleared). */
    releaseHeld (account?: string): number {
      let released = 0
      for (const batch of [...batches]) {
        if (account !== undefined && batch.fault.account !== account) continue
        batches.delete(batch)
        for (const id of batch.held) if (deliveries.release(id, clock())) released++
      }
      return released
    },

    /** After a full reset: no delivery is left to mark. */
    forget (): void {
      marked.clear()
      batches.clear()
      chained.clear()
    }
  }
}

export type DeliveryChaos = ReturnType<typeof createDeliveryChaos>
