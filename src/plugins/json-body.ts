import { isUtf8 } from 'node:buffer'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { ApiError, ErrorCode, Reason } from '../errors.js'
import { BODY_LIMIT } from '../http/limits.js'
import { findDuplicateKey } from '../json/duplicate-keys.js'
import { loneSurrogateAt, mayHoldSurrogate } from '../json/lone-surrogates.js'

const CHARSET = /;\s*charset\s*=\s*"?([^";\s]*)/i

/** Why a JSON text that parsed is still refused: a charset other than UTF-8, or a key given twice. */
function ambiguity (request: FastifyRequest, text: string): ApiError | undefined {
  const charset = CHARSET.exec(request.headers['content-type'] ?? '')?.[1]
  if (charset !== undefined && charset.toLowerCase() !== 'utf-8') return new ApiError(ErrorCode.BAD_REQUEST, Reason.charsetNotUtf8(charset))
  const duplicate = findDuplicateKey(text)
  return duplicate === undefined ? undefined : new ApiError(ErrorCode.BAD_REQUEST, Reason.duplicateKey(duplicate))
}

function loneSurrogateIn (text: string, parsed: unknown): ApiError | undefined {
  const field = mayHoldSurrogate(text) ? loneSurrogateAt(parsed) : undefined
  return field === undefined ? undefined : new ApiError(ErrorCode.BAD_REQUEST, Reason.loneSurrogate(field))
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
    // Decoding would turn invalid bytes into U+FFFD silently; Calypso's JSON parser refuses them.
    if (!isUtf8(raw)) {
      request.bodyError = new ApiError(ErrorCode.BAD_REQUEST, Reason.bodyNotUtf8)
      done(null, undefined)
      return
    }
    const text = raw.toString('utf8')
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch (err) {
      request.bodyError = new ApiError(ErrorCode.BAD_REQUEST, Reason.bodyNotJson((err as Error).message))
      done(null, undefined)
      return
    }
    request.bodyError = ambiguity(request, text) ?? loneSurrogateIn(text, parsed)
    done(null, request.bodyError === undefined ? parsed : undefined)
  })
}, { name: 'json-body' })
