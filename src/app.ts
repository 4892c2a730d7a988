import { randomUUID } from 'node:crypto'
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify'
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod'
import type { Config } from './config.js'
import type { IdSource } from './ids.js'
import apiObservers from './plugins/api-observers.js'
import dashboard from './plugins/dashboard.js'
import docs from './plugins/docs.js'
import errorHandler from './plugins/error-handler.js'
import ids from './plugins/ids.js'
import jsonBody, { BODY_LIMIT } from './plugins/json-body.js'
import liveEvents from './plugins/live-events.js'
import seed from './plugins/seed.js'
import services, { type Clock } from './plugins/services.js'
import store from './plugins/store.js'
import swagger from './plugins/swagger.js'
import webhooks from './plugins/webhooks.js'
import calypsoApi from './routes/calypso-api.js'
import healthRoutes from './routes/health.js'
import mockApi from './routes/mock-api.js'

export interface BuildOptions {
  logger?: FastifyServerOptions['logger']
  clock?: Clock
  ids?: IdSource
}

/** Builds the whole app on `config`; never listens. The caller owns `close()`. */
export async function buildApp (config: Config, options: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: BODY_LIMIT,
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    // One line per request, written when it is answered (see the onResponse hook below).
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'traceId' }),
    // zod validates and serialises every route; this keeps Fastify from building its default ajv compilers.
    // (Fastify types these factories for ajv schemas; the zod compilers take zod schemas.)
    schemaController: {
      compilersFactory: {
        buildValidator: (() => validatorCompiler) as never,
        buildSerializer: (() => serializerCompiler) as never
      }
    }
  })
  // The trace id of every answer, so a merchant can find the call in /_mock/requests and the log.
  app.addHook('onRequest', async (request, reply) => { reply.header('x-trace-id', request.id) })
  app.addHook('onResponse', async (request, reply) => {
    request.log.info({
      method: request.method,
      url: request.url,
      status: reply.statusCode,
      errorCode: request.errorCode,
      ms: Math.round(reply.elapsedTime * 10) / 10
    }, 'request')
  })

  try {
    await app.register(services, { config, clock: options.clock ?? Date.now })
    await app.register(errorHandler)
    await app.register(apiObservers)
    await app.register(jsonBody)
    await app.register(store)
    await app.register(ids, { ids: options.ids })
    await app.register(webhooks)
    await app.register(liveEvents)
    await app.register(seed)
    await app.register(swagger)
    await app.register(docs)
    await app.register(dashboard)
    await app.register(calypsoApi, { prefix: '/api/v1' })
    await app.register(mockApi, { prefix: '/_mock' })
    await app.register(healthRoutes)
    await app.ready()
  } catch (err) {
    await app.close().catch(() => {})
    throw err
  }
  return app
}
