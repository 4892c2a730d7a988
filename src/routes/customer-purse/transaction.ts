import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { requireCustomer } from '../../domain/customers.js'
import { ApiError, ErrorCode, Reason } from '../../errors.js'
import { errorResponses } from '../../schemas/common.js'
import { envelope } from '../../schemas/envelope.js'
import { findTransactionsPayload, transaction, transactionIdPayload, transactionPage } from '../../schemas/transaction.js'

export default async function transactionRoutes (fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>()
  const { transactions } = app.store

  app.post('/get', {
    schema: {
      tags: ['Transactions'],
      security: [{ Key: [], Sign: [] }],
      operationId: 'getTransaction',
      summary: 'Get a customer purse transaction',
      body: envelope(transactionIdPayload),
      response: { 200: transaction.describe('The transaction'), ...errorResponses }
    }
  }, async (request) => {
    const { transactionId } = request.body.payload
    const found = transactions.findById(request.account, transactionId)
    if (found === undefined) throw new ApiError(ErrorCode.NOT_FOUND, Reason.transactionNotFound(transactionId))
    return found
  })

  app.post('/find', {
    schema: {
      tags: ['Transactions'],
      security: [{ Key: [], Sign: [] }],
      operationId: 'findTransactions',
      summary: 'Find customer purse transactions',
      description: 'Filters (all given conditions must hold), zero-based pages, and a sort on one property (createdDate ASC by default).',
      body: envelope(findTransactionsPayload),
      response: { 200: transactionPage.describe('One page of matching transactions'), ...errorResponses }
    }
  }, async (request) => {
    const p = request.body.payload
    if (p.customerId !== undefined) requireCustomer(app.domain, request.account, p.customerId)
    const { rows, totalElements } = transactions.find(request.account, {
      customerId: p.customerId,
      currency: p.currencyFilter,
      state: p.transactionStateFilter,
      pageNumber: p.pageNumber,
      pageSize: p.pageSize,
      direction: p.sort ?? 'ASC',
      property: p.properties ?? 'createdDate'
    })
    return {
      result: rows,
      page: p.pageNumber,
      size: p.pageSize,
      total: Math.ceil(totalElements / p.pageSize),
      totalElements
    }
  })
}
