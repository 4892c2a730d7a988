import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { isAdmin } from '../auth/admin.js'
import { errorResponses } from '../schemas/common.js'

const health = z.object({
  status: z.literal('ok'),
  database: z.object({
    path: z.string().optional().describe('Only for an admin: MOCK_ADMIN_TOKEN sent, or, when none is set, a caller on this machine'),
    journalMode: z.string()
  }),
  webhooks: z.object({
    pending: z.number().int().describe('Deliveries waiting to be sent or retried'),
    inFlight: z.number().int().describe('Attempts under way now')
  })
})

/** Liveness and readiness in one: answers only when the database answers. */
export default async function healthRoutes (fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>()
  app.get('/health', {
    schema: {
      tags: ['Mock'],
      operationId: 'getHealth',
      summary: 'Health of the mock',
      security: [],
      description: 'Mock-only. 200 when the database answers, with the webhook queue state; for Docker HEALTHCHECK and compose `service_healthy`.',
      response: { 200: health.describe('The mock is up and its database answers'), ...errorResponses }
    }
  }, async (request) => ({
    status: 'ok' as const,
    database: {
      ...(isAdmin(request, app.config.adminToken) ? { path: app.config.databasePath } : {}),
      journalMode: app.store.mockState.journalMode()
    },
    webhooks: { pending: app.store.deliveries.pendingCount(), inFlight: app.webhooks.dispatcher.inFlight() }
  }))
}
