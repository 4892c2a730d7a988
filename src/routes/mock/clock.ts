import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { advanceClock, readClock, resetClock } from '../../domain/clock.js'
import { ApiError, ErrorCode, Reason } from '../../errors.js'
import { mockErrorResponses } from '../../schemas/common.js'
import { clockAdvanceReport, clockAdvanceRequest, clockQuery, clockResetRequest, clockState } from '../../schemas/mock/clock.js'

const tags = ['Mock']

/** The test clock of an account: read it, move it on (firing what falls due), put it back. */
export default async function clockRoutes (fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>()

  /** The account named (any case), or the first configured one; 004 when it does not exist. */
  function accountOf (given: string | undefined): string {
    const account = given?.toLowerCase() ?? app.config.accounts[0]?.account.toLowerCase()
    if (account === undefined) throw new ApiError(ErrorCode.BAD_REQUEST, Reason.noAccount)
    if (app.store.accounts.findByAccount(account) === undefined) throw new ApiError(ErrorCode.NOT_FOUND, Reason.accountNotFound(account))
    return account
  }

  app.get('/clock', {
    schema: {
      tags,
      operationId: 'getClock',
      summary: 'Read an account\'s test clock',
      description: 'The account\'s time and how far it runs ahead of the machine\'s. Request timestamps are still checked against the machine\'s clock.',
      querystring: clockQuery,
      response: { 200: clockState.describe('The clock'), ...mockErrorResponses }
    }
  }, async (request) => readClock(app.domain, accountOf(request.query.account)))

  // Advances of one account run one after the other: each fires what falls due from where the last stopped.
  const advancing = new Map<string, Promise<unknown>>()

  app.post('/clock/advance', {
    schema: {
      tags,
      operationId: 'advanceClock',
      summary: 'Move an account\'s test clock on',
      description: 'Moves the clock `ms` on and, before answering, fires in time order everything that falls due on the way: later steps of deposits that wait on time (`stepEveryMs`), purse expiry, and webhook deliveries with their retries on the ladder, each at its own time. Advancing 328 350 000 ms (the whole ladder) takes a delivery to a receiver that keeps failing to `failed` after 20 attempts.',
      body: clockAdvanceRequest,
      response: { 200: clockAdvanceReport.describe('The clock, and what fired'), ...mockErrorResponses }
    }
  }, async (request) => {
    const account = accountOf(request.body.account)
    const before = advancing.get(account) ?? Promise.resolve()
    const run = before.catch(() => {}).then(() => advanceClock(app.domain, account, request.body.ms, app.webhooks.dispatcher.drain))
    advancing.set(account, run)
    try {
      return await run
    } finally {
      if (advancing.get(account) === run) advancing.delete(account)
    }
  })

  app.post('/clock/reset', {
    schema: {
      tags,
      operationId: 'resetClock',
      summary: 'Put an account\'s test clock back',
      description: 'The account\'s time is the machine\'s again. What waits on time keeps its dates: a retry due in 30 s of the account\'s time stays due in 30 s.',
      body: clockResetRequest,
      response: { 200: clockState.describe('The clock'), ...mockErrorResponses }
    }
  }, async (request) => resetClock(app.domain, accountOf(request.body?.account ?? undefined)))
}
