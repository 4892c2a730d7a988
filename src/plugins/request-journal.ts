import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { createRequestJournal, type RequestJournal } from '../journal/request-journal.js'
import { isApiCall, pathOf } from './api-paths.js'

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

/** Records one call to /api; `status` 0 means the connection was broken instead of answered. */
export function journalize (app: FastifyInstance, request: FastifyRequest, status: number, durationMs: number): void {
  app.journal.record({
    time: new Date(app.clock() - durationMs).toISOString(),
    method: request.method,
    path: pathOf(request.url),
    traceId: request.id,
    key: typeof request.headers.key === 'string' ? request.headers.key : null,
    auth: request.authVerdict ?? null,
    faultId: request.fault?.id ?? null,
    status,
    errorCode: request.errorCode ?? null,
    durationMs: Math.round(durationMs)
  }, request.rawBody)
}

/** Journals every answered call to /api. */
export default fp(async function requestJournal (app: FastifyInstance) {
  app.decorate('journal', createRequestJournal())
  app.addHook('onResponse', async (request, reply) => {
    if (!isApiCall(request.url)) return
    journalize(app, request, reply.statusCode, reply.elapsedTime)
    if (request.authVerdict !== undefined) request.log.debug({ auth: request.authVerdict }, 'auth verdict')
  })
}, { name: 'request-journal', dependencies: ['services'] })
