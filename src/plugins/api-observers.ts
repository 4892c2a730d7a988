import { setTimeout as sleep } from 'node:timers/promises'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { ApiError, ErrorCode, type ErrorCodeValue } from '../errors.js'
import { createFaultRegistry, type Fault, type FaultRegistry } from '../faults/fault-registry.js'
import { createRequestJournal, type RequestJournal } from '../journal/request-journal.js'

declare module 'fastify' {
  interface FastifyInstance {
    journal: RequestJournal
    faults: FaultRegistry
  }
  interface FastifyRequest {
    /** The catalog code this request was answered with, for the journal and the log. */
    errorCode?: string
    fault?: Fault
  }
}

export const API_PREFIX = '/api/'

function pathOf (url: string): string {
  const query = url.indexOf('?')
  return query === -1 ? url : url.slice(0, query)
}

function journalize (app: FastifyInstance, request: FastifyRequest, status: number, durationMs: number): void {
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

/** Breaks the connection instead of answering, as a network fault would. */
function breakConnection (app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, how: 'reset' | 'empty'): void {
  reply.hijack()
  journalize(app, request, 0, reply.elapsedTime)
  const socket = request.raw.socket
  if (how === 'reset' && typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy()
  else socket.destroy()
}

/**
 * Watches every call to /api: the request journal (last 1000 calls with the auth verdict) and the
 * faults injected through /_mock/faults, which answer before the API does and so change nothing.
 */
export default fp(async function apiObservers (app: FastifyInstance) {
  app.decorate('journal', createRequestJournal())
  app.decorate('faults', createFaultRegistry())

  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith(API_PREFIX)) return
    const fault = app.faults.take(pathOf(request.url), typeof request.headers.key === 'string' ? request.headers.key : undefined)
    if (fault === undefined) return
    request.fault = fault
    if (fault.delayMs !== undefined) await sleep(fault.delayMs)
    if (fault.connection !== undefined) return breakConnection(app, request, reply, fault.connection)
    if (fault.body !== undefined) {
      // Serialised here: the route's response schema must not reshape or refuse a stub.
      return reply.code(fault.status ?? 200).type('application/json; charset=utf-8').send(JSON.stringify(fault.body))
    }
    if (fault.errorCode !== undefined || fault.status !== undefined) {
      const code = (fault.errorCode ?? ((fault.status ?? 400) >= 500 ? ErrorCode.INTERNAL : ErrorCode.BAD_REQUEST)) as ErrorCodeValue
      throw new ApiError(code, `injected by /_mock/faults (fault ${fault.id})`, fault.status)
    }
  })

  app.addHook('onResponse', async (request, reply) => {
    if (request.url.startsWith(API_PREFIX)) journalize(app, request, reply.statusCode, reply.elapsedTime)
  })
}, { name: 'api-observers', dependencies: ['services'] })
