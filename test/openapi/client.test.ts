import type { FastifyInstance } from 'fastify'
import t from 'tap'
import { build, signedPost, webhookConfig } from '../support/helper.js'
import { startReceiver } from '../support/webhook-receiver.js'
import type { components, operations, paths } from './client.generated.js'
import type { operations as mockOperations } from './mock-client.generated.js'

type Schemas = components['schemas']
type JsonBody<O extends keyof operations> = operations[O]['requestBody'] extends { content: { 'application/json': infer B } } ? B : never
type MockJsonBody<O extends keyof mockOperations> = mockOperations[O]['requestBody'] extends { content: { 'application/json': infer B } } ? B : never
type Ok<O extends keyof operations> = operations[O]['responses'] extends { 200: { content: { 'application/json': infer R } } } ? R : never

/** A client written against the generated types only: a path, its operation's body, its 200 body. */
async function call<O extends keyof operations> (app: FastifyInstance, path: keyof paths, _operation: O, body: JsonBody<O>): Promise<Ok<O>> {
  const res = await signedPost(app, path, undefined, { rawBody: JSON.stringify(body) })
  if (res.statusCode !== 200) throw new Error(`${path}: ${res.statusCode} ${res.body}`)
  return res.json() as Ok<O>
}

t.test('a client typed by the generated types drives the mock, webhook included', async (t) => {
  const receiver = await startReceiver(t)
  const app = await build(t, { webhook: webhookConfig(undefined) })
  const envelope = () => ({ account: app.config.accounts[0]!.account, timestamp: app.clock() })

  const subscription = await call(app, '/api/v1/subscription/webhook/create', 'createWebhook', {
    ...envelope(),
    payload: { requestId: '5b0c8a1e-2f3d-4e5f-9a0b-1c2d3e4f5a6b', notificationEventTypes: ['CUSTOMER_PURSE_MEM_POOL_FOUND'], url: receiver.url }
  })
  receiver.setSecret(subscription.secretKey)
  const customer: Schemas['Customer'] = await call(app, '/api/v1/customer-purse/customer/create', 'createCustomer', { ...envelope(), payload: { email: 'typed@example.com' } })
  const address: Schemas['CustomerPurseAddress'] = await call(app, '/api/v1/customer-purse/address/get', 'getAddress', { ...envelope(), payload: { customerId: customer.id, currency: 'USDT_TRX' } })

  const deposit = await app.inject({ method: 'POST', url: '/_mock/deposits', payload: { address: address.address, currency: 'USDT_TRX', amount: 5, stopAt: 'MEM_POOL_FOUND' } satisfies MockJsonBody<'createDeposit'> })
  t.equal(deposit.statusCode, 201)
  const state: Schemas['TransactionState'] = 'MEM_POOL_FOUND'
  const page = await call(app, '/api/v1/customer-purse/transaction/find', 'findTransactions', {
    ...envelope(),
    payload: { customerId: customer.id, transactionStateFilter: { equals: state }, pageNumber: 0, pageSize: 10 }
  })
  t.same(page.result.map((tx) => [tx.transactionState, tx.complianceState]), [['MEM_POOL_FOUND', 'UNCHECKED']])

  await receiver.waitFor((r) => r.length === 1)
  const event = JSON.parse(receiver.received[0]!.rawBody) as Schemas['WebhookEvent']
  const data: Schemas['CustomerPurseEventData'] = event.data
  t.ok(receiver.received[0]!.verified, 'signed as the callback says')
  t.match(event, { requestId: subscription.requestId, eventType: 'CUSTOMER_PURSE_MEM_POOL_FOUND', level: 'INFO', service: 'CUSTOMER_PURSE' })
  t.same([data.customerId, data.purseId, data.address, data.transactionId], [customer.id, address.id, address.address, page.result[0]!.id])
})
