import { randomUUID } from 'node:crypto'
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify'
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod'
import type { Config } from './config.js'
import type { IdSource } from './ids.js'
import apiObservers from './plugins/api-observers.js'
import docs from './plugins/docs.js'
import errorHandler from './plugins/error-handler.js'
import httpRefusals, { MAX_PARAM_LENGTH, answerFrameworkError, clientErrorHandler } from './plugins/http-refusals.js'
import ids from './plugins/ids.js'
import jsonBody, { BODY_LIMIT } from './plugins/json-body.js'
import services, { type Clock } from './plugins/services.js'
import store from './plugins/store.js'
import swagger from './plugins/swagger.js'
import webhooks from './plugins/webhooks.js'
import calypsoApi from './routes/calypso-api.js'
import healthRoutes from './routes/health.js'
import mockApi from './routes/mock-api.js'

const KEEP_ALIVE_TIMEOUT_MS = 72_000
const HEADERS_TIMEOUT_MS = 10_000

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
    // Time limits (README, Configuration): a request must arrive in full within REQUEST_TIMEOUT_MS,
    // its headers within 10 s of that; Node looks for late ones every second rather than every 30.
    // An idle kept-alive connection is closed after 72 s, longer than the idle timeout of common
    // client pools, so that the client, not the server, closes it (no reuse of a closing socket).
    requestTimeout: config.requestTimeoutMs,
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    http: {
      headersTimeout: Math.min(config.requestTimeoutMs, HEADERS_TIMEOUT_MS),
      connectionsCheckingInterval: Math.min(config.requestTimeoutMs, 1000),
      // Node would answer a missing Host itself, with an empty body; the error handler answers instead.
      requireHostHeader: false
    },
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    frameworkErrors: answerFrameworkError,
    clientErrorHandler: clientErrorHandler(config.requestTimeoutMs),
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
    await app.register(httpRefusals)
    await app.register(apiObservers)
    await app.register(jsonBody)
    await app.register(store)
    await app.register(ids, { ids: options.ids })
    await app.register(webhooks)
    await app.register(swagger)
    await app.register(docs)
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
