import { z } from 'zod'
import { NOTIFICATION_EVENT_TYPES, NOTIFICATION_SERVICE_TYPES } from '../webhooks/event-types.js'
import { isoDate, requestObject, requestUuid, uuid } from './common.js'

const eventType = z.enum(NOTIFICATION_EVENT_TYPES)
const serviceType = z.enum(NOTIFICATION_SERVICE_TYPES)

export const createWebhookPayload = requestObject({
  requestId: requestUuid.describe('Chosen by the merchant; identifies the subscription and is sent back in every event'),
  notificationEventTypes: z.array(eventType).max(100).default([]).describe('Event types to receive'),
  notificationServiceTypes: z.array(serviceType).max(20).default([]).describe('Event groups to receive (CUSTOMER_PURSE for every customer purse event)'),
  url: z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' }).max(2048).describe('Where events are POSTed')
}).refine((p) => p.notificationEventTypes.length + p.notificationServiceTypes.length > 0, {
  message: 'name at least one event type or service type',
  path: ['notificationEventTypes']
})

export const deleteWebhookPayload = requestObject({ requestId: requestUuid })

export const webhookChannel = z.object({
  requestId: uuid,
  notificationEventTypes: z.array(z.string()),
  notificationServiceTypes: z.array(z.string()),
  url: z.string(),
  publicKey: z.string().describe('Sent in the Key header of every delivery'),
  secretKey: z.string().describe('Keys the HMAC-SHA512 sent in the Sign header'),
  createdDate: isoDate,
  blockedByErrorCount: z.number().int().describe('Always 0: the mock never blocks a subscription')
}).meta({ id: 'WebhookChannelDTO' })

export const webhookList = z.object({ subscriptions: z.array(webhookChannel) })
