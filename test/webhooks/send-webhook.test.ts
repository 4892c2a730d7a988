import { once } from 'node:events'
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http'
import { createServer as createTcpServer, type AddressInfo, type Server } from 'node:net'
import t, { type Test } from 'tap'
import { Reason } from '../../src/errors.js'
import { MAX_DELIVERIES_IN_FLIGHT, RESPONSE_KEPT_BYTES, sendWebhook, type PeerCheck, type SendResult } from '../../src/webhooks/send-webhook.js'
import { armedTimers } from '../support/armed-timers.js'
import { merchantAccepts } from '../support/calypso-signature.js'
import { build, createCustomer, deposit, webhookConfig } from '../support/helper.js'
import { outcomeWithin, scaled } from '../support/time-scale.js'
import { startReceiver } from '../support/webhook-receiver.js'

const TARGET = { publicKey: 'public-key-of-the-subscription', secretKey: 'secret-key-of-the-subscription' }
const TIMEOUT_MS = scaled(5000)

interface Received {
  method: string | undefined
  path: string | undefined
  headers: IncomingHttpHeaders
  body: Buffer
}

async function listen (t: Test, server: Server): Promise<number> {
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return (server.address() as AddressInfo).port
}

/** An HTTP server on 127.0.0.1:0 that reads each request whole, then lets `answer` reply; it counts the connections it accepted. */
async function startServer (t: Test, answer: (request: IncomingMessage, response: ServerResponse) => void) {
  const received: Received[] = []
  let connections = 0
  const server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      received.push({ method: request.method, path: request.url, headers: request.headers, body: Buffer.concat(chunks) })
      answer(request, response)
    })
  })
  server.on('connection', () => { connections++ })
  t.teardown(() => {
    server.closeAllConnections()
    server.close()
  })
  const port = await listen(t, server)
  return { url: `http://127.0.0.1:${port}`, port, received, connections: () => connections }
}

async function send (url: string, body = '{}', options: { stop?: AbortSignal, checkPeer?: PeerCheck, timeoutMs?: number } = {}): Promise<SendResult> {
  return sendWebhook({ url, ...TARGET }, body, options.timeoutMs ?? TIMEOUT_MS, options.stop, options.checkPeer)
}

/** Sends, and checks the attempt's duration lies within the time the call took. */
async function timedSend (t: Test, url: string, body?: string): Promise<SendResult> {
  const before = performance.now()
  const result = await send(url, body)
  const elapsed = performance.now() - before
  t.ok(result.durationMs >= 0 && result.durationMs <= Math.ceil(elapsed), `durationMs ${result.durationMs} is within the ${elapsed.toFixed(1)} ms the call took`)
  return result
}

t.test('the receiver gets a POST of the exact bytes, typed as JSON, with Key and a Sign it verifies', async (t) => {
  const server = await startServer(t, (_, response) => response.end('OK'))
  const body = '{"note":"café ☕","amount":125.5}'
  const result = await timedSend(t, `${server.url}/calypso/webhooks`, body)
  t.same(result, { ok: true, httpStatus: 200, error: null, response: 'OK', durationMs: result.durationMs })
  const [request] = server.received
  t.equal(request!.method, 'POST')
  t.equal(request!.path, '/calypso/webhooks')
  t.equal(request!.headers['content-type'], 'application/json')
  t.equal(request!.headers.key, TARGET.publicKey)
  t.ok(merchantAccepts(request!.body, TARGET.secretKey, request!.headers.sign as string), 'Sign is the HMAC-SHA512 of the bytes received')
  t.same(request!.body, Buffer.from(body, 'utf8'), 'the body arrives byte for byte')
  t.equal(request!.headers['content-length'], String(Buffer.byteLength(body)))
})

t.test(`an answer of up to ${RESPONSE_KEPT_BYTES} bytes is kept as it is`, async (t) => {
  const answers: Record<string, string> = {
    '/empty': '',
    '/short': 'OK',
    '/whole-multibyte': 'é'.repeat(RESPONSE_KEPT_BYTES / 2),
    '/exact': 'x'.repeat(RESPONSE_KEPT_BYTES)
  }
  const server = await startServer(t, (request, response) => response.end(answers[request.url!]))
  for (const [path, answer] of Object.entries(answers)) {
    const result = await send(`${server.url}${path}`)
    t.equal(result.response, answer, `${path}: ${Buffer.byteLength(answer)} bytes, kept whole`)
    t.equal(result.ok, true)
  }
})

t.test(`a longer answer is cut at ${RESPONSE_KEPT_BYTES} bytes and marked with its full length`, async (t) => {
  const server = await startServer(t, (request, response) => {
    const [, status, size] = request.url!.split('/')
    response.statusCode = Number(status)
    // Many small writes: the answer reaches the sender in many chunks.
    for (let left = Number(size); left > 0; left -= 1000) response.write('x'.repeat(Math.min(1000, left)))
    response.end()
  })
  const cases: Array<[number, number]> = [[200, RESPONSE_KEPT_BYTES + 1], [200, 100_000], [500, 10_000]]
  for (const [status, size] of cases) {
    const result = await send(`${server.url}/${status}/${size}`)
    t.equal(result.httpStatus, status)
    t.equal(result.response, 'x'.repeat(RESPONSE_KEPT_BYTES) + Reason.responseTruncated(size), `${status} with ${size} bytes`)
  }
})

t.test('a character the cut falls inside is left out whole, not garbled', async (t) => {
  const answers: Record<string, string> = {
    '/two-byte': 'a'.repeat(RESPONSE_KEPT_BYTES - 1) + 'é' + 'tail',
    '/four-byte': 'a'.repeat(RESPONSE_KEPT_BYTES - 2) + '😀'
  }
  const server = await startServer(t, (request, response) => response.end(answers[request.url!]))
  t.equal((await send(`${server.url}/two-byte`)).response, 'a'.repeat(RESPONSE_KEPT_BYTES - 1) + Reason.responseTruncated(RESPONSE_KEPT_BYTES + 5))
  t.equal((await send(`${server.url}/four-byte`)).response, 'a'.repeat(RESPONSE_KEPT_BYTES - 2) + Reason.responseTruncated(RESPONSE_KEPT_BYTES + 2))
})

t.test('only 200 completes: any other status fails, saying why, with the answer kept', async (t) => {
  const server = await startServer(t, (request, response) => {
    const [, status, location] = request.url!.split('/')
    response.writeHead(Number(status), location === undefined ? {} : { location: `/${location}` })
    response.end(status === '204' ? undefined : 'not now')
  })
  const cases: Array<[string, number, string]> = [
    ['/204', 204, 'HTTP 204: only 200 completes a delivery'],
    ['/300/elsewhere', 300, 'HTTP 300: redirects are not followed (Location: /elsewhere)'],
    ['/302', 302, 'HTTP 302: redirects are not followed'],
    ['/307/elsewhere', 307, 'HTTP 307: redirects are not followed (Location: /elsewhere)'],
    ['/400', 400, 'HTTP 400: only 200 completes a delivery'],
    ['/500', 500, 'HTTP 500: only 200 completes a delivery']
  ]
  for (const [path, status, error] of cases) {
    const result = await timedSend(t, `${server.url}${path}`)
    t.same(result, { ok: false, httpStatus: status, error, response: status === 204 ? '' : 'not now', durationMs: result.durationMs }, path)
  }
  t.same(server.received.map((r) => r.path), cases.map(([path]) => path), 'one request each: no redirect was followed')
})

t.test('a send cut off by the mock stopping says so, not as a bare abort', async (t) => {
  let arrived!: () => void
  const waiting = new Promise<void>((resolve) => { arrived = resolve })
  const server = await startServer(t, () => arrived())
  const stop = new AbortController()
  const sending = send(`${server.url}/hook`, '{}', { stop: stop.signal })
  await waiting
  stop.abort()
  t.same(await sending, { ok: false, httpStatus: null, error: Reason.webhookStopped, response: null, durationMs: (await sending).durationMs })
})

t.test('a connection reset while waiting for the answer is reported with its code', async (t) => {
  const server = await startServer(t, (request) => request.socket.resetAndDestroy())
  const result = await timedSend(t, `${server.url}/hook`)
  t.same(result, { ok: false, httpStatus: null, error: 'ECONNRESET: read ECONNRESET', response: null, durationMs: result.durationMs })
})

t.test('an answer cut short fails at once as aborted, not when the attempt times out, and leaves no timer running', async (t) => {
  const server = await startServer(t, (request, response) => {
    response.writeHead(200, { 'content-length': '100' })
    response.write('abc', () => request.socket.destroy())
  })
  const before = armedTimers()
  // A deadline far beyond the test: a timer left behind would hold the process that long.
  const sending = send(`${server.url}/hook`, '{}', { timeoutMs: 600_000 })
  t.equal(await outcomeWithin(sending, scaled(3000)), 'resolved')
  const result = await sending
  t.same(result, { ok: false, httpStatus: null, error: 'ECONNRESET: aborted', response: null, durationMs: result.durationMs })
  t.equal(armedTimers(), before, 'the attempt\'s deadline is cleared with the failure')
})

t.test('an https URL is spoken to in TLS', async (t) => {
  const firstBytes: Buffer[] = []
  const server = createTcpServer((socket) => socket.once('data', (chunk: Buffer) => {
    firstBytes.push(chunk)
    socket.destroy()
  }))
  t.teardown(() => server.close())
  const port = await listen(t, server)
  const result = await send(`https://127.0.0.1:${port}/hook`)
  t.match(result, { ok: false, httpStatus: null, error: /^ECONNRESET: / })
  t.equal(firstBytes[0]?.[0], 0x16, 'the first byte opens a TLS handshake record')
})

t.test('consecutive sends to one receiver share one kept-alive connection', async (t) => {
  const server = await startServer(t, (_, response) => response.end('OK'))
  t.equal((await send(`${server.url}/1`)).ok, true)
  t.equal((await send(`${server.url}/2`)).ok, true)
  t.equal(server.received.length, 2)
  t.equal(server.connections(), 1)
})

t.test('as many connections to one receiver as the dispatcher may have deliveries in flight: one more send waits for a free one', async (t) => {
  const cap = MAX_DELIVERIES_IN_FLIGHT
  const held: ServerResponse[] = []
  let released = false
  const server = await startServer(t, (_, response) => {
    // The first `cap` are answered together once all of them have arrived; later ones at once.
    if (released) { response.end('OK'); return }
    held.push(response)
    if (held.length < cap) return
    released = true
    for (const waiting of held) waiting.end('OK')
  })
  const results = await Promise.all(Array.from({ length: cap + 1 }, (_, i) => send(`${server.url}/${i}`)))
  t.same(results.map((r) => r.ok), Array(cap + 1).fill(true))
  t.equal(server.received.length, cap + 1)
  t.equal(server.connections(), cap)
})

t.test('each send checks the far end of its connection, also when it reuses one', async (t) => {
  const server = await startServer(t, (_, response) => response.end('OK'))
  const checked: Array<[string, number]> = []
  const allow: PeerCheck = (address, port) => { checked.push([address, port]); return undefined }
  const refuse: PeerCheck = (address, port) => { checked.push([address, port]); return 'it is the mock' }
  t.equal((await send(`${server.url}/1`, '{}', { checkPeer: allow })).ok, true)
  const refused = await send(`${server.url}/2`, '{}', { checkPeer: refuse })
  t.match(refused, { ok: false, httpStatus: null, error: Reason.deliveryToSelf('it is the mock'), response: null })
  t.same(checked, [['127.0.0.1', server.port], ['127.0.0.1', server.port]])
  t.equal(server.connections(), 1, 'the second send was on the first one\'s connection')
  t.same(server.received.map((r) => r.path), ['/1'], 'the refused send wrote nothing')
})

t.test('an event of an account whose clock runs ahead is delivered at once', async (t) => {
  const receiver = await startReceiver(t)
  const app = await build(t, { webhook: webhookConfig(receiver.url) })
  const advanced = await app.inject({ method: 'POST', url: '/_mock/clock/advance', payload: { ms: 86_400_000 } })
  t.equal(advanced.statusCode, 200)
  const customer = await createCustomer(app)
  await deposit(app, { customerId: customer.id, currency: 'BTC', amount: 1, stopAt: 'MEM_POOL_FOUND' })
  const [first] = await receiver.waitFor((r) => r.length === 1)
  t.equal(first!.body.eventType, 'CUSTOMER_PURSE_MEM_POOL_FOUND')
})
