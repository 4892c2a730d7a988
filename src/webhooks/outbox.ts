import type { z } from 'zod'
import type { customerPurseEventData } from '../schemas/webhook-event.js'
import type { Store } from '../store/open-store.js'
import type { Subscription } from '../store/subscriptions-repository.js'
import { CUSTOMER_PURSE_EVENTS, CUSTOMER_PURSE_SERVICE, type CustomerPurseEvent } from '../domain/event-types.js'

/** `data` of a customer purse event: the contract's fields, with the blocked flag under both of its documented names. */
export type CustomerPurseEventData = z.output<typeof customerPurseEventData>

export interface EventToEmit {
  account: string
  eventType: CustomerPurseEvent
  data: CustomerPurseEventData
  transactionId?: string | undefined
  nowMs: number
}

/**
 * The date of a webhook event as Calypso writes it: a Java LocalDateTime in UTC (its example:
 * 2025-10-30T14:08:39.96068), to the microsecond, with the trailing zeros of the fraction dropped,
 * so 14:08:39.96068, 14:08:39.9 and 14:08:39 all occur. `ms` may carry a fraction of a millisecond.
 */
export function webhookDate (ms: number): string {
  const micros = Math.round(ms * 1000)
  const wholeMs = Math.floor(micros / 1000)
  const iso = new Date(wholeMs).toISOString()
  const fraction = `${iso.slice(20, 23)}${String(micros - wholeMs * 1000).padStart(3, '0')}`.replace(/0+$/, '')
  return fraction === '' ? iso.slice(0, 19) : `${iso.slice(0, 19)}.${fraction}`
}

export function subscribesTo (subscription: Subscription, eventType: string): boolean {
  return subscription.notificationEventTypes.includes(eventType) ||
    subscription.notificationServiceTypes.includes(CUSTOMER_PURSE_SERVICE)
}

/**
 * Writes an event and one pending delivery per matching subscription. Call it inside the
 * transaction of the change that caused the event, so neither can exist without the other.
 * Each delivery's body is serialised here, once; the dispatcher sends and signs those exact bytes.
 */
export function emitEvent (store: Store, event: EventToEmit): number {
  const level = CUSTOMER_PURSE_EVENTS[event.eventType]
  const createdDate = webhookDate(event.nowMs)
  const id = store.events.insert({
    account: event.account,
    eventType: event.eventType,
    level,
    customerId: event.data.customerId,
    purseId: event.data.purseId,
    transactionId: event.transactionId ?? null,
    data: JSON.stringify(event.data),
    createdAt: createdDate
  })
  const now = new Date(event.nowMs).toISOString()
  // Dates are on the account's clock; a delivery is due on the machine's (the dispatcher's), so at once.
  const dueMs = Math.floor(event.nowMs) - store.clocks.offsetOf(event.account)
  for (const subscription of store.subscriptions.listLive(event.account)) {
    if (!subscribesTo(subscription, event.eventType)) continue
    const body = JSON.stringify({
      requestId: subscription.requestId,
      id,
      createdDate,
      level,
      service: CUSTOMER_PURSE_SERVICE,
      eventType: event.eventType,
      data: event.data
    })
    store.deliveries.insert({ eventId: id, subscriptionSeq: subscription.seq, customerId: event.data.customerId, body, nextAttemptAt: dueMs, now })
  }
  return id
}
