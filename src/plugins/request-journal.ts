import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { createRequestJournal, type RequestJournal } from '../journal/request-journal.js'
import { isApiCall } from '../http/api-paths.js'
import { journalize } from '../journal/journalize.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** The last calls to /api with their auth verdict, as GET /_mock/requests lists them. */
    journal: RequestJournal
  }
  interface FastifyRequest {
    /** The catalog code this request was answered with, for the journal and the log. */
    errorCode?: string
  }
}

/** Journals every answered call to /api. */
export default fp(async function requestJournal (app: FastifyInstance) {
  app.decorate('journal', createRequestJournal())
  app.addHook('onResponse', async (request, reply) => {
    if (!isApiCall(request.url)) return
    journalize(app, request, reply.statusCode, reply.elapsedTime)
    if (request.authVerdict !== undefined) request.log.debug({ auth: request.authVerdict }, 'auth verdict')
  })
}, { name: 'request-journal', dependencies: ['config-and-clock'] })
