import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { ApiError, ErrorCode, Reason } from '../../../errors.js'
import { int32, mockErrorResponses } from '../../../schemas/common.js'
import { webhookFault, webhookFaultRequest } from '../../../schemas/mock/webhooks/faults.js'

const tags = ['Mock']

/** What a request with no body asks for: the schema's own defaults. */
const WEBHOOK_FAULT_DEFAULTS = webhookFaultRequest.parse({})!

/** /_mock/webhooks/faults: receiver failures recorded without sending. */
export default async function webhookFaultRoutes (fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>()

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
