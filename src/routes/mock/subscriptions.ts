import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { mockErrorResponses } from '../../schemas/common.js'
import { storedSubscriptions, subscriptionsQuery } from '../../schemas/mock/subscriptions.js'

const tags = ['Mock']

/** GET /_mock/subscriptions: the live webhook subscriptions of every account. */
export default async function subscriptionListRoutes (fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>()

  app.get('/subscriptions', {
    schema: {
      tags,
      operationId: 'listSubscriptions',
      summary: 'List webhook subscriptions',
      description: 'The live subscriptions of every account (or one), from the API and from WEBHOOK_URL, with their key pairs.',
      querystring: subscriptionsQuery,
      response: { 200: storedSubscriptions.describe('The live subscriptions'), ...mockErrorResponses }
    }
  }, async (request) => {
    const accounts = request.query.account === undefined ? app.store.accounts.list().map((a) => a.account) : [request.query.account]
    return { subscriptions: accounts.flatMap((account) => app.store.subscriptions.listLive(account)) }
  })
}
