import type { DeliveredQuery, DeliveriesRepository, DeliveryView } from '../store/deliveries-repository.js'

interface Waiter {
  query: DeliveredQuery
  resolve: (delivery: DeliveryView | undefined) => void
  timer: NodeJS.Timeout
}

/** Long polls for delivered webhooks: each waiter is answered by the first delivered event matching its query. */
export function createDeliveryWaiters (deliveries: DeliveriesRepository) {
  const waiters = new Set<Waiter>()

  function settle (waiter: Waiter, delivery: DeliveryView | undefined): void {
    clearTimeout(waiter.timer)
    waiters.delete(waiter)
    waiter.resolve(delivery)
  }

  return {
    /** Resolves with the matching delivery, or undefined after `timeoutMs`. */
    wait (query: DeliveredQuery, timeoutMs: number): Promise<DeliveryView | undefined> {
      const found = deliveries.firstDelivered(query)
      if (found !== undefined) return Promise.resolve(found)
      return new Promise((resolve) => {
        const waiter: Waiter = { query, resolve, timer: setTimeout(() => settle(waiter, undefined), timeoutMs) }
        waiters.add(waiter)
      })
    },
    notify (): void {
      for (const waiter of waiters) {
        const found = deliveries.firstDelivered(waiter.query)
        if (found !== undefined) settle(waiter, found)
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
