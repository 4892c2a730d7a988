import { z } from 'zod'
import { CURRENCY_CODES, type Currency } from '../currencies.js'
import { CUSTOMER_PURSE_EVENTS, CUSTOMER_PURSE_SERVICE, type CustomerPurseEvent } from '../webhooks/event-types.js'
import { uuid } from './common.js'

/** The event types the mock emits. */
export const customerPurseEventType = z.enum(Object.keys(CUSTOMER_PURSE_EVENTS) as [CustomerPurseEvent, ...CustomerPurseEvent[]])

/** A currency code the mock knows, as it appears in what the mock sends. */
export const currencyCode = z.enum(CURRENCY_CODES as [Currency, ...Currency[]])

export const webhookEventData = z.object({
  customerId: uuid,
  customerBlocked: z.boolean().describe('The customer\'s blocked flag when the event was created'),
  blocked: z.boolean().describe('The same flag under its other documented name'),
  purseId: uuid,
  address: z.string().describe('The purse\'s deposit address'),
  transactionId: uuid.optional().describe('Transaction events only'),
  amount: z.number().optional().describe('Transaction events only'),
  currency: currencyCode.optional().describe('Transaction events only'),
  transactionHash: z.string().optional().describe('Transaction events only')
})

/** The JSON body of one webhook delivery: what a merchant's receiver gets and must verify. */
export const webhookEvent = z.object({
  requestId: uuid.describe('The subscription\'s requestId'),
  id: z.number().int().positive().describe('The event id: unique and increasing; a redelivery carries the same id, so receivers drop duplicates by it'),
  createdDate: z.string().describe('Zone-less UTC date-time, as Calypso writes it').meta({ example: '2026-11-25T06:49:48.379' }),
  level: z.enum(['INFO', 'SUCCESS', 'WARNING']),
  service: z.literal(CUSTOMER_PURSE_SERVICE),
  eventType: customerPurseEventType,
  data: webhookEventData
}).meta({ id: 'WebhookEvent', description: 'The body of a webhook delivery, signed with the subscription\'s secret in the Sign header' })

const deliveryStatus = z.enum(['pending', 'delivered', 'failed', 'cancelled'])

export const deliveryAttempt = z.object({
  number: z.number().int(),
  startedAt: z.string(),
  durationMs: z.number().int(),
  httpStatus: z.number().int().nullable(),
  error: z.string().nullable(),
  response: z.string().nullable()
})

/** A delivery as GET /_mock/webhooks/deliveries lists it. */
export const webhookDelivery = z.object({
  id: z.number().int(),
  eventId: z.number().int(),
  eventType: customerPurseEventType,
  account: z.string(),
  customerId: z.string().nullable(),
  transactionId: z.string().nullable(),
  subscriptionRequestId: z.string(),
  url: z.string(),
  status: deliveryStatus,
  attempts: z.array(deliveryAttempt),
  nextAttemptAt: z.string().nullable(),
  redeliveryOf: z.number().int().nullable(),
  createdDate: z.string(),
  completedDate: z.string().nullable(),
  body: z.string().describe('The exact bytes sent')
}).meta({ id: 'WebhookDelivery' })

export { deliveryStatus }
