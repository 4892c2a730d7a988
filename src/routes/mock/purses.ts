import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { expirePurseNow } from '../../domain/purse-expiry.js'
import { mockErrorResponses } from '../../schemas/common.js'
import { emptyBody, idParams } from '../../schemas/mock/common.js'
import { pursesQuery, storedPurses } from '../../schemas/mock/purses.js'
import { purse } from '../../schemas/purse.js'

const tags = ['Mock']

/** /_mock/purses: a customer's purses, and expiring one now. */
export default async function purseControlRoutes (fastify: FastifyInstance) {
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

  app.post('/purses/:id/expire', {
    schema: {
      tags,
      operationId: 'expirePurse',
      summary: 'Expire a purse now',
      description: 'Archives an active purse at once and emits CUSTOMER_PURSE_EXPIRED, as the 30-day expiry would.',
      params: idParams,
      body: emptyBody,
      response: { 200: purse.describe('The purse, archived'), ...mockErrorResponses }
    }
  }, async (request) => app.store.write(() => expirePurseNow(app.domain, request.params.id)))
}
