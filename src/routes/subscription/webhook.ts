import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { createSubscription, deleteSubscription } from '../../domain/subscriptions.js'
import { ApiError, ErrorCode, Reason } from '../../errors.js'
import { errorResponses } from '../../schemas/common.js'
import { emptyEnvelope, envelope } from '../../schemas/envelope.js'
import { createWebhookPayload, deleteWebhookPayload, webhookChannel, webhookList } from '../../schemas/webhook.js'
import type { Subscription } from '../../store/subscriptions-repository.js'

const security = [{ Key: [], Sign: [] }]
const tags = ['Webhook subscriptions']
/** What Calypso POSTs to the subscription's url, for the OpenAPI document (schemas/webhook-event.ts). */
const webhookDelivery = {
  summary: 'A webhook event, POSTed to the subscription\'s url',
  description: 'Verify Sign over the raw body bytes with the subscription\'s secretKey before trusting the event. Only a 200 answer acknowledges it.',
  operationId: 'receiveWebhookEvent',
  security: [],
  parameters: [
    { in: 'header', name: 'Key', required: true, schema: { type: 'string' }, description: 'The subscription\'s publicKey' },
    { in: 'header', name: 'Sign', required: true, schema: { type: 'string', pattern: '^[0-9a-f]{128}$' }, description: 'Lowercase hex HMAC-SHA512 of the exact body bytes, keyed with the subscription\'s secretKey' }
  ],
  requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/WebhookEvent' } } } },
  responses: {
    200: { description: 'Acknowledged: the event is not sent again' },
    400: { description: 'Not acknowledged, as is any status but 200, a timeout or a refused connection: the event is sent again on the retry schedule' }
  }
}

/** Calypso's path is /api/v1/subscription/webhook: no second route with a trailing slash. */
const prefixTrailingSlash = 'no-slash'

function toChannel (s: Subscription) {
  return {
    requestId: s.requestId,
    notificationEventTypes: s.notificationEventTypes,
    notificationServiceTypes: s.notificationServiceTypes,
    url: s.url,
    publicKey: s.publicKey,
    secretKey: s.secretKey,
    createdDate: s.createdDate,
    blockedByErrorCount: 0
  }
}

export default async function webhookSubscriptionRoutes (fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>()

  app.post('/', {
    prefixTrailingSlash,
    schema: {
      tags,
      security,
      operationId: 'listWebhooks',
      summary: 'Get the list of webhook subscriptions',
      description: 'Every live subscription of the account, including the one the mock makes for WEBHOOK_URL.',
      body: emptyEnvelope,
      response: { 200: webhookList.describe('The account\'s subscriptions'), ...errorResponses }
    }
  }, async (request) => ({ subscriptions: app.store.subscriptions.listLive(request.account).map(toChannel) }))

  app.post('/create', {
    schema: {
      tags,
      security,
      operationId: 'createWebhook',
      summary: 'Create a webhook subscription',
      description: 'Subscribes a URL to event types and/or service types. The answer carries the key pair that signs every delivery; the callback `webhookEvent` shows what is delivered.',
      body: envelope(createWebhookPayload),
      callbacks: { webhookEvent: { '{$request.body#/payload/url}': { post: webhookDelivery } } },
      response: { 200: webhookChannel.describe('The subscription, with the key pair that signs its deliveries'), ...errorResponses }
    }
  }, async (request) => {
    const loop = app.webhooks.selfTarget(request.body.payload.url)
    if (loop !== undefined) throw new ApiError(ErrorCode.BAD_REQUEST, Reason.webhookToSelf(loop))
    return toChannel(await app.store.write(() => createSubscription(app.domain, request.account, request.body.payload)))
  })

  app.delete('/', {
    prefixTrailingSlash,
    schema: {
      tags,
      security,
      operationId: 'deleteWebhook',
      summary: 'Delete a webhook subscription',
      description: 'DELETE with a JSON body. Pending deliveries to the subscription are cancelled. Answers 200 with no body.',
      body: envelope(deleteWebhookPayload),
      response: { 200: z.undefined().describe('Deleted'), ...errorResponses }
    }
  }, async (request, reply) => {
    await app.store.write(() => deleteSubscription(app.domain, request.account, request.body.payload.requestId))
    return reply.code(200).send()
  })
}
