import type { FastifyInstance } from 'fastify'
import { createRequestVerifier } from '../auth/verify-request.js'
import { ApiError, ErrorCode, Reason } from '../errors.js'
import addressRoutes from './customer-purse/address.js'
import customerRoutes from './customer-purse/customer.js'
import purseRoutes from './customer-purse/purse.js'
import transactionRoutes from './customer-purse/transaction.js'
import webhookSubscriptionRoutes from './subscription/webhook.js'

/** Everything under /api/v1: Calypso's own endpoints, each request authenticated first. */
export default async function calypsoApi (app: FastifyInstance) {
  app.decorateRequest('account', '')
  app.addHook('preValidation', createRequestVerifier({
    accounts: app.store.accounts,
    timestampWindowMs: app.config.timestampWindowMs,
    now: app.clock,
    issuedAs: new Map(app.config.accounts.map((a) => [a.account.toLowerCase(), a.account]))
  }))
  app.addHook('preValidation', async (request) => {
    const query = request.url.indexOf('?')
    if (query >= 0) throw new ApiError(ErrorCode.BAD_REQUEST, Reason.queryString(request.url.slice(query)))
  })
  await app.register(customerRoutes, { prefix: '/customer-purse/customer' })
  await app.register(addressRoutes, { prefix: '/customer-purse/address' })
  await app.register(purseRoutes, { prefix: '/customer-purse/purse' })
  await app.register(transactionRoutes, { prefix: '/customer-purse/transaction' })
  await app.register(webhookSubscriptionRoutes, { prefix: '/subscription/webhook' })
}
