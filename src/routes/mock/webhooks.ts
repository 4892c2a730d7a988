import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { ApiError, ErrorCode, Reason } from '../../errors.js'
import { mockErrorResponses } from '../../schemas/common.js'
import { delivery, deliveryIdParams, deliveryQuery, waitQuery, waitResponse } from '../../schemas/mock.js'
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
      response: { 200: z.object({ deliveries: z.array(delivery) }), ...mockErrorResponses }
    }
  }, async (request) => ({ deliveries: app.store.deliveries.list(request.query) }))

  app.post('/webhooks/deliveries/:id/redeliver', {
    schema: {
      tags,
      summary: 'Send a delivery again',
      description: 'Queues a new delivery of the same bytes (same event id) to the same subscription, now.',
      params: deliveryIdParams,
      response: { 202: delivery, ...mockErrorResponses }
    }
  }, async (request, reply) => {
    const id = await app.store.write(() => app.store.deliveries.redeliver(request.params.id, app.clock()))
    if (id === undefined) throw new ApiError(ErrorCode.NOT_FOUND, Reason.deliveryNotFound(request.params.id))
    return reply.code(202).send(app.store.deliveries.findById(id) as DeliveryView)
  })

  app.get('/webhooks/wait', {
    schema: {
      tags,
      summary: 'Wait for a delivered webhook',
      description: 'A long poll: answers with the first delivered event matching the filters (already delivered ones included; use afterEventId for the next one), or 408 with errorCode 004 after timeoutMs. Lets a test in any language wait for a webhook without sleeping.',
      querystring: waitQuery,
      response: { 200: waitResponse, 408: mockErrorResponses[400].describe('Nothing matching was delivered in time (errorCode 004)'), ...mockErrorResponses }
    }
  }, async (request, reply) => {
    const { timeoutMs, ...query } = request.query
    const found = await app.webhooks.waiters.wait(query, timeoutMs)
    if (found === undefined) {
      throw new ApiError(ErrorCode.NOT_FOUND, `no matching webhook was delivered within ${timeoutMs} ms`, 408)
    }
    return reply.send({ delivery: found, event: JSON.parse(found.body) })
  })
}
