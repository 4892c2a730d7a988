import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify'
import fp from 'fastify-plugin'
import { ApiError, ErrorCode, Reason } from '../errors.js'
import { errorBody } from '../http/error-answer.js'

interface KnownRoute {
  method: string
  pattern: RegExp
}

/** A route's URL as a pattern over request paths: `:id` is one segment, `*` the rest. */
function patternOf (url: string): RegExp {
  const source = url.split(/(:[A-Za-z0-9_]+|\*)/).map((part) => {
    if (part === '*') return '.*'
    if (part.startsWith(':')) return '[^/]+'
    return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  }).join('')
  return new RegExp(`^${source}$`)
}

/**
 * Requests no route answers, in Calypso's error body. A path that exists under other methods
 * answers as Spring does, 405 with an Allow header naming them; any other path is 404 with 004.
 * Registered before the routes, so it sees every one of them.
 */
export default fp(async function notFound (app: FastifyInstance) {
  const routes: KnownRoute[] = []
  app.addHook('onRoute', (route: RouteOptions) => {
    const pattern = patternOf(route.url)
    for (const method of [route.method].flat()) routes.push({ method, pattern })
  })

  app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?', 1)[0] as string
    const allowed = [...new Set(routes.filter((r) => r.pattern.test(path)).map((r) => r.method))]
    const error = allowed.length > 0
      ? new ApiError(ErrorCode.BAD_REQUEST, Reason.methodNotAllowed(request.method, path, allowed), 405)
      : new ApiError(ErrorCode.NOT_FOUND, Reason.noRoute(request.method, request.url), 404)
    request.errorCode = error.errorCode
    if (allowed.length > 0) reply.header('allow', allowed.join(', '))
    reply.code(error.statusCode).send(errorBody(error, request))
  })
}, { name: 'not-found', dependencies: ['error-handler'] })
