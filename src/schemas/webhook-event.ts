import { z } from 'zod'
import { CURRENCIES, WEBHOOK_FAULT_KINDS, type Currency } from '../domain/model.js'
import { CUSTOMER_PURSE_EVENTS, CUSTOMER_PURSE_SERVICE, type CustomerPurseEvent } from '../domain/event-types.js'
import { int32, int64, uuid } from './common.js'

/** A Java LocalDateTime as Jackson writes it: no zone, the fraction without its trailing zeros, or none. */
export const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?$/

export const webhookFaultKind = z.enum(WEBHOOK_FAULT_KINDS).meta({
  id: 'WebhookFaultKind',
  description: 'fail: the attempt fails unsent; duplicate: the event is sent twice; reorder: held events are sent in reverse; delay: a wait before each send; bad-signature: Sign made with a wrong secret; stale: an older event sent again'
})

export const webhookEventLevel = z.enum(['INFO', 'SUCCESS', 'WARNING']).meta({ id: 'WebhookEventLevel' })

/** The event types the mock sends: the customer purse ones. */
export const customerPurseEventType = z.enum(Object.keys(CUSTOMER_PURSE_EVENTS) as [CustomerPurseEvent, ...CustomerPurseEvent[]])
  .meta({ id: 'CustomerPurseEventType' })

/** A currency code the mock knows, as it appears in what the mock sends. */
export const currencyCode = z.enum(Object.keys(CURRENCIES) as [Currency, ...Currency[]]).meta({ id: 'Currency' })

export const customerPurseEventData = z.object({
  customerId: uuid,
  customerBlocked: z.boolean().describe('Whether the customer was blocked when the event was written'),
  blocked: z.boolean().describe('The same flag under the name the docs\' prose uses'),
  purseId: uuid.describe('The purse (address) id'),
  address: z.string().describe('The deposit address'),
  transactionId: uuid.optional().describe('On the transaction events; absent on CUSTOMER_PURSE_EXPIRED'),
  amount: z.number().optional().describe('On the transaction events'),
  currency: currencyCode.optional().describe('On the transaction events'),
  transactionHash: z.string().optional().describe('On the transaction events')
}).meta({ id: 'CustomerPurseEventData', description: 'The `data` of a CUSTOMER_PURSE_* event' })

/** The JSON body Calypso POSTs to a subscription's URL, signed with its secret key in the Sign header. */
export const webhookEvent = z.object({
  requestId: uuid.describe('The requestId of the subscription'),
  id: int64().positive().describe('The event id: unique and increasing; a retry or a redelivery carries the same id, so receivers drop duplicates by it'),
  createdDate: z.string().regex(LOCAL_DATE_TIME)
    .describe('When the event was written: a Java LocalDateTime in UTC, with no zone, to the microsecond, the trailing zeros of the fraction dropped (…39.96068, …39.9 and …39 all occur)')
    .meta({ example: '2025-10-30T14:08:39.96068' }),
  level: webhookEventLevel,
  service: z.literal(CUSTOMER_PURSE_SERVICE),
  eventType: customerPurseEventType,
  data: customerPurseEventData
}).meta({
  id: 'WebhookEvent',
  description: 'A webhook event, POSTed to the subscription\'s url with the headers Key (its publicKey) and Sign (lowercase hex HMAC-SHA512 of the exact body bytes, keyed with its secretKey). Only a 200 answer acknowledges it; anything else, a timeout or a refused connection is retried after 30 s, then 30, 60, 90, 150, 240 ... 125 430 s: 19 retries in all.'
})

export const deliveryStatus = z.enum(['pending', 'delivered', 'failed', 'cancelled']).meta({ id: 'DeliveryStatus' })

export const deliveryAttempt = z.object({
  number: int32(),
  startedAt: z.string(),
  durationMs: int32(),
  httpStatus: int32().nullable(),
  error: z.string().nullable(),
  response: z.string().nullable(),
  faults: z.array(z.object({ id: int64(), kind: webhookFaultKind })).describe('The injected webhook faults this attempt was made under; empty for a plain attempt')
})

/** A delivery as GET /_mock/webhooks/deliveries lists it, with the exact body sent. */
export const webhookDelivery = z.object({
  id: int64(),
  eventId: int64(),
  eventType: customerPurseEventType,
  account: z.string(),
  customerId: z.string().nullable(),
  transactionId: z.string().nullable(),
  subscriptionRequestId: z.string(),
  url: z.string(),
  status: deliveryStatus,
  attempts: z.array(deliveryAttempt),
  nextAttemptAt: z.string().nullable(),
  redeliveryOf: int64().nullable(),
  createdDate: z.string(),
  completedDate: z.string().nullable(),
  body: z.string().describe('The exact bytes sent')
}).meta({ id: 'WebhookDelivery' })
