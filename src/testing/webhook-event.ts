/** A webhook event as Calypso delivers it: the JSON body of one delivery. */
export interface WebhookEvent {
  /** The subscription's request id. */
  requestId: string
  /** The event id; a redelivery carries the same id, so receivers drop duplicates by it. */
  id: number
  createdDate: string
  level: 'INFO' | 'SUCCESS' | 'WARNING'
  service: string
  /** e.g. CUSTOMER_PURSE_FUNDS_RECEIVED_FOR_PURSE. */
  eventType: string
  data: Record<string, unknown> & { customerId?: string, customerBlocked?: boolean, transactionId?: string }
}

/** Decides which event a test waits for. */
export type WebhookPredicate = (event: WebhookEvent) => boolean

/** What did arrive, for the message of a wait that failed: a failing test shows what it got instead. */
export function describeReceived (received: readonly WebhookEvent[]): string {
  return received.length === 0 ? 'none' : received.map((e) => `${e.eventType}#${e.id}`).join(', ')
}

export function noMatchingWebhook (timeoutMs: number, received: readonly WebhookEvent[]): Error {
  return new Error(`no matching webhook within ${timeoutMs} ms; received: ${describeReceived(received)}`)
}
