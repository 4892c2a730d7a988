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

export function noMatchingWebhook (timeoutMs: number, received: readonly WebhookEvent[]): Error {
  return new Error(`no matching webhook within ${timeoutMs} ms; received: ${describeReceived(received)}`)
}
