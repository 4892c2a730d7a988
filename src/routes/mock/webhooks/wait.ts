import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { anySubscriptionFor } from '../../../domain/subscriptions.js'
import { ApiError, ErrorCode, Reason } from '../../../errors.js'
import { errorBody, mockErrorResponses } from '../../../schemas/common.js'
import { waitQuery, waitResponse } from '../../../schemas/mock/webhooks/wait.js'

const tags = ['Mock']

/** GET /_mock/webhooks/wait: a long poll for a delivered webhook. */
export default async function webhookWaitRoutes (fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>()

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
      const reason = anySubscriptionFor(app.domain, query.account, query.eventType)
        ? Reason.noWebhookInTime(timeoutMs)
        : Reason.noWebhookSubscribed(timeoutMs, query.account, query.eventType)
      throw new ApiError(ErrorCode.NOT_FOUND, reason, 408)
    }
    return reply.send({ delivery: found, event: JSON.parse(found.body) })
  })
}
