import { isIP } from 'node:net'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { Config } from '../config.js'
import { ApiError, ErrorCode, Reason } from '../errors.js'

/** The host name of a Host header or a URL's host: lowercase, without port, brackets or a trailing dot. */
export function hostnameOf (host: string): string {
  const bracketed = /^\[([^\]]*)\](?::\d*)?$/.exec(host)
  const name = bracketed?.[1] ?? host.replace(/:\d*$/, '')
  return name.toLowerCase().replace(/\.$/, '')
}

/**
 * Whether a request addressed to `host` may be answered. A browser writes the Host of the URL it
 * was given, so a page that got this machine's address under its own name (DNS rebinding) sends
 * that name: only names the mock knows as its own pass. An IP address passes, since a page at an
 * address is the server at that address; so do `localhost` and its subdomains, HOST, and the
 * names of ALLOWED_HOSTS (`.example.test` allows example.test and its subdomains).
 */
export function hostAllowed (host: string, config: Pick<Config, 'host' | 'allowedHosts'>): boolean {
  const name = hostnameOf(host)
  if (isIP(name) !== 0 || name === 'localhost' || name.endsWith('.localhost')) return true
  if (name === hostnameOf(config.host)) return true
  return config.allowedHosts.some((allowed) => allowed.startsWith('.')
    ? name === allowed.slice(1) || name.endsWith(allowed)
    : name === allowed)
}

/** Whether `origin` is the page the request is addressed to: the same host and port, read with the origin's scheme. */
export function originMatches (origin: string, host: string): boolean {
  try {
    const page = new URL(origin)
    return page.host === new URL(`${page.protocol}//${host}`).host
  } catch {
    return false
  }
}

function mediaType (contentType: string | undefined): string | undefined {
  return contentType?.split(';')[0]?.trim().toLowerCase()
}

const READS = new Set(['GET', 'HEAD'])

/**
 * Why a request crossing the mock's border from a browser is refused, or undefined. Every request:
 * its Host (without MOCK_ADMIN_TOKEN). Under /_mock: a read another site's page makes (a script or
 * image include, a no-cors fetch; following a link is allowed), and a change whose Origin is
 * another page's, or whose body is not JSON, which no page on another site can send unasked.
 */
export function borderRefusal (request: FastifyRequest, config: Pick<Config, 'host' | 'allowedHosts' | 'adminToken'>): ApiError | undefined {
  const host = request.headers.host
  if (config.adminToken === undefined && host !== undefined && !hostAllowed(host, config)) {
    return new ApiError(ErrorCode.BAD_REQUEST, Reason.hostNotAllowed(host), 403)
  }
  if (request.url !== '/_mock' && !request.url.startsWith('/_mock/') && !request.url.startsWith('/_mock?')) return undefined
  const site = request.headers['sec-fetch-site']
  if ((site === 'cross-site' || site === 'same-site') && !(READS.has(request.method) && request.headers['sec-fetch-mode'] === 'navigate')) {
    return new ApiError(ErrorCode.BAD_REQUEST, Reason.crossSiteMock(site), 403)
  }
  if (READS.has(request.method)) return undefined
  const origin = request.headers.origin
  if (origin !== undefined && (host === undefined || !originMatches(origin, host))) {
    return new ApiError(ErrorCode.BAD_REQUEST, Reason.originNotAllowed(origin), 403)
  }
  if (request.method === 'POST' && mediaType(request.headers['content-type']) !== 'application/json') {
    return new ApiError(ErrorCode.BAD_REQUEST, Reason.mockContentType(request.headers['content-type']), 415)
  }
  return undefined
}

/** The border: answers a refused request before anything reads its body or changes state. */
export default fp(async function border (app: FastifyInstance) {
  app.addHook('onRequest', async (request) => {
    const refusal = borderRefusal(request, app.config)
    if (refusal !== undefined) throw refusal
  })
}, { name: 'border', dependencies: ['config-and-clock', 'error-handler'] })
