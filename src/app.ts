import { randomUUID } from 'node:crypto'
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify'
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod'
import border from './auth/border.js'
import { systemClock, type Clock } from './clock.js'
import type { Config } from './config.js'
import type { IdSource } from './domain/ids.js'
import configAndClock from './plugins/config-and-clock.js'
import dashboard from './plugins/dashboard.js'
import docs from './plugins/docs.js'
import domainContext from './plugins/domain-context.js'
import errorHandler from './plugins/error-handler.js'
import faults from './plugins/faults.js'
import { BODY_LIMIT, MAX_PARAM_LENGTH } from './http/limits.js'
import httpRefusals, { answerFrameworkError, clientErrorHandler } from './plugins/http-refusals.js'
import ids from './plugins/ids.js'
import jsonBody from './plugins/json-body.js'
import liveEvents from './plugins/live-events.js'
import notFound from './plugins/not-found.js'
import purseExpiry from './plugins/purse-expiry.js'
import quietConnections from './plugins/quiet-connections.js'
import requestJournal from './plugins/request-journal.js'
import requestLog from './plugins/request-log.js'
import seed from './plugins/seed.js'
import store from './plugins/store.js'
import swagger from './plugins/swagger.js'
import timedSteps from './plugins/timed-steps.js'
import traceIds from './plugins/trace-ids.js'
import webhooks, { type WebhookTestHooks } from './plugins/webhooks.js'
import calypsoApi from './routes/calypso-api.js'
import healthRoutes from './routes/health.js'
import mockApi from './routes/mock-api.js'

const KEEP_ALIVE_TIMEOUT_MS = 72_000
const HEADERS_TIMEOUT_MS = 10_000

export interface BuildOptions {
  logger?: FastifyServerOptions['logger']
  /** Milliseconds since the epoch, a fraction allowed (webhook dates show microseconds); the machine's clock by default. */
  clock?: Clock
  ids?: IdSource
  /** Registered after every route, before the app is ready: a test adds its own routes here. */
  extend?: (app: FastifyInstance) => Promise<void>
  /** Test-only: bends webhook attempts and the retry schedule (the conformance drift harness). */
  webhookTestHooks?: WebhookTestHooks
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
  try {
    // quiet-connections closes the connections with no request in flight when the app closes.
    // The request pipeline, in the order a request meets it:
    //   trace-ids        x-trace-id on every answer
    //   http-refusals    what HTTP itself refuses (bad URL, no Host, Expect, late or huge requests)
    //   border           what a browser page on another site may not do: an unknown Host; under /_mock,
    //                    a cross-site include, another Origin, a POST whose body is not JSON
    //   request-log      one line per answered request
    //   request-journal  /api calls kept with their auth verdict (GET /_mock/requests)
    //   faults           a queued /_mock/faults fault answers before the API does
    //   json-body        JSON parsed with the raw bytes kept; a parse error waits for auth
    //   calypso-api      Key, Sign (over the raw bytes) and timestamp checked, then the route
    //   mock-api         the admin token for /_mock, then the route
    //   error-handler    every error in Calypso's error body
    //   not-found        an unknown path (004) or a known path with another method (405)
    // Services behind the routes: config-and-clock, store (SQLite, with its on-commit hook), ids,
    // domain-context (what every domain function takes first), webhooks (outbox dispatcher),
    // purse-expiry (the sweep), timed-steps (deposits that wait on time), live-events (GET /_mock/events), seed (SEED_FILE), swagger, docs
    // (OpenAPI and Swagger UI) and dashboard (/_mock/dashboard), the last two built on their first visit.
    // Routes: calypso-api (/api/v1, routes/customer-purse and routes/subscription), mock-api (/_mock,
    // routes/mock: one file per URL folder), health.
    await app.register(configAndClock, { config, clock: options.clock ?? systemClock })
    await app.register(quietConnections)
    await app.register(traceIds)
    await app.register(errorHandler)
    await app.register(notFound)
    await app.register(httpRefusals)
    await app.register(border)
    await app.register(requestLog)
    await app.register(requestJournal)
    await app.register(faults)
    await app.register(jsonBody)
    await app.register(store)
    await app.register(ids, { ids: options.ids })
    await app.register(domainContext)
    await app.register(webhooks, { testHooks: options.webhookTestHooks })
    await app.register(purseExpiry)
    await app.register(timedSteps)
    await app.register(liveEvents)
    await app.register(seed)
    await app.register(swagger)
    await app.register(docs)
    await app.register(dashboard)
    await app.register(calypsoApi, { prefix: '/api/v1' })
    await app.register(mockApi, { prefix: '/_mock' })
    await app.register(healthRoutes)
    if (options.extend !== undefined) await app.register(options.extend)
    await app.ready()
  } catch (err) {
    await app.close().catch(() => {})
    throw err
  }
  return app
}
