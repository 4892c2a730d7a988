import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { anySubscriptionFor } from '../../domain/subscriptions.js'
import { ApiError, ErrorCode, Reason } from '../../errors.js'
import { errorBody, int32, mockErrorResponses } from '../../schemas/common.js'
import { delivery, deliveryIdParams, deliveryQuery, waitQuery, waitResponse, webhookFault, webhookFaultRequest } from '../../schemas/mock.js'
import type { DeliveryView } from '../../store/deliveries-repository.js'

const tags = ['Mock']

/** What a request with no body asks for: the schema's own defaults. */
const WEBHOOK_FAULT_DEFAULTS = webhookFaultRequest.parse({})!

export default async function webhookInspectionRoutes (fastify: FastifyInstance) {
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

  app.post('/webhooks/deliveries/:id/redeliver', {
    schema: {
      tags,
      operationId: 'redeliver',
      summary: 'Send a delivery again',
      description: 'Queues a new delivery of the same bytes (same event id) to the same subscription, now.',
      params: deliveryIdParams,
      response: { 202: delivery.describe('The new delivery, queued'), ...mockErrorResponses }
    }
  }, async (request, reply) => {
    const id = await app.store.write(() => app.store.deliveries.redeliver(request.params.id, app.clock()))
    if (id === undefined) throw new ApiError(ErrorCode.NOT_FOUND, Reason.deliveryNotFound(request.params.id))
    return reply.code(202).send(app.store.deliveries.findById(id) as DeliveryView)
  })

  app.get('/webhooks/wait', {
    schema: {
      tags,
      operationId: 'waitForWebhook',
      summary: 'Wait for a delivered webhook',
      description: 'A long poll: answers with the oldest delivered event that matches the filters and that this `consumer` has not been handed yet, or 408 with errorCode 004 after timeoutMs (its message says when nothing is subscribed for the account, so that nothing can be delivered). The answer hands that event to the consumer: its next wait gets the next matching event, never the same one, yet an event delivered just before the wait started still counts. Lets a test in any language wait for a webhook without sleeping.',
      querystring: waitQuery,
      response: { 200: waitResponse.describe('The first matching delivery and the event it carried'), 408: errorBody.describe('Nothing matching was delivered in time (errorCode 004); the message says when nothing is subscribed'), ...mockErrorResponses }
    }
  }, async (request, reply) => {
    const { timeoutMs, ...query } = request.query
    const gone = new AbortController()
    reply.raw.once('close', () => { if (!reply.raw.writableFinished) gone.abort() })
    const found = await app.webhooks.waiters.wait(query, timeoutMs, gone.signal)
    if (found === undefined) {
      const reason = anySubscriptionFor(app.store, query.account, query.eventType)
        ? Reason.noWebhookInTime(timeoutMs)
        : Reason.noWebhookSubscribed(timeoutMs, query.account, query.eventType)
      throw new ApiError(ErrorCode.NOT_FOUND, reason, 408)
    }
    return reply.send({ delivery: found, event: JSON.parse(found.body) })
  })

  app.post('/webhooks/faults', {
    schema: {
      tags,
      operationId: 'failWebhooks',
      summary: 'Make the receiver fail',
      description: 'The next `times` delivery attempts (of `account`\'s events, when given) are recorded as failed with `status` (500 by default) without being sent, and retried on the schedule like any failure: a receiver that fails N times, then recovers.',
      body: webhookFaultRequest,
      response: { 201: webhookFault.describe('The receiver failure, queued'), ...mockErrorResponses }
    }
  }, async (request, reply) => {
    const { account: given, status, times } = request.body ?? WEBHOOK_FAULT_DEFAULTS
    const account = given?.toLowerCase()
    if (account !== undefined && app.store.accounts.findByAccount(account) === undefined) throw new ApiError(ErrorCode.NOT_FOUND, Reason.accountNotFound(account))
    const fault = app.webhooks.faults.add({ account, status, times }, new Date(app.clock()).toISOString())
    return reply.code(201).send(fault)
  })

  app.get('/webhooks/faults', {
    schema: { tags, operationId: 'listWebhookFaults', summary: 'List waiting receiver failures', response: { 200: z.object({ faults: z.array(webhookFault) }).describe('The receiver failures still waiting'), ...mockErrorResponses } }
  }, async () => ({ faults: app.webhooks.faults.list() }))

  app.delete('/webhooks/faults', {
    schema: { tags, operationId: 'clearWebhookFaults', summary: 'Clear every receiver failure', response: { 200: z.object({ cleared: int32() }).describe('How many were cleared'), ...mockErrorResponses } }
  }, async () => ({ cleared: app.webhooks.faults.clear() }))
}
