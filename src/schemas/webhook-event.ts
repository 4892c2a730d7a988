import { z } from 'zod'
import { int64, uuid } from './common.js'
import { eventType, serviceType } from './webhook.js'

/** A Java LocalDateTime as Jackson writes it: no zone, the fraction without its trailing zeros, or none. */
export const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?$/

export const webhookEventLevel = z.enum(['INFO', 'SUCCESS', 'WARNING']).meta({ id: 'WebhookEventLevel' })

export const customerPurseEventData = z.object({
  customerId: uuid,
  customerBlocked: z.boolean().describe('Whether the customer was blocked when the event was written'),
  blocked: z.boolean().describe('The same flag under the name the docs\' prose uses'),
  purseId: uuid.describe('The purse (address) id'),
  address: z.string().describe('The deposit address'),
  transactionId: uuid.optional().describe('On the transaction events; absent on CUSTOMER_PURSE_EXPIRED'),
  amount: z.number().optional().describe('On the transaction events'),
  currency: z.string().optional().describe('On the transaction events').meta({ example: 'USDT_TRX' }),
  transactionHash: z.string().optional().describe('On the transaction events')
}).meta({ id: 'CustomerPurseEventData', description: 'The `data` of a CUSTOMER_PURSE_* event' })

/** The JSON body Calypso POSTs to a subscription's URL, signed with its secret key in the Sign header. */
export const webhookEvent = z.object({
  requestId: uuid.describe('The requestId of the subscription'),
  id: int64().describe('The event id; a retry or a redelivery carries the same id'),
  createdDate: z.string().regex(LOCAL_DATE_TIME)
    .describe('When the event was written: a Java LocalDateTime in UTC, with no zone, to the microsecond, the trailing zeros of the fraction dropped (…39.96068, …39.9 and …39 all occur)')
    .meta({ example: '2025-10-30T14:08:39.96068' }),
  level: webhookEventLevel,
  service: serviceType,
  eventType,
  data: customerPurseEventData
}).meta({
  id: 'WebhookEvent',
  description: 'A webhook event, POSTed to the subscription\'s url with the headers Key (its publicKey) and Sign (lowercase hex HMAC-SHA512 of the exact body bytes, keyed with its secretKey). Only a 200 answer acknowledges it; anything else, a timeout or a refused connection is retried after 30 s, then 30, 60, 90, 150, 240 ... 125 430 s: 19 retries in all.'
})
