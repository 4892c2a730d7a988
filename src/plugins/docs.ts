import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import fastifySwagger from '@fastify/swagger'
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyPluginAsync } from 'fastify'
import fp from 'fastify-plugin'
import { ApiError, ErrorCode, Reason } from '../errors.js'
import { pageAssetFolder } from '../page-assets.js'

/**
 * The script that signs "Try it out" requests (src/dashboard/docs-signing.js), after the account
 * and api key to prefill. Never the secret: any page may load a script from another site, so the
 * page fetches it from GET /_mock/accounts, which only a page of this mock can read.
 */
function signingScript (app: FastifyInstance): string {
  const [main] = app.config.accounts
  const defaults = main === undefined ? {} : { account: main.account, apiKey: main.apiKey }
  // JSON in a script: < is escaped so no value can close the script element.
  const json = JSON.stringify(defaults).replaceAll('<', '\\u003c')
  return `window.calypsoDocsDefaults = ${json};\n${readFileSync(join(pageAssetFolder(), 'docs-signing.js'), 'utf8')}`
}

/** Swagger UI's hook into each request; the function runs in the page, where docs-signing.js defined calypsoSignRequest. */
function requestInterceptor (request: unknown): unknown {
  const sign = (globalThis as { calypsoSignRequest?: (r: unknown) => unknown }).calypsoSignRequest
  return sign === undefined ? request : sign(request)
}

/**
 * What the docs pages may load and who may frame them: scripts and styles from this mock only
 * (Swagger UI styles some elements inline), no frame on another site's page (a framed "Try it out"
 * could be clicked through), no plugin, no base or form that points elsewhere.
 */
const DOCS_HEADERS = {
  'content-security-policy': "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer'
}

/** Headers of the in-memory answer that describe its transport, not its content. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'date'])

/**
 * Swagger UI at /docs, loaded on the first visit: a second Fastify app, built then, serves
 * @fastify/swagger-ui's pages with this app's OpenAPI document. Registered at start-up, the UI and
 * its static file server (glob, send, mime) were loaded on every start for a page most starts never
 * serve; moving them here (with reading the bundle as latin1) took the median start from 326 to 273 ms.
 */
export default fp(async function docs (app: FastifyInstance) {
  let docsApp: Promise<FastifyInstance> | undefined

  async function buildDocsApp (): Promise<FastifyInstance> {
    // Required at run time, not bundled: swagger-ui serves files from its own folder.
    const swaggerUi = createRequire(import.meta.url)('@fastify/swagger-ui') as FastifyPluginAsync<Record<string, unknown>>
    const docs = Fastify({ logger: false })
    await docs.register(fastifySwagger, { mode: 'static', specification: { document: app.swagger() as never } })
    await docs.register(swaggerUi, {
      routePrefix: '/docs',
      // Functions in uiConfig are sent to the page as their source text.
      uiConfig: { requestInterceptor, showMutatedRequest: true, tryItOutEnabled: true, persistAuthorization: false },
      theme: { js: [{ filename: 'docs-signing.js', content: signingScript(app) }] }
    })
    await docs.ready()
    return docs
  }

  /**
   * The docs app answers in memory and this app sends its answer, so a docs page gets what every
   * answer gets: the x-trace-id header, the log line, and Calypso's error body for a missing file.
   */
  async function serve (request: FastifyRequest, reply: FastifyReply): Promise<Buffer> {
    docsApp ??= buildDocsApp()
    const docs = await docsApp.catch((err: unknown) => {
      docsApp = undefined
      throw err
    })
    const answer = await docs.inject({ method: 'GET', url: request.url, headers: request.headers })
    if (answer.statusCode === 404) throw new ApiError(ErrorCode.NOT_FOUND, Reason.noRoute(request.method, request.url), 404)
    if (answer.statusCode >= 400 && answer.statusCode < 500) throw new ApiError(ErrorCode.BAD_REQUEST, Reason.docsRefused(request.url), answer.statusCode)
    if (answer.statusCode >= 500) throw new Error(`the docs app answered ${answer.statusCode}: ${answer.body.slice(0, 200)}`)
    for (const [name, value] of Object.entries(answer.headers)) {
      if (value !== undefined && !HOP_BY_HOP.has(name)) reply.header(name, value)
    }
    return reply.headers(DOCS_HEADERS).code(answer.statusCode).send(answer.rawPayload)
  }

  app.addHook('onClose', async () => {
    const docs = await docsApp?.catch(() => undefined)
    await docs?.close()
  })
  app.get('/docs', { schema: { hide: true } }, serve)
  app.get('/docs/*', { schema: { hide: true } }, serve)
}, { name: 'docs', dependencies: ['swagger'] })
