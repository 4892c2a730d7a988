import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { ApiError, ErrorCode, Reason } from '../../errors.js'
import { int32, mockErrorResponses } from '../../schemas/common.js'
import { fault, faultRequest } from '../../schemas/mock/faults.js'

const tags = ['Mock']

/** `/api/v1/customer-purse/customer/create`, `api/v1/...` or `customer-purse/customer/create`: one spelling. */
function normalisePath (path: string): string {
  const bare = path.replace(/^\/+/, '').replace(/^api\/v1\//, '')
  return `/api/v1/${bare}`
}

/** /_mock/faults: Calypso errors, delays and broken connections injected before the API runs. */
export default async function faultRoutes (fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>()

  app.post('/faults', {
    schema: {
      tags,
      operationId: 'injectFault',
      summary: 'Inject a fault',
      description: 'The next `times` calls to `path` (signed with `account`\'s Key, when given) answer with a Calypso error, with any status and JSON `body` of your own, are delayed, or have their connection broken. An answer or a broken connection comes before the API runs, so it changes nothing.',
      body: faultRequest,
      response: { 201: fault.describe('The fault, waiting for its calls'), ...mockErrorResponses }
    }
  }, async (request, reply) => {
    const path = normalisePath(request.body.path)
    if (!knownApiPath(fastify, path)) {
      throw new ApiError(ErrorCode.BAD_REQUEST, Reason.notAnApiPath(path))
    }
    const account = request.body.account?.toLowerCase()
    const apiKey = account === undefined ? undefined : app.store.accounts.findByAccount(account)?.apiKey
    if (account !== undefined && apiKey === undefined) throw new ApiError(ErrorCode.NOT_FOUND, Reason.accountNotFound(account))
    return reply.code(201).send(app.faults.add({ ...request.body, path, account, apiKey }, new Date(app.clock()).toISOString()))
  })

  app.get('/faults', {
    schema: { tags, operationId: 'listFaults', summary: 'List waiting faults', response: { 200: z.object({ faults: z.array(fault) }).describe('The faults with calls left'), ...mockErrorResponses } }
  }, async () => ({ faults: app.faults.list() }))

  app.delete('/faults', {
    schema: { tags, operationId: 'clearFaults', summary: 'Clear every fault', response: { 200: z.object({ cleared: int32() }).describe('How many faults were cleared'), ...mockErrorResponses } }
  }, async () => ({ cleared: app.faults.clear() }))
}

function knownApiPath (app: FastifyInstance, path: string): boolean {
  return app.hasRoute({ method: 'POST', url: path }) || app.hasRoute({ method: 'DELETE', url: path })
}
