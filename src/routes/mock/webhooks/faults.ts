import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { ApiError, ErrorCode, Reason } from '../../../errors.js'
import { faultView } from '../../../faults/webhook-faults.js'
import { int32, mockErrorResponses } from '../../../schemas/common.js'
import { webhookFault, webhookFaultRequest, webhookFaultsClearQuery } from '../../../schemas/mock/webhooks/faults.js'

const tags = ['Mock']

/** What a request with no body asks for: the schema's own defaults. */
const WEBHOOK_FAULT_DEFAULTS = webhookFaultRequest.parse({})!

/** /_mock/webhooks/faults: delivery chaos, and receiver failures recorded without sending. */
export default async function webhookFaultRoutes (fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>()

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
