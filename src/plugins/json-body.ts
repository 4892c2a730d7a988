import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { ApiError, ErrorCode, Reason } from '../errors.js'
import { findDuplicateKey } from '../json-duplicate-keys.js'

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

const CHARSET = /;\s*charset\s*=\s*"?([^";\s]*)/i

/** Why a JSON text that parsed is still refused: a charset other than UTF-8, or a key given twice. */
function ambiguity (request: FastifyRequest, text: string): ApiError | undefined {
  const charset = CHARSET.exec(request.headers['content-type'] ?? '')?.[1]
  if (charset !== undefined && charset.toLowerCase() !== 'utf-8') return new ApiError(ErrorCode.BAD_REQUEST, Reason.charsetNotUtf8(charset))
  const duplicate = findDuplicateKey(text)
  return duplicate === undefined ? undefined : new ApiError(ErrorCode.BAD_REQUEST, Reason.duplicateKey(duplicate))
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
      request.bodyError = new ApiError(ErrorCode.BAD_REQUEST, Reason.bodyMissing)
      done(null, undefined)
      return
    }
    try {
      const text = raw.toString('utf8')
      const parsed: unknown = JSON.parse(text)
      request.bodyError = ambiguity(request, text)
      done(null, request.bodyError === undefined ? parsed : undefined)
    } catch (err) {
      request.bodyError = new ApiError(ErrorCode.BAD_REQUEST, Reason.bodyNotJson((err as Error).message))
      done(null, undefined)
    }
  })
}, { name: 'json-body' })
