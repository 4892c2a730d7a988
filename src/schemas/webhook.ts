import { z } from 'zod'
import { NOTIFICATION_EVENT_TYPES, NOTIFICATION_SERVICE_TYPES } from '../domain/event-types.js'
import { Reason } from '../errors.js'
import { int32, isoDate, optionalOr, requestObject, requestUuid, uuid } from './common.js'

export const eventType = z.enum(NOTIFICATION_EVENT_TYPES).meta({
  id: 'NotificationEventType',
  description: 'Every event type Calypso documents; the mock sends only the CUSTOMER_PURSE_* ones'
})
export const serviceType = z.enum(NOTIFICATION_SERVICE_TYPES).meta({
  id: 'NotificationServiceType',
  description: 'A group of event types; CUSTOMER_PURSE is the group of the customer purse events'
})

export const createWebhookPayload = requestObject({
  requestId: requestUuid.describe('Chosen by the merchant; identifies the subscription and is sent back in every event'),
  notificationEventTypes: optionalOr(z.array(eventType).max(100), []).describe('Event types to receive; none when absent'),
  notificationServiceTypes: optionalOr(z.array(serviceType).max(20), []).describe('Event groups to receive (CUSTOMER_PURSE for every customer purse event); none when absent'),
  url: z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' }).max(2048).describe('Where events are POSTed')
}).refine((p) => p.notificationEventTypes.length + p.notificationServiceTypes.length > 0, {
  message: Reason.subscriptionNeedsType,
  path: ['notificationEventTypes']
}).meta({ id: 'CreateWebhookRequestDTO' })

export const deleteWebhookPayload = requestObject({ requestId: requestUuid }).meta({ id: 'ByRequestIdRequestDTO' })

export const webhookChannel = z.object({
  requestId: uuid,
  notificationEventTypes: z.array(z.string()).describe('As subscribed: NotificationEventType names'),
  notificationServiceTypes: z.array(z.string()).describe('As subscribed: NotificationServiceType names'),
  url: z.string(),
  publicKey: z.string().describe('Sent in the Key header of every delivery'),
  secretKey: z.string().describe('Keys the HMAC-SHA512 sent in the Sign header'),
  createdDate: isoDate,
  blockedByErrorCount: int32().describe('Always 0: the mock never blocks a subscription')
}).meta({ id: 'WebhookChannelDTO' })

export const webhookList = z.object({ subscriptions: z.array(webhookChannel) })
