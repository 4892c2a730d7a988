import type { FastifyInstance } from 'fastify'
import { rejectUnparsedBody } from '../plugins/json-body.js'
import depositRoutes from './mock/deposits.js'
import webhookInspectionRoutes from './mock/webhooks.js'

/** Everything under /_mock: controls that do not exist on Calypso. */
export default async function mockApi (app: FastifyInstance) {
  app.addHook('preValidation', async (request) => { rejectUnparsedBody(request) })
  await app.register(depositRoutes)
  await app.register(webhookInspectionRoutes)
}
