import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { createAccount } from '../../domain/accounts.js'
import { mockErrorResponses } from '../../schemas/common.js'
import { accountCredentials, accountList, createAccountRequest } from '../../schemas/mock/accounts.js'

const tags = ['Mock']

/** /_mock/accounts: accounts made at run time, and the list of all. */
export default async function accountRoutes (fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>()

  app.post('/accounts', {
    schema: {
      tags,
      operationId: 'createAccount',
      summary: 'Create an account',
      description: 'A merchant account with its own key pair, created at run time: each test suite can take one and never see another\'s data. Omitted fields are generated. The account is subscribed to WEBHOOK_URL when it is set.',
      body: createAccountRequest,
      response: { 201: accountCredentials.describe('The account and its key pair'), ...mockErrorResponses }
    }
  }, async (request, reply) => reply.code(201).send(await app.store.write(() => createAccount(app.domain, app.config.webhook, request.body ?? {}))))

  app.get('/accounts', {
    schema: {
      tags,
      operationId: 'listAccounts',
      summary: 'List accounts',
      description: 'Configured and run-time accounts with their key pairs.',
      response: { 200: accountList.describe('Every account'), ...mockErrorResponses }
    }
  }, async () => ({ accounts: app.store.accounts.list() }))
}
