import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify'
import { hasAdminToken } from '../auth/admin.js'
import { ApiError, ErrorCode, Reason } from '../errors.js'
import { rejectUnparsedBody } from '../plugins/json-body.js'
import { mockSecurity } from '../schemas/common.js'
import controlRoutes from './mock/control.js'
import depositRoutes from './mock/deposits.js'
import liveEventRoutes from './mock/events.js'
import snapshotRoutes from './mock/snapshots.js'
import storedRoutes from './mock/stored.js'
import webhookInspectionRoutes from './mock/webhooks.js'

/** Everything under /_mock: controls that do not exist on Calypso. */
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
  await app.register(controlRoutes)
  await app.register(depositRoutes)
  await app.register(webhookInspectionRoutes)
  await app.register(liveEventRoutes)
  await app.register(storedRoutes)
  await app.register(snapshotRoutes)
}
