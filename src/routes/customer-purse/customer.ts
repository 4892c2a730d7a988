import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { ApiError, ErrorCode, Reason } from '../../errors.js'
import { isoTime } from '../../plugins/services.js'
import { errorResponses } from '../../schemas/common.js'
import { createCustomerPayload, customer, customerIdPayload, updateCustomerPayload } from '../../schemas/customer.js'
import { envelope } from '../../schemas/envelope.js'
import type { Customer, CustomerFields } from '../../store/customers-repository.js'

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

function found (value: Customer | undefined, id: string): Customer {
  if (value === undefined) throw new ApiError(ErrorCode.NOT_FOUND, Reason.customerNotFound(id))
  return value
}

export default async function customerRoutes (fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>()
  const { customers } = app.store

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
  }, async (request) => app.store.write(() => customers.create(request.account, app.ids.uuid(), fieldsOf(request.body.payload), isoTime(app))))

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
    return found(await app.store.write(() => customers.update(request.account, id, fieldsOf(request.body.payload), isoTime(app))), id)
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
    return found(await app.store.write(() => customers.setBlocked(request.account, customerId, true, isoTime(app))), customerId)
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
    return found(await app.store.write(() => customers.setBlocked(request.account, customerId, false, isoTime(app))), customerId)
  })
}
