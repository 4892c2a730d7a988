import type { AttemptRecord, DeliveryView } from '../store/delivery-view.js'
import { answer } from './mock-http.js'
import { noMatchingWebhook, type WebhookEvent, type WebhookPredicate } from './webhook-event.js'

/** One attempt at a delivery. */
export type DeliveryAttempt = AttemptRecord

/** A delivery as GET /_mock/webhooks/deliveries lists it, with the exact body sent. */
export type WebhookDelivery = DeliveryView

/** Filters of GET /_mock/webhooks/deliveries; newest first, 100 by default. */
export interface DeliveriesQuery {
  status?: WebhookDelivery['status']
  eventType?: string
  customerId?: string
  account?: string
  limit?: number
}

function searchOf (query: object): string {
  const entries = Object.entries(query).filter(([, value]) => value !== undefined)
  return new URLSearchParams(entries.map(([key, value]): [string, string] => [key, String(value)])).toString()
}

export async function listDeliveries (baseUrl: string, query: DeliveriesQuery = {}): Promise<WebhookDelivery[]> {
  const res = await fetch(`${baseUrl}/_mock/webhooks/deliveries?${searchOf(query)}`)
  return (await answer<{ deliveries: WebhookDelivery[] }>(res)).deliveries
}

/** The longest long poll GET /_mock/webhooks/wait accepts. */
const MAX_POLL_MS = 120_000

/**
 * Waits on GET /_mock/webhooks/wait, one delivered event after another, for webhooks that go to a
 * URL of the caller's. The server filters by fields only; the predicate is applied here.
 */
export async function waitInDeliveryLog (baseUrl: string, predicate: WebhookPredicate, timeoutMs: number): Promise<WebhookEvent> {
  const deadline = Date.now() + timeoutMs
  const seen: WebhookEvent[] = []
  let afterEventId = 0
  for (;;) {
    const remaining = Math.min(Math.ceil(deadline - Date.now()), MAX_POLL_MS)
    if (remaining < 1) throw noMatchingWebhook(timeoutMs, seen)
    const res = await fetch(`${baseUrl}/_mock/webhooks/wait?${searchOf({ afterEventId, timeoutMs: remaining })}`)
    if (res.status === 408) {
      await res.body?.cancel()
      // Only a wait longer than one poll goes on; an early 408 means the mock is closing.
      if (remaining === MAX_POLL_MS && Date.now() < deadline) continue
      throw noMatchingWebhook(timeoutMs, seen)
    }
    const { event } = await answer<{ event: WebhookEvent }>(res)
    if (predicate(event)) return event
    seen.push(event)
    afterEventId = event.id
  }
}
