import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { advanceDeposit, createDeposit } from '../../domain/deposits.js'
import { expirePurseNow } from '../../domain/purse-expiry.js'
import { mockErrorResponses } from '../../schemas/common.js'
import { advanceRequest, depositRequest, idParams, mockTransaction } from '../../schemas/mock.js'
import { purse } from '../../schemas/purse.js'

const tags = ['Mock']

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

  app.post('/purses/:id/expire', {
    schema: {
      tags,
      operationId: 'expirePurse',
      summary: 'Expire a purse now',
      description: 'Archives an active purse at once and emits CUSTOMER_PURSE_EXPIRED, as the 30-day expiry would.',
      params: idParams,
      response: { 200: purse.describe('The purse, archived'), ...mockErrorResponses }
    }
  }, async (request) => app.store.write(() => expirePurseNow(app.domain, request.params.id)))
}
