import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { requireCustomer } from '../../domain/customers.js'
import { errorResponses } from '../../schemas/common.js'
import { customerIdPayload } from '../../schemas/customer.js'
import { envelope } from '../../schemas/envelope.js'
import { purseList } from '../../schemas/purse.js'

export default async function purseRoutes (fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>()

  app.post('/get-all', {
    schema: {
      tags: ['Purses'],
      security: [{ Key: [], Sign: [] }],
      operationId: 'getAllPurses',
      summary: 'Get all purses of a customer',
      description: 'Every address the customer has had, oldest first: one entry per address, with its status and the currencies it serves.',
      body: envelope(customerIdPayload),
      response: { 200: purseList.describe('The customer\'s purses, oldest first'), ...errorResponses }
    }
  }, async (request) => {
    const { customerId } = request.body.payload
    requireCustomer(app.domain, request.account, customerId)
    return app.store.purses.listByCustomer(customerId)
  })
}
