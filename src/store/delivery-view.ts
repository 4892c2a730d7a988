import type { z } from 'zod'
import type { deliveryAttempt, deliveryStatus, webhookDelivery } from '../schemas/webhook-event.js'

/** A delivery as GET /_mock/webhooks/deliveries lists it; the schema in src/schemas is the one definition. */
export type DeliveryView = z.output<typeof webhookDelivery>
export type DeliveryStatus = z.output<typeof deliveryStatus>
/** One attempt at a delivery. */
export type AttemptRecord = z.output<typeof deliveryAttempt>
