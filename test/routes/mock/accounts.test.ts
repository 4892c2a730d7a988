import t from 'tap'
import { ApiError, ErrorCode, Reason } from '../../../src/errors.js'
import { build, createCustomer, deposit, signedPost, webhookConfig } from '../../support/helper.js'
import { startReceiver } from '../../support/webhook-receiver.js'

type App = Awaited<ReturnType<typeof build>>
const get = async (app: App, url: string) => (await app.inject({ method: 'GET', url })).json()

const post = (app: App, url: string, payload?: unknown) =>
  app.inject({ method: 'POST', url, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) })

t.test('an account created at run time signs its own requests and sees only its own data', async (t) => {
  const receiver = await startReceiver(t)
  const app = await build(t, { webhook: webhookConfig(receiver.url) })
  receiver.setSecret(app.webhooks.configured!.secretKey)
  const res = await post(app, '/_mock/accounts', {})
  t.equal(res.statusCode, 201)
  const suite = res.json()
  t.match(suite, { account: /^0x[0-9a-f]{40}$/, apiKey: /^[0-9a-f]{32}$/, apiSecret: /^[0-9a-f]{32}$/ })
  const defaultCustomer = await createCustomer(app)
  const own = await createCustomer(app, { email: 'suite@example.com' }, { as: suite })
  t.match((await signedPost(app, 'customer-purse/customer/block', { customerId: defaultCustomer.id }, { as: suite })).json(), { errorCode: ErrorCode.NOT_FOUND })
  t.same((await get(app, `/_mock/customers?account=${suite.account}`)).customers.map((c: { id: string }) => c.id), [own.id])
  const shouted = suite.account.toUpperCase().replace('0X', '0x')
  t.same((await get(app, `/_mock/customers?account=${shouted}`)).customers.map((c: { id: string }) => c.id), [own.id], 'the account in any case')

  await deposit(app, { customerId: own.id, currency: 'ETH', amount: 1 })
  t.same((await get(app, `/_mock/transactions?account=${shouted}`)).transactions.map((x: { customerId: string }) => x.customerId), [own.id])
  const event = await receiver.waitFor((r) => r.some((x) => x.body.data.customerId === own.id))
  t.ok(event.find((x) => x.body.data.customerId === own.id)!.verified, 'the WEBHOOK_URL subscription covers run-time accounts')

  const chosen = { account: '0x00000000000000000000000000000000000000c3', apiKey: 'chosen-api-key', apiSecret: 'chosen-api-secret' }
  t.same((await post(app, '/_mock/accounts', chosen)).json(), chosen)
  t.match((await post(app, '/_mock/accounts', chosen)).json(), { errorCode: ErrorCode.BAD_REQUEST, message: new ApiError(ErrorCode.BAD_REQUEST, Reason.accountExists(chosen.account)).message })
  t.match((await post(app, '/_mock/accounts', { ...chosen, account: '0x00000000000000000000000000000000000000c4' })).json(), { errorCode: ErrorCode.BAD_REQUEST, message: new ApiError(ErrorCode.BAD_REQUEST, Reason.apiKeyTaken).message })
  t.match((await post(app, '/_mock/accounts', { apiKey: 'short' })).json(), { errorCode: ErrorCode.BAD_REQUEST, message: /apiKey/ })
})
