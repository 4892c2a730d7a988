import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { CURRENCY_CODES, isCurrency } from '../../domain/currencies.js'
import { requireCustomer } from '../../domain/customers.js'
import { getOrCreatePurse } from '../../domain/purses.js'
import { ApiError, ErrorCode, Reason } from '../../errors.js'
import { errorResponses } from '../../schemas/common.js'
import { envelope } from '../../schemas/envelope.js'
import { addressPayload, purseAddress } from '../../schemas/purse.js'

export default async function addressRoutes (fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>()

  app.post('/get', {
    schema: {
      tags: ['Purses'],
      security: [{ Key: [], Sign: [] }],
      operationId: 'getAddress',
      summary: 'Get a customer\'s deposit address',
      description: 'Returns the customer\'s active address for the currency\'s chain, creating it on the first call. Every currency of one chain family (ETH, USDT_BSC, POL, ...) gets the same `{id, address}`. An expired or declined address is never handed out again: the next call creates a new purse with a new address.',
      body: envelope(addressPayload),
      response: { 200: purseAddress.describe('The purse: its id and deposit address'), ...errorResponses }
    }
  }, async (request) => {
    const { customerId, currency } = request.body.payload
    if (!isCurrency(currency)) throw new ApiError(ErrorCode.BAD_REQUEST, Reason.unknownCurrency(currency, CURRENCY_CODES))
    const purse = await app.store.write(() => {
      requireCustomer(app.domain, request.account, customerId)
      return getOrCreatePurse(app.domain, request.account, customerId, currency)
    })
    return { id: purse.id, address: purse.address }
  })
}
