import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { errorBody, toApiError } from '../http/error-answer.js'

/** One handler for every error, in Calypso's error body (requests no route answers: plugins/not-found.ts). */
export default fp(async function errorHandler (app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const error = toApiError(err, request)
    request.errorCode = error.errorCode
    if (error.statusCode >= 500) request.log.error({ err }, 'request failed')
    else request.log.info({ errorCode: error.errorCode, reason: error.message }, 'request rejected')
    reply.code(error.statusCode).send(errorBody(error, request))
  })
}, { name: 'error-handler' })
