import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { advanceDeposit } from '../../domain/deposits.js'
import { mockErrorResponses } from '../../schemas/common.js'
import { idParams } from '../../schemas/mock/common.js'
import { advanceRequest, mockTransaction, storedTransactions, transactionsQuery } from '../../schemas/mock/transactions.js'

const tags = ['Mock']

/** /_mock/transactions: the stored transactions, and moving a paused deposit on. */
export default async function transactionControlRoutes (fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>()

  app.get('/transactions', {
    schema: {
      tags,
      operationId: 'listTransactions',
      summary: 'List stored transactions',
      description: 'Newest first, with their account, customer, purse and planned outcome.',
      querystring: transactionsQuery,
      response: { 200: storedTransactions.describe('The transactions, newest first'), ...mockErrorResponses }
    }
  }, async (request) => ({ transactions: app.store.transactions.listAll(request.query) }))

  app.post('/transactions/:id/advance', {
    schema: {
      tags,
      operationId: 'advanceTransaction',
      summary: 'Move a paused deposit on',
      description: 'Runs a paused transaction to the end of its flow, or to a later `stopAt`.',
      params: idParams,
      body: advanceRequest,
      response: { 200: mockTransaction.describe('The transaction, in the state it stopped at'), ...mockErrorResponses }
    }
  }, async (request) => app.store.write(() => advanceDeposit(app.domain, request.params.id, request.body?.stopAt)))
}
