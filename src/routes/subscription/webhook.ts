import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { createSubscription, deleteSubscription } from '../../domain/subscriptions.js'
import { errorResponses } from '../../schemas/common.js'
import { emptyEnvelope, envelope } from '../../schemas/envelope.js'
import { createWebhookPayload, deleteWebhookPayload, webhookChannel, webhookList } from '../../schemas/webhook.js'
import type { Subscription } from '../../store/subscriptions-repository.js'

const security = [{ Key: [], Sign: [] }]
const tags = ['Webhook subscriptions']
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
      summary: 'Get the list of webhook subscriptions',
      description: 'Every live subscription of the account, including the one the mock makes for WEBHOOK_URL.',
      body: emptyEnvelope,
      response: { 200: webhookList, ...errorResponses }
    }
  }, async (request) => ({ subscriptions: app.store.subscriptions.listLive(request.account).map(toChannel) }))

  app.post('/create', {
    schema: {
      tags,
      security,
      summary: 'Create a webhook subscription',
      description: 'Subscribes a URL to event types and/or service types. The answer carries the key pair that signs every delivery.',
      body: envelope(createWebhookPayload),
      response: { 200: webhookChannel, ...errorResponses }
    }
  }, async (request) => toChannel(await app.store.write(() => createSubscription(app.store, app.ids, request.account, request.body.payload, app.clock()))))

  app.delete('/', {
    prefixTrailingSlash,
    schema: {
      tags,
      security,
      summary: 'Delete a webhook subscription',
      description: 'DELETE with a JSON body. Pending deliveries to the subscription are cancelled. Answers 200 with no body.',
      body: envelope(deleteWebhookPayload),
      response: { 200: z.undefined().describe('Deleted'), ...errorResponses }
    }
  }, async (request, reply) => {
    await app.store.write(() => deleteSubscription(app.store, request.account, request.body.payload.requestId, app.clock()))
    return reply.code(200).send()
  })
}
