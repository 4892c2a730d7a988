import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { ApiError, ErrorCode } from '../../errors.js'
import { errorResponses } from '../../schemas/common.js'
import { delivery, deliveryIdParams, deliveryQuery } from '../../schemas/mock.js'
import type { DeliveryView } from '../../store/deliveries-repository.js'

const tags = ['Mock']

export default async function webhookInspectionRoutes (fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>()

  app.get('/webhooks/deliveries', {
    schema: {
      tags,
      summary: 'List webhook deliveries',
      description: 'Newest first: every delivery with the exact body sent and each attempt\'s time, HTTP status or error, and duration.',
      querystring: deliveryQuery,
      response: { 200: z.object({ deliveries: z.array(delivery) }), ...errorResponses }
    }
  }, async (request) => ({ deliveries: app.store.deliveries.list(request.query) }))

  app.post('/webhooks/deliveries/:id/redeliver', {
    schema: {
      tags,
      summary: 'Send a delivery again',
      description: 'Queues a new delivery of the same bytes (same event id) to the same subscription, now.',
      params: deliveryIdParams,
      response: { 202: delivery, ...errorResponses }
    }
  }, async (request, reply) => {
    const id = app.store.deliveries.redeliver(request.params.id, app.clock())
    if (id === undefined) throw new ApiError(ErrorCode.NOT_FOUND, `no webhook delivery ${request.params.id}`)
    app.domain.wake()
    return reply.code(202).send(app.store.deliveries.findById(id) as DeliveryView)
  })
}
