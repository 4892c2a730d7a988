import { randomUUID } from 'node:crypto'
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { ApiError, ErrorCode, Reason, type ErrorBody } from '../errors.js'
import { errorBody, toApiError } from '../http/error-answer.js'
import { MAX_PARAM_LENGTH } from '../http/limits.js'

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

function rawBody (error: ApiError, traceId: string): string {
  return JSON.stringify({ errorCode: error.errorCode, message: error.message, traceId } satisfies ErrorBody)
}

/** Writes an answer on a socket no response object owns, and closes it. */
function answerOnSocket (socket: Duplex, error: ApiError, traceId: string): void {
  // Once an answer has started on this connection, nothing more can be written on it.
  const started = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent === true
  if (socket.writable && !started) {
    const body = rawBody(error, traceId)
    socket.write(`HTTP/1.1 ${error.statusCode} ${STATUS_CODES[error.statusCode] ?? ''}\r\n` +
      `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `x-trace-id: ${traceId}\r\nConnection: close\r\n\r\n${body}`)
  }
  socket.destroy()
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
    answerOnSocket(socket, error, traceId)
  }
}

/**
 * What Node's HTTP server would otherwise answer, or drop, on its own, outside Calypso's body: a
 * request without Host, an Expect other than 100-continue, and CONNECT (Node closes the socket).
 */
export default fp(async function httpRefusals (app: FastifyInstance) {
  // HTTP/1.1 requires Host (RFC 9112, 3.2); Node's own check is turned off in app.ts.
  app.addHook('onRequest', async (request) => {
    if (request.raw.httpVersion === '1.1' && request.headers.host === undefined) throw new ApiError(ErrorCode.BAD_REQUEST, Reason.hostMissing)
  })

  app.server.on('checkExpectation', (request: IncomingMessage, response: ServerResponse) => {
    const error = new ApiError(ErrorCode.BAD_REQUEST, Reason.expectationFailed(String(request.headers.expect)), 417)
    const traceId = randomUUID()
    app.log.info({ traceId, status: error.statusCode, errorCode: error.errorCode, reason: error.message }, 'request rejected')
    const body = rawBody(error, traceId)
    response.writeHead(417, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), 'x-trace-id': traceId, connection: 'close' })
    response.end(body)
  })

  app.server.on('connect', (request: IncomingMessage, socket: Duplex) => {
    const error = new ApiError(ErrorCode.NOT_FOUND, Reason.noRoute('CONNECT', request.url ?? ''), 404)
    const traceId = randomUUID()
    app.log.info({ traceId, status: error.statusCode, errorCode: error.errorCode, reason: error.message }, 'request rejected')
    answerOnSocket(socket, error, traceId)
  })
}, { name: 'http-refusals', dependencies: ['error-handler'] })
