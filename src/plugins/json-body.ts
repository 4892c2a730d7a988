import { isUtf8 } from 'node:buffer'
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

/** A JSON escape of a UTF-16 surrogate: only a body that has one can hold a lone surrogate. */
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/
/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/**
 * Where the first string or field name with a lone surrogate is (`payload.email`), if any. A lone
 * surrogate is not text: SQLite would store it as U+FFFD, and a Java service would not round-trip it.
 * Iterative, as a body may be nested far deeper than the stack.
 */
export function loneSurrogateAt (value: unknown): string | undefined {
  const pending: Array<[unknown, string]> = [[value, '']]
  const join = (path: string, key: string) => path === '' ? key : `${path}.${key}`
  while (pending.length > 0) {
    const [item, path] = pending.pop() as [unknown, string]
    if (typeof item === 'string') {
      if (LONE_SURROGATE.test(item)) return path === '' ? 'body' : path
    } else if (Array.isArray(item)) {
      for (let i = item.length - 1; i >= 0; i--) pending.push([item[i], join(path, String(i))])
    } else if (typeof item === 'object' && item !== null) {
      const keys = Object.keys(item)
      if (keys.some((key) => LONE_SURROGATE.test(key))) return `${path === '' ? 'body' : path} (a field name)`
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i] as string
        pending.push([(item as Record<string, unknown>)[key], join(path, key)])
      }
    }
  }
  return undefined
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
    const field = SURROGATE_ESCAPE.test(text) ? loneSurrogateAt(parsed) : undefined
    if (field !== undefined) request.bodyError = new ApiError(ErrorCode.BAD_REQUEST, Reason.loneSurrogate(field))
    done(null, field === undefined ? parsed : undefined)
  })
}, { name: 'json-body' })
