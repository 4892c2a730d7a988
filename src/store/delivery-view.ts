/** A delivery as GET /_mock/webhooks/deliveries lists it; shared by the store and the library. */

export type DeliveryStatus = 'pending' | 'delivered' | 'failed' | 'cancelled'

/** One attempt at a delivery. */
export interface AttemptRecord {
  number: number
  startedAt: string
  durationMs: number
  httpStatus: number | null
  error: string | null
  response: string | null
}

/** A delivery with its attempts and the exact body sent. */
export interface DeliveryView {
  id: number
  eventId: number
  eventType: string
  account: string
  customerId: string | null
  transactionId: string | null
  subscriptionRequestId: string
  url: string
  status: DeliveryStatus
  attempts: AttemptRecord[]
  nextAttemptAt: string | null
  redeliveryOf: number | null
  createdDate: string
  completedDate: string | null
  body: string
}
