import type { DeliveredQuery, DeliveriesRepository, DeliveryView, DueDelivery } from '../store/deliveries-repository.js'

export interface WaitQuery extends DeliveredQuery {
  /** Each delivered event is handed to a consumer once. */
  consumer: string
}

interface Waiter {
  query: WaitQuery
  resolve: (delivery: DeliveryView | undefined) => void
  timer: NodeJS.Timeout
}

/**
 * How many consumers' records are kept: past it, the one that waited longest ago is forgotten (its
 * next wait may be handed an event it had already been handed). Each record grows with the events
 * handed out; a reset empties them all.
 */
export const MAX_CONSUMERS = 1000

/** What a wait filters on, read from the delivered body: the event's own fields. */
interface DeliveredEvent {
  eventId: number
  eventType: string
  customerId: string | undefined
  transactionId: string | undefined
  account: string
}

function deliveredEvent (delivery: DueDelivery): DeliveredEvent {
  const body = JSON.parse(delivery.body) as { id: number, eventType: string, data: { customerId?: string, transactionId?: string } }
  return { eventId: body.id, eventType: body.eventType, customerId: body.data.customerId, transactionId: body.data.transactionId, account: delivery.account }
}

function matches (query: DeliveredQuery, event: DeliveredEvent): boolean {
  return (query.eventType === undefined || query.eventType === event.eventType) &&
    (query.customerId === undefined || query.customerId === event.customerId) &&
    (query.transactionId === undefined || query.transactionId === event.transactionId) &&
    (query.account === undefined || query.account === event.account) &&
    (query.afterEventId === undefined || event.eventId > query.afterEventId)
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
  // Per account restored from a snapshot: the last event id before the restore; waits see only later ones.
  const restoredAfter = new Map<string, number>()
  const afterRestore = (event: DeliveredEvent): boolean => event.eventId > (restoredAfter.get(event.account) ?? 0)

  /** A consumer's record, now the most recently used: the Map's order is the order of last use. */
  function handedTo (consumer: string): Set<number> {
    const ids = handedOut.get(consumer) ?? new Set<number>()
    handedOut.delete(consumer)
    handedOut.set(consumer, ids)
    if (handedOut.size > MAX_CONSUMERS) handedOut.delete(handedOut.keys().next().value as string)
    return ids
  }

  function settle (waiter: Waiter, delivery: DeliveryView | undefined): void {
    clearTimeout(waiter.timer)
    waiters.delete(waiter)
    if (delivery !== undefined) handedTo(waiter.query.consumer).add(delivery.eventId)
    waiter.resolve(delivery)
  }

  return {
    /**
     * Resolves with the matching delivery, or undefined after `timeoutMs`. Once `signal` aborts (the
     * client went away), the wait ends with nothing and hands nothing out, so no event is lost.
     */
    wait (query: WaitQuery, timeoutMs: number, signal?: AbortSignal): Promise<DeliveryView | undefined> {
      return new Promise((resolve) => {
        if (signal?.aborted === true) return resolve(undefined)
        const waiter: Waiter = { query, resolve, timer: setTimeout(() => settle(waiter, undefined), timeoutMs) }
        const floors = restoredAfter.size === 0 ? undefined : Object.fromEntries(restoredAfter)
        const found = deliveries.firstDelivered({ ...query, floors }, [...handedTo(query.consumer)])
        if (found !== undefined) return settle(waiter, found)
        waiters.add(waiter)
        signal?.addEventListener('abort', () => { if (waiters.has(waiter)) settle(waiter, undefined) }, { once: true })
      })
    },
    /** Told by the dispatcher after a delivery is recorded as delivered; reads the store only to answer a match. */
    notify (delivered: DueDelivery): void {
      if (waiters.size === 0) return
      const event = deliveredEvent(delivered)
      let view: DeliveryView | undefined
      for (const waiter of waiters) {
        if (!matches(waiter.query, event) || !afterRestore(event) || handedTo(waiter.query.consumer).has(event.eventId)) continue
        view ??= deliveries.findById(delivered.id)
        if (view === undefined) return
        settle(waiter, view)
      }
    },
    /** After a full reset no delivered event is left to hand out, so what each consumer was handed can go. */
    forgetHandedOut (): void {
      handedOut.clear()
    },
    /**
     * After the account's data was restored from a snapshot: its open waits end with nothing, and
     * later waits see only its events newer than `lastEventId`, none of the restored ones.
     */
    restart (account: string, lastEventId: number): void {
      restoredAfter.set(account, lastEventId)
      for (const waiter of waiters) if (waiter.query.account === account) settle(waiter, undefined)
    },
    /** Answers every waiter now (with nothing), so shutdown does not wait for long polls. */
    closeAll (): void {
      for (const waiter of waiters) settle(waiter, undefined)
    },
    count: (): number => waiters.size,
    /** How many consumers have a record. */
    consumers: (): number => handedOut.size
  }
}

export type DeliveryWaiters = ReturnType<typeof createDeliveryWaiters>
