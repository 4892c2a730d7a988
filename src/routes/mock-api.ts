import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify'
import { hasAdminToken } from '../auth/admin.js'
import { ApiError, ErrorCode, Reason } from '../errors.js'
import { rejectUnparsedBody } from '../http/request-body.js'
import { mockSecurity } from '../schemas/common.js'
import clockRoutes from './mock/clock.js'
import accountRoutes from './mock/accounts.js'
import customerListRoutes from './mock/customers.js'
import depositRoutes from './mock/deposits.js'
import liveEventRoutes from './mock/events.js'
import faultRoutes from './mock/faults.js'
import purseControlRoutes from './mock/purses.js'
import requestJournalRoutes from './mock/requests.js'
import resetRoutes from './mock/reset.js'
import subscriptionListRoutes from './mock/subscriptions.js'
import transactionControlRoutes from './mock/transactions.js'
import deliveryRoutes from './mock/webhooks/deliveries.js'
import webhookFaultRoutes from './mock/webhooks/faults.js'
import webhookWaitRoutes from './mock/webhooks/wait.js'
import snapshotRoutes from './mock/snapshots.js'

/** Everything under /_mock: controls that do not exist on Calypso. One file per URL folder. */
export default async function mockApi (app: FastifyInstance) {
  app.addHook('onRoute', (route: RouteOptions) => { route.schema = { ...route.schema, security: mockSecurity } })
  const token = app.config.adminToken
  if (token !== undefined) {
    app.addHook('onRequest', async (request: FastifyRequest) => {
      if (!hasAdminToken(request, token)) {
        throw new ApiError(ErrorCode.INVALID_API_KEY, Reason.adminTokenNeeded, 401)
      }
    })
  }
  app.addHook('preValidation', async (request) => { rejectUnparsedBody(request) })
  await app.register(resetRoutes)
  await app.register(accountRoutes)
  await app.register(customerListRoutes)
  await app.register(transactionControlRoutes)
  await app.register(requestJournalRoutes)
  await app.register(faultRoutes)
  await app.register(depositRoutes)
  await app.register(purseControlRoutes)
  await app.register(deliveryRoutes)
  await app.register(webhookWaitRoutes)
  await app.register(webhookFaultRoutes)
  await app.register(liveEventRoutes)
  await app.register(subscriptionListRoutes)
  await app.register(clockRoutes)
  await app.register(snapshotRoutes)
}
