import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { resetData } from '../../domain/reset.js'
import { ApiError, ErrorCode, Reason } from '../../errors.js'
import { int64, mockErrorResponses } from '../../schemas/common.js'
import { resetRequest } from '../../schemas/mock/reset.js'

const tags = ['Mock']

/** POST /_mock/reset: empties the mock, or one account. */
export default async function resetRoutes (fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>()
  const configuredAccounts = app.config.accounts.map((a) => a.account.toLowerCase())

  app.post('/reset', {
    schema: {
      tags,
      operationId: 'resetMock',
      summary: 'Empty the mock',
      description: 'Deletes every customer, purse, transaction, event, delivery and API subscription, and the accounts created at run time; or, with `{account}`, only that account\'s data. Configured accounts and the WEBHOOK_URL subscription survive. A full reset also clears the request journal and the faults, and restarts the MOCK_SEED sequence. The account\'s test clock (or every one) is put back on the machine\'s.',
      body: resetRequest,
      response: {
        200: z.object({
          reset: z.string().describe('"all" or the account'),
          lastEventId: int64().describe('The largest event id given before the reset: a delivery of an older event still in flight may arrive after it, and a receiver can drop it by this')
        }).describe('What was emptied'),
        ...mockErrorResponses
      }
    }
  }, async (request) => {
    const account = request.body.account?.toLowerCase()
    if (account !== undefined && app.store.accounts.findByAccount(account) === undefined) {
      throw new ApiError(ErrorCode.NOT_FOUND, Reason.accountNotFound(account))
    }
    const lastEventId = await app.store.write(() => {
      resetData(app.domain, configuredAccounts, account)
      return app.store.events.lastId()
    })
    if (account === undefined) {
      app.journal.clear()
      app.faults.clear()
      app.webhooks.faults.clear()
      app.webhooks.chaos.forget()
      app.webhooks.waiters.forgetHandedOut()
      app.ids.restart()
    }
    return { reset: account ?? 'all', lastEventId }
  })
}
