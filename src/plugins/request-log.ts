import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

/** One log line per request, written when it is answered; bodies and headers are never logged. */
export default fp(async function requestLog (app: FastifyInstance) {
  app.addHook('onResponse', async (request, reply) => {
    request.log.info({
      method: request.method,
      url: request.url,
      status: reply.statusCode,
      errorCode: request.errorCode,
      ms: Math.round(reply.elapsedTime * 10) / 10
    }, 'request')
  })
}, { name: 'request-log' })
