import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { createCustomer, setCustomerBlocked, updateCustomer } from '../../domain/customers.js'
import { errorResponses } from '../../schemas/common.js'
import { createCustomerPayload, customer, customerIdPayload, updateCustomerPayload } from '../../schemas/customer.js'
import { envelope } from '../../schemas/envelope.js'
import type { CustomerFields } from '../../store/customers-repository.js'

const security = [{ Key: [], Sign: [] }]
const tags = ['Customers']

/** null means "not given": Calypso's update changes only the fields it receives. */
function fieldsOf (payload: { email?: string | null | undefined, description?: string | null | undefined, externalId?: string | null | undefined }): CustomerFields {
  return {
    email: payload.email ?? undefined,
    description: payload.description ?? undefined,
    externalId: payload.externalId ?? undefined
  }
}

export default async function customerRoutes (fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>()

  app.post('/create', {
    schema: {
      tags,
      security,
      operationId: 'createCustomer',
      summary: 'Create a customer',
      description: 'Creates a customer of the account. Every field is optional.',
      body: envelope(createCustomerPayload),
      response: { 200: customer.describe('The new customer'), ...errorResponses }
    }
  }, async (request) => app.store.write(() => createCustomer(app.domain, request.account, fieldsOf(request.body.payload))))

  app.post('/update', {
    schema: {
      tags,
      security,
      operationId: 'updateCustomer',
      summary: 'Update a customer',
      description: 'Changes only the fields present in the payload; absent or null fields keep their value.',
      body: envelope(updateCustomerPayload),
      response: { 200: customer.describe('The customer as updated'), ...errorResponses }
    }
  }, async (request) => {
    const { id } = request.body.payload
    return app.store.write(() => updateCustomer(app.domain, request.account, id, fieldsOf(request.body.payload)))
  })

  app.post('/block', {
    schema: {
      tags,
      security,
      operationId: 'blockCustomer',
      summary: 'Block a customer',
      description: 'Sets the blocking flag. The customer\'s addresses keep accepting funds; their webhooks say the customer is blocked. Idempotent.',
      body: envelope(customerIdPayload),
      response: { 200: customer.describe('The customer, blocked'), ...errorResponses }
    }
  }, async (request) => {
    const { customerId } = request.body.payload
    return app.store.write(() => setCustomerBlocked(app.domain, request.account, customerId, true))
  })

  app.post('/unblock', {
    schema: {
      tags,
      security,
      operationId: 'unblockCustomer',
      summary: 'Unblock a customer',
      description: 'Clears the blocking flag. Idempotent.',
      body: envelope(customerIdPayload),
      response: { 200: customer.describe('The customer, unblocked'), ...errorResponses }
    }
  }, async (request) => {
    const { customerId } = request.body.payload
    return app.store.write(() => setCustomerBlocked(app.domain, request.account, customerId, false))
  })
}
