import t, { type Test } from 'tap'
import type { AddressInfo } from 'node:net'
import { ERROR_CATALOG, ErrorCode, Reason, type ErrorCodeValue } from '../../src/errors.js'
import { build } from '../support/helper.js'
import { rawExchange, type RawAnswer } from '../support/raw-http.js'

const REQUEST_TIMEOUT_MS = 300
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

async function listening (t: Parameters<typeof build>[0]) {
  const app = await build(t, { requestTimeoutMs: REQUEST_TIMEOUT_MS })
  await app.listen({ port: 0, host: '127.0.0.1' })
  return { app, port: (app.server.address() as AddressInfo).port }
}

function assertCalypsoBody (t: Test, answer: RawAnswer, status: number, message: string, code: ErrorCodeValue = ErrorCode.BAD_REQUEST) {
  t.equal(answer.status, status, `answers ${status}`)
  t.match(answer.headers['content-type'], /^application\/json/)
  const body = JSON.parse(answer.body) as Record<string, unknown>
  t.same(Object.keys(body).sort(), ['errorCode', 'message', 'traceId'], 'in Calypso\'s error body')
  t.equal(body.errorCode, code)
  t.equal(body.message, `${ERROR_CATALOG[code].message}: ${message}`)
  t.match(body.traceId, UUID)
  t.equal(answer.headers['x-trace-id'], body.traceId, 'the trace id is in the header too')
}

t.test('what Fastify and Node refuse before any route runs is answered in Calypso\'s error body', async (t) => {
  const { port } = await listening(t)
  const long = 'a'.repeat(200)
  const cases: Array<[string, string | Buffer, number, string]> = [
    ['a bad URL', 'GET /% HTTP/1.1\r\nHost: localhost\r\n\r\n', 400, Reason.badUrl('/%')],
    ['an over-long id', `POST /_mock/transactions/${long}/advance HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n`, 414, Reason.paramTooLong(100)],
    ['a static path outside the docs root', 'GET /docs/static//index.html HTTP/1.1\r\nHost: localhost\r\n\r\n', 403, Reason.docsRefused('/docs/static//index.html')],
    ['a request line that is not HTTP', 'HELLO THERE\r\n\r\n', 400, Reason.malformedHttp('HPE_INVALID_METHOD')],
    ['a bad Content-Length', 'POST /health HTTP/1.1\r\nHost: localhost\r\nContent-Length: ten\r\n\r\n', 400, Reason.malformedHttp('HPE_INVALID_CONTENT_LENGTH')],
    ['headers over 16 KiB', `GET /health HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`, 431, Reason.headersTooLarge],
    ['an HTTP/1.1 request without Host', 'GET /health HTTP/1.1\r\n\r\n', 400, Reason.hostMissing],
    ['an Expect other than 100-continue', 'GET /health HTTP/1.1\r\nHost: localhost\r\nExpect: tea\r\n\r\n', 417, Reason.expectationFailed('tea')]
  ]
  for (const [label, request, status, message] of cases) {
    t.test(label, async (t) => assertCalypsoBody(t, await rawExchange(port, request), status, message))
  }
  t.test('CONNECT, which Node would drop without a word', async (t) => {
    assertCalypsoBody(t, await rawExchange(port, 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n'), 404, Reason.noRoute('CONNECT', 'example.com:443'), ErrorCode.NOT_FOUND)
  })
})

t.test('REQUEST_TIMEOUT_MS: a request that has not fully arrived in time is answered 408 and closed', async (t) => {
  const { port } = await listening(t)
  const partialBody = await rawExchange(port, 'POST /_mock/accounts HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"acc')
  assertCalypsoBody(t, partialBody, 408, Reason.requestTimeout(REQUEST_TIMEOUT_MS))
  t.ok(partialBody.closed, 'the connection is closed')
  const partialHeaders = await rawExchange(port, 'GET /health HTTP/1.1\r\nHost: localhost\r\nX-Slow: 1')
  assertCalypsoBody(t, partialHeaders, 408, Reason.requestTimeout(REQUEST_TIMEOUT_MS))
  t.ok(partialHeaders.closed)
})

t.test('a request that has arrived may take longer than REQUEST_TIMEOUT_MS to answer', async (t) => {
  const { port } = await listening(t)
  const answer = await rawExchange(port, `GET /_mock/webhooks/wait?timeoutMs=${REQUEST_TIMEOUT_MS * 3} HTTP/1.1\r\nHost: localhost\r\n\r\n`)
  t.equal(answer.status, 408)
  t.equal(JSON.parse(answer.body).errorCode, ErrorCode.NOT_FOUND, 'the long poll\'s own answer, not the request timeout')
})

t.test('the server\'s time limits are set, not left at Node\'s defaults', async (t) => {
  const { app } = await listening(t)
  t.equal(app.server.requestTimeout, REQUEST_TIMEOUT_MS)
  t.equal(app.server.headersTimeout, REQUEST_TIMEOUT_MS, 'headers within the request timeout (10 s when that is longer)')
  t.equal(app.server.keepAliveTimeout, 72_000)
})
