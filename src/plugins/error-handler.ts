import { randomUUID } from 'node:crypto'
import { STATUS_CODES } from 'node:http'
import type { Duplex } from 'node:stream'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod'
import { ApiError, ErrorCode, Reason, type ErrorBody } from '../errors.js'
import { BODY_LIMIT } from './json-body.js'

interface ValidationIssue {
  instancePath: string
  message?: string | undefined
}

function describeIssues (issues: readonly ValidationIssue[]): string {
  return issues.slice(0, 5).map((issue) => {
    const path = issue.instancePath.replace(/^\//, '').replaceAll('/', '.')
    return `${path === '' ? 'body' : path}: ${issue.message ?? 'invalid'}`
  }).join('; ') + (issues.length > 5 ? `; and ${issues.length - 5} more` : '')
}

/** Turns whatever was thrown into one of the catalog's errors. */
export function toApiError (err: FastifyError | ApiError | Error, request: FastifyRequest): ApiError {
  if (err instanceof ApiError) return err
  if (hasZodFastifySchemaValidationErrors(err)) {
    return new ApiError(ErrorCode.BAD_REQUEST, describeIssues(err.validation))
  }
  const code = (err as FastifyError).code
  switch (code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE': return new ApiError(ErrorCode.BAD_REQUEST, Reason.bodyTooLarge(BODY_LIMIT))
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE': return new ApiError(ErrorCode.BAD_REQUEST, Reason.contentType(request.headers['content-type']))
  }
  const status = (err as FastifyError).statusCode
  if (!isResponseSerializationError(err as FastifyError) && status !== undefined && status >= 400 && status < 500) {
    return new ApiError(ErrorCode.BAD_REQUEST, err.message)
  }
  return new ApiError(ErrorCode.INTERNAL)
}

export function errorBody (error: ApiError, request: FastifyRequest): ErrorBody {
  return { errorCode: error.errorCode, message: error.message, traceId: request.id }
}

/** find-my-way's limit on a path parameter (Fastify's default); ids are 36 characters. */
export const MAX_PARAM_LENGTH = 100

/** Fastify's refusals of a URL before any route or hook runs (Fastify's `frameworkErrors`). */
export function answerFrameworkError (err: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const error = err.code === 'FST_ERR_BAD_URL'
    ? new ApiError(ErrorCode.BAD_REQUEST, Reason.badUrl(request.raw.url ?? ''))
    : err.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? new ApiError(ErrorCode.BAD_REQUEST, Reason.paramTooLong(MAX_PARAM_LENGTH), 414)
      : toApiError(err, request)
  request.errorCode = error.errorCode
  request.log.info({ errorCode: error.errorCode, reason: error.message }, 'request rejected')
  reply.header('x-trace-id', request.id).code(error.statusCode).send(errorBody(error, request))
}

/** Node's refusals of what is not an HTTP request it can hand over: malformed, too large, too slow. */
function clientApiError (err: Error & { code?: string }, requestTimeoutMs: number): ApiError {
  switch (err.code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT': return new ApiError(ErrorCode.BAD_REQUEST, Reason.requestTimeout(requestTimeoutMs), 408)
    case 'HPE_HEADER_OVERFLOW': return new ApiError(ErrorCode.BAD_REQUEST, Reason.headersTooLarge, 431)
    default: return new ApiError(ErrorCode.BAD_REQUEST, Reason.malformedHttp(err.code ?? 'parse error'))
  }
}

/**
 * Fastify's `clientErrorHandler`: no request object exists here, so the answer is written on the
 * socket by hand, in Calypso's error body, and the connection is closed (Node's own rule).
 */
export function clientErrorHandler (requestTimeoutMs: number) {
  return function answerClientError (this: FastifyInstance, err: Error & { code?: string }, socket: Duplex): void {
    if (err.code === 'ECONNRESET' || socket.destroyed) return
    const error = clientApiError(err, requestTimeoutMs)
    const traceId = randomUUID()
    this.log.info({ traceId, status: error.statusCode, errorCode: error.errorCode, reason: error.message }, 'request rejected')
    // Once an answer has started on this connection, nothing more can be written on it.
    const started = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent === true
    if (socket.writable && !started) {
      const body = JSON.stringify({ errorCode: error.errorCode, message: error.message, traceId } satisfies ErrorBody)
      socket.write(`HTTP/1.1 ${error.statusCode} ${STATUS_CODES[error.statusCode] ?? ''}\r\n` +
        `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `x-trace-id: ${traceId}\r\nConnection: close\r\n\r\n${body}`)
    }
    socket.destroy()
  }
}

/** One handler for every error, one for unknown routes; both answer in Calypso's error body. */
export default fp(async function errorHandler (app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const error = toApiError(err, request)
    request.errorCode = error.errorCode
    if (error.statusCode >= 500) request.log.error({ err }, 'request failed')
    else request.log.info({ errorCode: error.errorCode, reason: error.message }, 'request rejected')
    reply.code(error.statusCode).send(errorBody(error, request))
  })

  app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) => {
    const error = new ApiError(ErrorCode.NOT_FOUND, Reason.noRoute(request.method, request.url), 404)
    request.errorCode = error.errorCode
    reply.code(404).send(errorBody(error, request))
  })
}, { name: 'error-handler' })
