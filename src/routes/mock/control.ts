import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { createAccount } from '../../domain/accounts.js'
import { resetData } from '../../domain/reset.js'
import { ApiError, ErrorCode, Reason } from '../../errors.js'
import { int32, int64, mockErrorResponses } from '../../schemas/common.js'
import {
  accountCredentials, accountList, createAccountRequest, customersQuery, fault, faultRequest, journalEntry,
  journalQuery, resetRequest, storedCustomers, storedTransactions, transactionsQuery
} from '../../schemas/mock.js'

const tags = ['Mock']

/** `/api/v1/customer-purse/customer/create`, `api/v1/...` or `customer-purse/customer/create`: one spelling. */
function normalisePath (path: string): string {
  const bare = path.replace(/^\/+/, '').replace(/^api\/v1\//, '')
  return `/api/v1/${bare}`
}

/** Test controls: reset, accounts, what is stored, the request journal, and injected faults. */
export default async function controlRoutes (fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>()
  const configuredAccounts = app.config.accounts.map((a) => a.account.toLowerCase())

  app.post('/reset', {
    schema: {
      tags,
      operationId: 'resetMock',
      summary: 'Empty the mock',
      description: 'Deletes every customer, purse, transaction, event, delivery and API subscription, and the accounts created at run time; or, with `{account}`, only that account\'s data. Configured accounts and the WEBHOOK_URL subscription survive. A full reset also clears the request journal and the faults, and restarts the MOCK_SEED sequence.',
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
      resetData(app.store, configuredAccounts, account)
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

  app.post('/accounts', {
    schema: {
      tags,
      operationId: 'createAccount',
      summary: 'Create an account',
      description: 'A merchant account with its own key pair, created at run time: each test suite can take one and never see another\'s data. Omitted fields are generated. The account is subscribed to WEBHOOK_URL when it is set.',
      body: createAccountRequest,
      response: { 201: accountCredentials.describe('The account and its key pair'), ...mockErrorResponses }
    }
  }, async (request, reply) => reply.code(201).send(await app.store.write(() => createAccount(app.store, app.ids, app.config.webhook, request.body ?? {}, app.clock()))))

  app.get('/accounts', {
    schema: {
      tags,
      operationId: 'listAccounts',
      summary: 'List accounts',
      description: 'Configured and run-time accounts with their key pairs.',
      response: { 200: accountList.describe('Every account'), ...mockErrorResponses }
    }
  }, async () => ({ accounts: app.store.accounts.list() }))

  app.get('/customers', {
    schema: {
      tags,
      operationId: 'listCustomers',
      summary: 'List stored customers',
      description: 'Newest first, with their account and dates.',
      querystring: customersQuery,
      response: { 200: storedCustomers.describe('The customers, newest first'), ...mockErrorResponses }
    }
  }, async (request) => ({ customers: app.store.customers.listAll(request.query) }))

  app.get('/transactions', {
    schema: {
      tags,
      operationId: 'listTransactions',
      summary: 'List stored transactions',
      description: 'Newest first, with their account, customer, purse and planned outcome.',
      querystring: transactionsQuery,
      response: { 200: storedTransactions.describe('The transactions, newest first'), ...mockErrorResponses }
    }
  }, async (request) => ({ transactions: app.store.transactions.listAll(request.query) }))

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
