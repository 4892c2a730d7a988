import { setTimeout as sleep } from 'node:timers/promises'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { ApiError, ErrorCode, Reason, type ErrorCodeValue } from '../errors.js'
import { createFaultRegistry, type Fault, type FaultRegistry } from '../faults/fault-registry.js'
import { isApiCall, pathOf } from '../http/api-paths.js'
import { journalize } from '../journal/journalize.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** Faults queued through /_mock/faults, each taken by the next matching call. */
    faults: FaultRegistry
  }
  interface FastifyRequest {
    fault?: Fault
  }
}

/** Breaks the connection instead of answering, as a network fault would. */
function breakConnection (app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, how: 'reset' | 'empty'): void {
  reply.hijack()
  journalize(app, request, 0, reply.elapsedTime)
  const socket = request.raw.socket
  if (how === 'reset' && typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy()
  else socket.destroy()
}

/** Injects the queued faults: they answer before the API does, and so change nothing. */
export default fp(async function faults (app: FastifyInstance) {
  app.decorate('faults', createFaultRegistry())
  app.addHook('onRequest', async (request, reply) => {
    if (!isApiCall(request.url)) return
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
      throw new ApiError(code, Reason.injectedFault(fault.id), fault.status)
    }
  })
}, { name: 'faults', dependencies: ['config-and-clock', 'request-journal'] })
