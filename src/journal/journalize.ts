import type { FastifyInstance, FastifyRequest } from 'fastify'
import { pathOf } from '../http/api-paths.js'

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
