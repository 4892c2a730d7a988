import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { mockErrorResponses } from '../../schemas/common.js'
import { journalEntry, journalQuery } from '../../schemas/mock/requests.js'

const tags = ['Mock']

/** GET /_mock/requests: the request journal. */
export default async function requestJournalRoutes (fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>()

  app.get('/requests', {
    schema: {
      tags,
      operationId: 'listRequests',
      summary: 'The request journal',
      description: 'The last 1000 calls to /api, newest first: time, method, path, body, the auth verdict (which check failed and why), the status and errorCode.',
      querystring: journalQuery,
      response: { 200: z.object({ requests: z.array(journalEntry) }).describe('The journal, newest first'), ...mockErrorResponses }
    }
  }, async (request) => ({ requests: app.journal.list(request.query) }))
}
