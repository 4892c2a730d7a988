import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { createDeposit } from '../../domain/deposits.js'
import { mockErrorResponses } from '../../schemas/common.js'
import { depositRequest } from '../../schemas/mock/deposits.js'
import { mockTransaction } from '../../schemas/mock/transactions.js'

const tags = ['Mock']

/** POST /_mock/deposits: a fake incoming deposit. */
export default async function depositRoutes (fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>()

  app.post('/deposits', {
    schema: {
      tags,
      operationId: 'createDeposit',
      summary: 'Fake an incoming deposit',
      description: 'Records a transaction on the customer\'s purse (created if needed) and drives it MEM_POOL_FOUND → PENDING_COMPLIANCE_CHECK → CONFIRMED → credited, or to DECLINED, emitting the matching CUSTOMER_PURSE_* webhooks in that order. `stopAt` pauses it. A blocked customer\'s deposit is credited too; its events say customerBlocked: true.',
      body: depositRequest,
      response: { 201: mockTransaction.describe('The transaction, in the state it stopped at'), ...mockErrorResponses }
    }
  }, async (request, reply) => reply.code(201).send(await app.store.write(() => createDeposit(app.domain, request.body))))
}
