import { randomUUID } from 'node:crypto'
import { once } from 'node:events'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import type { Target } from '../../src/conformance/client.js'
import { loadOpenApiDocument } from '../../src/conformance/response-validator.js'
import { packageRoot } from '../../src/package-root.js'

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

type Schema = Record<string, unknown>

/** Prism's static mode in a few lines: the first example of a schema, or a value made of its type. */
function exampleOf (schema: unknown, document: Schema, depth = 0): unknown {
  if (typeof schema !== 'object' || schema === null || depth > 12) return null
  const s = schema as Schema
  if (typeof s.$ref === 'string') {
    const target = s.$ref.slice(2).split('/').reduce<unknown>((node, part) => (node as Schema | undefined)?.[part], document)
    return exampleOf(target, document, depth + 1)
  }
  if (s.example !== undefined) return s.example
  if (Array.isArray(s.examples) && s.examples.length > 0) return s.examples[0]
  if (s.default !== undefined) return s.default
  if (Array.isArray(s.enum)) return s.enum[0]
  for (const key of ['allOf', 'anyOf', 'oneOf']) if (Array.isArray(s[key])) return exampleOf((s[key] as unknown[])[0], document, depth + 1)
  switch (s.type) {
    case 'string': return s.format === 'uuid' ? '497f6eca-6276-4993-bfeb-53cbbbba6f08' : s.format === 'date-time' ? '2019-08-24T14:15:22Z' : 'string'
    case 'integer': case 'number': return 0
    case 'boolean': return true
    case 'array': return [exampleOf(s.items, document, depth + 1)]
    default: return Object.fromEntries(Object.entries((s.properties ?? {}) as Schema).map(([k, v]) => [k, exampleOf(v, document, depth + 1)]))
  }
}

/**
 * An equivalent of `prism mock` on the committed documents, openapi.yaml and openapi-mock.yaml (so
 * /_mock included): every operation answers its first success response's example, whatever was sent.
 */
export async function staticExampleServer (t: Teardown): Promise<Target> {
  type Document = Schema & { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>> }
  const documents = ['openapi.yaml', 'openapi-mock.yaml'].map((file) => loadOpenApiDocument(join(packageRoot(), file)) as unknown as Document)
  const routes = documents.flatMap((document) => Object.entries(document.paths).flatMap(([path, operations]) => Object.entries(operations).map(([method, op]) => {
    const pattern = new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}$`)
    const [status, response] = Object.entries(op.responses).find(([code]) => code.startsWith('2')) ?? ['200', {}]
    const schema = Object.values(response.content ?? {})[0]?.schema
    return { method: method.toUpperCase(), pattern, status: Number(status), body: schema === undefined ? undefined : JSON.stringify(exampleOf(schema, document)) }
  })))
  const baseUrl = await listen(t, (req, _body, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/'
    const route = routes.find((r) => r.method === req.method && r.pattern.test(path))
    if (route === undefined) {
      res.writeHead(404, { 'content-type': 'application/problem+json' }).end(JSON.stringify({ type: 'NO_PATH_MATCHED_ERROR', title: 'Route not resolved, no path matched', status: 404 }))
      return
    }
    res.writeHead(route.status, route.body === undefined ? {} : { 'content-type': 'application/json' }).end(route.body ?? '')
  })
  return { baseUrl, account: '0xca11ab1e00000000000000000000000000000001', apiKey: 'static-key', apiSecret: 'static-secret' }
}
