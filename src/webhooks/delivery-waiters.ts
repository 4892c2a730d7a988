import type { DeliveredQuery, DeliveriesRepository, DeliveryView } from '../store/deliveries-repository.js'

export interface WaitQuery extends DeliveredQuery {
  /** Each delivered event is handed to a consumer once. */
  consumer: string
}

interface Waiter {
  query: WaitQuery
  resolve: (delivery: DeliveryView | undefined) => void
  timer: NodeJS.Timeout
}

function matches (query: DeliveredQuery, delivery: DeliveryView): boolean {
  return (query.eventType === undefined || query.eventType === delivery.eventType) &&
    (query.customerId === undefined || query.customerId === delivery.customerId) &&
    (query.transactionId === undefined || query.transactionId === delivery.transactionId) &&
    (query.account === undefined || query.account === delivery.account) &&
    (query.afterEventId === undefined || delivery.eventId > query.afterEventId)
}

/**
 * Long polls for delivered webhooks. A wait is answered by the oldest delivered event that matches
 * its query and that its consumer has not been handed yet, and that event is then the consumer's:
 * a later wait gets the next one, never the same one again, yet still gets an event delivered just
 * before it started. The store is read once when a wait starts; after that, each newly delivered
 * event is matched against the open waits in memory (event ids are never reused, so a handed-out
 * id stays meaningful across resets).
 */
export function createDeliveryWaiters (deliveries: DeliveriesRepository) {
  const waiters = new Set<Waiter>()
  const handedOut = new Map<string, Set<number>>()

  function handedTo (consumer: string): Set<number> {
    let ids = handedOut.get(consumer)
    if (ids === undefined) handedOut.set(consumer, ids = new Set())
    return ids
  }

  function settle (waiter: Waiter, delivery: DeliveryView | undefined): void {
    clearTimeout(waiter.timer)
    waiters.delete(waiter)
    if (delivery !== undefined) handedTo(waiter.query.consumer).add(delivery.eventId)
    waiter.resolve(delivery)
  }

  return {
    /** Resolves with the matching delivery, or undefined after `timeoutMs`. */
    wait (query: WaitQuery, timeoutMs: number): Promise<DeliveryView | undefined> {
      return new Promise((resolve) => {
        const waiter: Waiter = { query, resolve, timer: setTimeout(() => settle(waiter, undefined), timeoutMs) }
        const found = deliveries.firstDelivered(query, [...(handedOut.get(query.consumer) ?? [])])
        if (found !== undefined) return settle(waiter, found)
        waiters.add(waiter)
      })
    },
    /** Told by the dispatcher after a delivery is recorded as delivered. */
    notify (deliveryId: number): void {
      if (waiters.size === 0) return
      const delivery = deliveries.findById(deliveryId)
      if (delivery === undefined) return
      for (const waiter of waiters) {
        if (matches(waiter.query, delivery) && !handedTo(waiter.query.consumer).has(delivery.eventId)) settle(waiter, delivery)
      }
    },
    /** Answers every waiter now (with nothing), so shutdown does not wait for long polls. */
    closeAll (): void {
      for (const waiter of waiters) settle(waiter, undefined)
    },
    count: (): number => waiters.size
  }
}

export type DeliveryWaiters = ReturnType<typeof createDeliveryWaiters>
