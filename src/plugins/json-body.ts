import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { ApiError, ErrorCode, Reason } from '../errors.js'

export const BODY_LIMIT = 1024 * 1024

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

/**
 * Parses JSON bodies while keeping the raw bytes. A parse failure does not answer at once: it is
 * kept on the request so that authentication, which needs only the raw bytes, is checked first.
 */
export default fp(async function jsonBody (app: FastifyInstance) {
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: BODY_LIMIT }, (request, body, done) => {
    const raw = body as Buffer
    request.rawBody = raw
    if (raw.length === 0) {
      request.bodyError = new ApiError(ErrorCode.BAD_REQUEST, request.url.startsWith('/api/') ? Reason.bodyMissing : Reason.mockBodyEmpty)
      done(null, undefined)
      return
    }
    try {
      done(null, JSON.parse(raw.toString('utf8')))
    } catch (err) {
      request.bodyError = new ApiError(ErrorCode.BAD_REQUEST, Reason.bodyNotJson((err as Error).message))
      done(null, undefined)
    }
  })
}, { name: 'json-body' })
