import { timingSafeEqual } from 'node:crypto'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { ApiError, ErrorCode } from '../errors.js'
import { rejectUnparsedBody } from '../plugins/json-body.js'
import controlRoutes from './mock/control.js'
import depositRoutes from './mock/deposits.js'
import liveEventRoutes from './mock/events.js'
import storedRoutes from './mock/stored.js'
import webhookInspectionRoutes from './mock/webhooks.js'

/** Everything under /_mock: controls that do not exist on Calypso. */
export default async function mockApi (app: FastifyInstance) {
  const token = app.config.adminToken
  if (token !== undefined) {
    const expected = Buffer.from(`Bearer ${token}`)
    app.addHook('onRequest', async (request: FastifyRequest) => {
      const given = Buffer.from(request.headers.authorization ?? '')
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        throw new ApiError(ErrorCode.INVALID_API_KEY, 'the /_mock API needs the header Authorization: Bearer <MOCK_ADMIN_TOKEN>', 401)
      }
    })
  }
  app.addHook('preValidation', async (request) => { rejectUnparsedBody(request) })
  await app.register(controlRoutes)
  await app.register(depositRoutes)
  await app.register(webhookInspectionRoutes)
  await app.register(liveEventRoutes)
  await app.register(storedRoutes)
}
