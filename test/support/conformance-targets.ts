import { randomUUID } from 'node:crypto'
import { once } from 'node:events'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'
import type { Target } from '../../src/conformance/client.js'

interface Teardown {
  teardown: (fn: () => unknown) => void
}

async function readBody (req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

/** A node:http server on port 0, closed after the test. */
export async function listen (t: Teardown, handler: (req: IncomingMessage, body: Buffer, res: ServerResponse) => Promise<void> | void): Promise<string> {
  const server = createServer((req, res) => {
    readBody(req).then((body) => handler(req, body, res)).catch((err: unknown) => {
      res.writeHead(500).end(String(err))
    })
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  t.teardown(() => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve) }))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

/** The app listening on a port of its own, as a merchant's client reaches it. */
export async function listeningMock (app: FastifyInstance): Promise<Target> {
  const baseUrl = await app.listen({ port: 0, host: '127.0.0.1' })
  const account = app.config.accounts[0]
  if (account === undefined) throw new Error('no account configured')
  return { baseUrl, ...account }
}

/** An answer of the target's own, instead of the app's; undefined lets the app answer. */
export type Intercept = (url: string, body: Buffer) => { status: number, json: unknown } | undefined

/**
 * The mock's /api/v1 behind a server that has no /_mock, as Calypso has none: every /_mock call
 * answers 404, everything else is answered by `intercept` or the app.
 */
export async function withoutMockControls (t: Teardown, app: FastifyInstance, intercept: Intercept = () => undefined): Promise<Target> {
  const account = app.config.accounts[0]
  if (account === undefined) throw new Error('no account configured')
  const baseUrl = await listen(t, async (req, body, res) => {
    if (req.url?.startsWith('/_mock') === true) {
      res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not Found</h1>')
      return
    }
    const own = intercept(req.url ?? '/', body)
    if (own !== undefined) {
      res.writeHead(own.status, { 'content-type': 'application/json' }).end(JSON.stringify(own.json))
      return
    }
    const answer = await app.inject({ method: req.method as 'POST', url: req.url ?? '/', headers: req.headers, payload: body })
    res.writeHead(answer.statusCode, { 'content-type': String(answer.headers['content-type'] ?? '') }).end(answer.rawPayload)
  })
  return { baseUrl, ...account }
}

/** What the wrong server answers to every customer call: an id, then three mistakes. */
const WRONG_CUSTOMER = { id: randomUUID(), email: 'someone@example.com', description: null, blocked: 'false' }

/**
 * A server that speaks Calypso's paths with the wrong shapes: every POST answers 200 with
 * WRONG_CUSTOMER (no externalId, blocked as a string, another email), address/get answers
 * text/plain, and /_mock is not there.
 */
export async function wrongServer (t: Teardown): Promise<Target> {
  const baseUrl = await listen(t, (req, _body, res) => {
    if (req.url?.startsWith('/_mock') === true) {
      res.writeHead(404).end()
    } else if (req.url === '/api/v1/customer-purse/address/get') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('0x0000000000000000000000000000000000000000')
    } else {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(WRONG_CUSTOMER))
    }
  })
  return { baseUrl, account: '0xca11ab1e00000000000000000000000000000001', apiKey: 'wrong-server-key', apiSecret: 'wrong-server-secret' }
}
