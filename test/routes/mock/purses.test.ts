import t from 'tap'
import { testConfig } from '../../../src/test-config.js'
import { ErrorCode } from '../../../src/errors.js'
import { assertError, build, createCustomer, OTHER_ACCOUNT, signedPost, webhookConfig } from '../../support/helper.js'

t.test('/_mock/purses lists a customer\'s purses; /_mock/subscriptions every live subscription', async (t) => {
  const app = await build(t, { accounts: [...testConfig().accounts, OTHER_ACCOUNT], webhook: webhookConfig('http://127.0.0.1:9/hooks') })
  const customer = await createCustomer(app)
  const address = (await signedPost(app, 'customer-purse/address/get', { customerId: customer.id, currency: 'ETH' })).json() as { id: string, address: string }
  const purses = (await app.inject({ method: 'GET', url: `/_mock/purses?customerId=${customer.id}` })).json()
  t.match(purses, { purses: [{ id: address.id, address: address.address, currencies: ['ETH'], status: 'PENDING_PAYMENT', customerId: customer.id, account: app.config.accounts[0]!.account }] })
  assertError(t, await app.inject({ method: 'GET', url: '/_mock/purses' }), ErrorCode.BAD_REQUEST, 'customerId')

  await signedPost(app, 'subscription/webhook/create', { requestId: '3fa85f64-5717-4562-b3fc-2c963f66afa6', url: 'http://127.0.0.1:9/other', notificationEventTypes: ['CUSTOMER_PURSE_EXPIRED'], notificationServiceTypes: [] }, { as: OTHER_ACCOUNT })
  const all = (await app.inject({ method: 'GET', url: '/_mock/subscriptions' })).json() as { subscriptions: Array<{ account: string, origin: string, url: string }> }
  t.same(all.subscriptions.map((s) => [s.account, s.origin, s.url]).sort(), [
    [app.config.accounts[0]!.account, 'config', 'http://127.0.0.1:9/hooks'],
    [OTHER_ACCOUNT.account, 'api', 'http://127.0.0.1:9/other'],
    [OTHER_ACCOUNT.account, 'config', 'http://127.0.0.1:9/hooks']
  ].sort())
  const one = (await app.inject({ method: 'GET', url: `/_mock/subscriptions?account=${OTHER_ACCOUNT.account.toUpperCase().replace('0X', '0x')}` })).json() as { subscriptions: unknown[] }
  t.equal(one.subscriptions.length, 2, 'one account\'s, in any case')
})
