import type { z } from 'zod'
import type { webhookEvent } from '../schemas/webhook-event.js'
import type { CustomerPurseEvent } from '../domain/event-types.js'

/** A webhook event as Calypso delivers it: the JSON body of one delivery (the schema in src/schemas/webhook-event.ts). */
export type WebhookEvent = z.output<typeof webhookEvent>

/** The event types the mock sends. */
export type WebhookEventType = CustomerPurseEvent

/** Decides which event a test waits for. */
export type WebhookPredicate = (event: WebhookEvent) => boolean

/** Which event a test waits for, by its fields; every field given must match. */
export interface WebhookFilter {
  eventType?: WebhookEventType
  customerId?: string
  transactionId?: string
}

/** A filter, or a predicate for anything a filter cannot say. */
export type WebhookMatch = WebhookFilter | WebhookPredicate

export function matcher (match: WebhookMatch, afterEventId: number | undefined): WebhookPredicate {
  const after = (event: WebhookEvent) => afterEventId === undefined || event.id > afterEventId
  if (typeof match === 'function') return (event) => after(event) && match(event)
  const customerId = match.customerId?.toLowerCase()
  const transactionId = match.transactionId?.toLowerCase()
  return (event) => after(event) &&
    (match.eventType === undefined || event.eventType === match.eventType) &&
    (customerId === undefined || event.data.customerId === customerId) &&
    (transactionId === undefined || event.data.transactionId === transactionId)
}

/** What did arrive, for the message of a wait that failed: a failing test shows what it got instead. */
export function describeReceived (received: readonly WebhookEvent[]): string {
  return received.length === 0 ? 'none' : received.map((e) => `${e.eventType}#${e.id}`).join(', ')
}

/** A wait that ended without a matching event; the handle adds what the delivery log says of failed deliveries. */
export class NoMatchingWebhookError extends Error {
  override name = 'NoMatchingWebhookError'
}

export function noMatchingWebhook (timeoutMs: number, received: readonly WebhookEvent[]): Error {
  return new NoMatchingWebhookError(`no matching webhook within ${timeoutMs} ms; received: ${describeReceived(received)}`)
}

/** The most failed deliveries a wait's error lists. */
const FAILED_SHOWN = 5

/** `; not acknowledged: delivery 3 CUSTOMER_PURSE_MEM_POOL_FOUND to http://127.0.0.1:1/hook: 2 attempts, last: connect ECONNREFUSED ...` */
export function describeFailedDeliveries (deliveries: ReadonlyArray<{ id: number, eventType: string, url: string, status: string, attempts: ReadonlyArray<{ httpStatus: number | null, error: string | null }> }>): string {
  const failed = deliveries.filter((d) => d.status !== 'delivered' && d.attempts.length > 0)
  if (failed.length === 0) return ''
  const lines = failed.slice(0, FAILED_SHOWN).map((d) => {
    const last = d.attempts[d.attempts.length - 1]!
    const why = last.error ?? `HTTP ${last.httpStatus ?? '?'}`
    return `delivery ${d.id} ${d.eventType} to ${d.url} (${d.status}): ${d.attempts.length} attempt(s), last: ${why}`
  })
  const more = failed.length > FAILED_SHOWN ? `; and ${failed.length - FAILED_SHOWN} more` : ''
  return `; not acknowledged by the receiver: ${lines.join('; ')}${more}`
}
