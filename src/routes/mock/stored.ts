import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { ApiError, ErrorCode, Reason } from '../../errors.js'
import { mockErrorResponses } from '../../schemas/common.js'
import { delivery, deliveryIdParams, pursesQuery, storedPurses, storedSubscriptions, subscriptionsQuery } from '../../schemas/mock.js'

const tags = ['Mock']

/** What is stored beside customers and transactions: a customer's purses, one webhook delivery, the subscriptions. */
export default async function storedRoutes (fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>()

  app.get('/purses', {
    schema: {
      tags,
      operationId: 'listPurses',
      summary: 'List a customer\'s purses',
      description: 'Every purse the customer has had, oldest first, whatever its account.',
      querystring: pursesQuery,
      response: { 200: storedPurses.describe('The customer\'s purses, oldest first'), ...mockErrorResponses }
    }
  }, async (request) => ({ purses: app.store.purses.listByCustomer(request.query.customerId) }))

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
