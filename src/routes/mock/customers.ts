import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { listCustomers } from '../../domain/customers.js'
import { mockErrorResponses } from '../../schemas/common.js'
import { customersQuery, storedCustomers } from '../../schemas/mock/customers.js'

const tags = ['Mock']

/** GET /_mock/customers: every account's customers. */
export default async function customerListRoutes (fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>()

  app.get('/customers', {
    schema: {
      tags,
      operationId: 'listCustomers',
      summary: 'List stored customers',
      description: 'Newest first, with their account and dates.',
      querystring: customersQuery,
      response: { 200: storedCustomers.describe('The customers, newest first'), ...mockErrorResponses }
    }
  }, async (request) => ({ customers: listCustomers(app.domain, request.query) }))
}
