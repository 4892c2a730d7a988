import type { FastifyRequest } from 'fastify'
import type { ApiError } from '../errors.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** The body exactly as received: signatures are checked over these bytes. */
    rawBody?: Buffer
    /** Why the body could not be parsed; raised after authentication, so a bad key is reported first. */
    bodyError?: ApiError
  }
}

/** Raises the parse error of the body, if any; call it where the body is first needed. */
export function rejectUnparsedBody (request: FastifyRequest): void {
  if (request.bodyError !== undefined) throw request.bodyError
}
