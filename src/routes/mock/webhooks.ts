import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { ApiError, ErrorCode, Reason } from '../../errors.js'
import { errorBody, int32, mockErrorResponses } from '../../schemas/common.js'
import { faultView } from '../../faults/webhook-faults.js'
import { delivery, deliveryIdParams, deliveryQuery, waitQuery, waitResponse, webhookFault, webhookFaultRequest, webhookFaultsClearQuery } from '../../schemas/mock.js'
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
      description: 'A long poll: answers with the oldest delivered event that matches the filters and that this `consumer` has not been handed yet, or 408 with errorCode 004 after timeoutMs. The answer hands that event to the consumer: its next wait gets the next matching event, never the same one, yet an event delivered just before the wait started still counts. Lets a test in any language wait for a webhook without sleeping.',
      querystring: waitQuery,
      response: { 200: waitResponse.describe('The first matching delivery and the event it carried'), 408: errorBody.describe('Nothing matching was delivered in time (errorCode 004)'), ...mockErrorResponses }
    }
  }, async (request, reply) => {
    const { timeoutMs, ...query } = request.query
    const gone = new AbortController()
    reply.raw.once('close', () => { if (!reply.raw.writableFinished) gone.abort() })
    const found = await app.webhooks.waiters.wait(query, timeoutMs, gone.signal)
    if (found === undefined) {
      throw new ApiError(ErrorCode.NOT_FOUND, Reason.noWebhookInTime(timeoutMs), 408)
    }
    return reply.send({ delivery: found, event: JSON.parse(found.body) })
  })

  app.post('/webhooks/faults', {
    schema: {
      tags,
      operationId: 'failWebhooks',
      summary: 'Inject a webhook fault',
      description: 'Delivery chaos, per account (`account`) or for every one, for `times` uses (1 by default) or `untilCleared`. `fail` (the default kind): attempts are recorded as failed with `status` (500) without being sent, and retried on the schedule. `duplicate`: an event is sent twice, the copy `delayMs` later. `reorder`: the next `count` events are held, then sent in reverse. `delay`: each send waits `delayMs`. `bad-signature`: Sign is made with a wrong secret; a receiver that refuses it is retried. `stale`: after an event is delivered, the first event of the same customer already delivered is sent again, `delayMs` later. Each attempt made under a fault names it in the delivery log. See docs/delivery-chaos.md.',
      body: webhookFaultRequest,
      response: { 201: webhookFault.describe('The fault, waiting for its deliveries'), ...mockErrorResponses }
    }
  }, async (request, reply) => {
    const { account: given, untilCleared, times, ...spec } = request.body ?? WEBHOOK_FAULT_DEFAULTS
    const account = given?.toLowerCase()
    if (account !== undefined && app.store.accounts.findByAccount(account) === undefined) throw new ApiError(ErrorCode.NOT_FOUND, Reason.accountNotFound(account))
    const status = spec.kind === 'fail' ? spec.status ?? 500 : undefined
    const delayMs = spec.kind === 'duplicate' || spec.kind === 'stale' ? spec.delayMs ?? 0 : spec.delayMs
    const now = new Date(app.domain.clock(account)).toISOString()
    const fault = app.webhooks.faults.add({ ...spec, account, status, delayMs, times: untilCleared === true ? Infinity : times ?? 1 }, now)
    return reply.code(201).send(faultView(fault))
  })

  app.get('/webhooks/faults', {
    schema: { tags, operationId: 'listWebhookFaults', summary: 'List waiting webhook faults', response: { 200: z.object({ faults: z.array(webhookFault) }).describe('The webhook faults still waiting'), ...mockErrorResponses } }
  }, async () => ({ faults: app.webhooks.faults.list().map(faultView) }))

  app.delete('/webhooks/faults', {
    schema: {
      tags,
      operationId: 'clearWebhookFaults',
      summary: 'Clear webhook faults',
      description: 'Clears every webhook fault, or with `account` those of that account; events a reorder fault holds are sent at once, in their order.',
      querystring: webhookFaultsClearQuery,
      response: { 200: z.object({ cleared: int32().describe('How many faults were cleared'), released: int32().describe('How many held events were released') }).describe('What was cleared'), ...mockErrorResponses }
    }
  }, async (request) => {
    const account = request.query.account
    if (account !== undefined && app.store.accounts.findByAccount(account) === undefined) throw new ApiError(ErrorCode.NOT_FOUND, Reason.accountNotFound(account))
    const cleared = app.webhooks.faults.clearOf(account)
    const released = app.webhooks.chaos.releaseHeld(account)
    if (released > 0) app.webhooks.dispatcher.wake()
    return { cleared, released }
  })
}
