import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { ApiError, ErrorCode, Reason } from '../../../errors.js'
import { mockErrorResponses } from '../../../schemas/common.js'
import { emptyBody } from '../../../schemas/mock/common.js'
import { delivery, deliveryIdParams, deliveryQuery } from '../../../schemas/mock/webhooks/deliveries.js'
import type { DeliveryView } from '../../../store/delivery-view.js'

const tags = ['Mock']

/** /_mock/webhooks/deliveries: every delivery with its attempts, one delivery, and sending one again. */
export default async function deliveryRoutes (fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>()

  app.get('/webhooks/deliveries', {
    schema: {
      tags,
      operationId: 'listDeliveries',
      summary: 'List webhook deliveries',
      description: 'Newest first: every delivery with the exact body sent and each attempt\'s time, HTTP status or error, and duration.',
      querystring: deliveryQuery,
      response: { 200: z.object({ deliveries: z.array(delivery) }).describe('The deliveries, newest first'), ...mockErrorResponses }
    }
  }, async (request) => ({ deliveries: app.store.deliveries.list(request.query) }))

  app.get('/webhooks/deliveries/:id', {
    schema: {
      tags,
      operationId: 'getDelivery',
      summary: 'One webhook delivery',
      description: 'The delivery with the exact body sent and each attempt.',
      params: deliveryIdParams,
      response: { 200: delivery.describe('The delivery'), ...mockErrorResponses }
    }
  }, async (request) => {
    const found = app.store.deliveries.findById(request.params.id)
    if (found === undefined) throw new ApiError(ErrorCode.NOT_FOUND, Reason.deliveryNotFound(request.params.id))
    return found
  })

  app.post('/webhooks/deliveries/:id/redeliver', {
    schema: {
      tags,
      operationId: 'redeliver',
      summary: 'Send a delivery again',
      description: 'Queues a new delivery of the same bytes (same event id) to the same subscription, now.',
      params: deliveryIdParams,
      body: emptyBody,
      response: { 202: delivery.describe('The new delivery, queued'), ...mockErrorResponses }
    }
  }, async (request, reply) => {
    const original = app.store.deliveries.findById(request.params.id)
    if (original === undefined) throw new ApiError(ErrorCode.NOT_FOUND, Reason.deliveryNotFound(request.params.id))
    // Created on the account's clock, due now on the machine's (the dispatcher's).
    const id = await app.store.write(() => app.store.deliveries.redeliver(request.params.id, app.domain.clock(original.account), app.clock()))
    if (id === undefined) throw new ApiError(ErrorCode.NOT_FOUND, Reason.deliveryNotFound(request.params.id))
    return reply.code(202).send(app.store.deliveries.findById(id) as DeliveryView)
  })
}
