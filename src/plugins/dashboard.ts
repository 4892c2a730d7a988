import { readdirSync, readFileSync } from 'node:fs'
import { extname, join } from 'node:path'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { CURRENCY_CODES } from '../domain/currencies.js'
import { PAUSE_STATES } from '../domain/model.js'
import { ApiError, ERROR_CATALOG, ErrorCode, Reason } from '../errors.js'
import { pageAssetFolder } from '../page-assets.js'

export const DASHBOARD_PATH = '/_mock/dashboard'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml'
}

/** Everything the page loads comes from this mock; it runs no inline script and talks to no other host. */
const HEADERS = {
  'content-security-policy': "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache'
}

interface Asset { type: string, bytes: Buffer }

function loadAssets (app: FastifyInstance): Map<string, Asset> {
  const dir = pageAssetFolder()
  const assets = new Map<string, Asset>()
  for (const name of readdirSync(dir)) {
    const type = TYPES[extname(name)]
    if (type !== undefined) assets.set(name, { type, bytes: readFileSync(join(dir, name)) })
  }
  // What the page needs to know and is no data: the lists its forms offer, and whether it must ask for the token.
  const settings = {
    locked: app.config.adminToken !== undefined,
    currencies: CURRENCY_CODES,
    pauseStates: PAUSE_STATES,
    errorCodes: Object.keys(ERROR_CATALOG),
    apiPaths: apiPaths(app)
  }
  assets.set('settings.json', { type: 'application/json; charset=utf-8', bytes: Buffer.from(JSON.stringify(settings)) })
  return assets
}

function apiPaths (app: FastifyInstance): string[] {
  const swagger = app.swagger() as { paths?: Record<string, unknown> }
  return Object.keys(swagger.paths ?? {}).filter((path) => path.startsWith('/api/v1/')).sort()
}

/**
 * The dashboard at /_mock/dashboard: plain ES modules and CSS, read from the package on the first
 * visit (so a start that never serves it does not pay for it) and kept in memory. The files hold
 * no data; the page fetches it from the /_mock and /api routes, which MOCK_ADMIN_TOKEN locks.
 */
export default fp(async function dashboard (app: FastifyInstance) {
  let assets: Map<string, Asset> | undefined

  async function serve (request: FastifyRequest<{ Params: { file?: string } }>, reply: FastifyReply) {
    assets ??= loadAssets(app)
    const name = request.params.file === undefined || request.params.file === '' ? 'index.html' : request.params.file
    const asset = assets.get(name)
    if (asset === undefined) throw new ApiError(ErrorCode.NOT_FOUND, Reason.noRoute(request.method, request.url), 404)
    return reply.headers(HEADERS).type(asset.type).send(asset.bytes)
  }

  app.get(DASHBOARD_PATH, { schema: { hide: true } }, async (_request, reply) => reply.redirect(`${DASHBOARD_PATH}/`))
  app.get(`${DASHBOARD_PATH}/`, { schema: { hide: true } }, serve)
  app.get(`${DASHBOARD_PATH}/:file`, { schema: { hide: true } }, serve)
}, { name: 'dashboard', dependencies: ['swagger'] })
