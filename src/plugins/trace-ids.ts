import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

/** The trace id of every answer, so a merchant can find the call in /_mock/requests and the log. */
export default fp(async function traceIds (app: FastifyInstance) {
  app.addHook('onRequest', async (request, reply) => { reply.header('x-trace-id', request.id) })
}, { name: 'trace-ids' })
