import t from 'tap'
import { testConfig } from '../../../src/test-config.js'
import { ErrorCode, Reason } from '../../../src/errors.js'
import { assertError, build, createCustomer, deposit, OTHER_ACCOUNT, signedPost, webhookConfig } from '../../support/helper.js'
import { DEFAULT_ACCOUNT } from '../../../src/demo-credentials.js'

type App = Awaited<ReturnType<typeof build>>
const customers = (app: App) => app.store.db.prepare('SELECT count(*) FROM customers').pluck().get() as number

async function fixture (t: Parameters<typeof build>[0]) {
  const app = await build(t, { accounts: [...testConfig().accounts, OTHER_ACCOUNT] })
  await createCustomer(app)
  await createCustomer(app, {}, { as: OTHER_ACCOUNT })
  return app
}

const count = (app: App, table: string) => app.store.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number
const get = async (app: App, url: string) => (await app.inject({ method: 'GET', url })).json()

const post = (app: App, url: string, payload?: unknown) =>
  app.inject({ method: 'POST', url, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) })

t.test('POST /_mock/reset takes {} or {"account": ...} and nothing else', async (t) => {
  const app = await fixture(t)
  const refused: Array<[string, string | undefined]> = [
    ['{"acount":"0x00000000000000000000000000000000000000b2"}', 'a misspelt field'],
    ['{"account":"0x00000000000000000000000000000000000000b2","all":true}', 'a known field with an unknown one'],
    ['null', 'null'],
    ['[]', 'an array'],
    ['[{"account":"0x00000000000000000000000000000000000000b2"}]', 'an array of the right object'],
    ['"all"', 'a string'],
    ['0', 'a number'],
    ['true', 'a boolean'],
    ['{"account":null}', 'a null account'],
    ['{"account":""}', 'an empty account'],
    ['', 'an empty JSON body']
  ].map(([body, label]) => [body as string, label])
  for (const [body, label] of refused) {
    const res = await app.inject({ method: 'POST', url: '/_mock/reset', payload: body, headers: { 'content-type': 'application/json' } })
    assertError(t, res, ErrorCode.BAD_REQUEST)
    t.equal(customers(app), 2, `${label} deletes nothing`)
  }
  const misspelt = await app.inject({ method: 'POST', url: '/_mock/reset', payload: { acount: OTHER_ACCOUNT.account } })
  t.match(misspelt.json().message, /acount/, 'the unknown field is named')
  t.match(misspelt.json().message, Reason.resetBody)
})

t.test('a POST with no body at all is refused too: a reset of everything is asked for with {}', async (t) => {
  const app = await fixture(t)
  const res = await app.inject({ method: 'POST', url: '/_mock/reset' })
  t.equal(res.statusCode, 415)
  t.match(res.json(), { errorCode: ErrorCode.BAD_REQUEST, message: `Bad request: ${Reason.mockContentType(undefined)}` })
  t.equal(customers(app), 2)
})

t.test('{"account": ...} resets that account only, {} everything', async (t) => {
  const app = await fixture(t)
  t.same((await app.inject({ method: 'POST', url: '/_mock/reset', payload: { account: OTHER_ACCOUNT.account } })).json(), { reset: OTHER_ACCOUNT.account, lastEventId: 0 })
  t.equal(customers(app), 1)
  t.same((await app.inject({ method: 'POST', url: '/_mock/reset', payload: {} })).json(), { reset: 'all', lastEventId: 0 })
  t.equal(customers(app), 0)
})

t.test('reset empties everything but the configured accounts and the WEBHOOK_URL subscription', async (t) => {
  const app = await build(t, { webhook: webhookConfig('http://127.0.0.1:1/hook') })
  const customer = await createCustomer(app)
  await deposit(app, { customerId: customer.id, currency: 'BTC', amount: 1 })
  await signedPost(app, 'subscription/webhook/create', { requestId: '1a2b3c4d-1a2b-4c3d-8e9f-0a1b2c3d4e5f', notificationServiceTypes: ['CUSTOMER_PURSE'], url: 'http://127.0.0.1:1/x' })
  const runtime = (await post(app, '/_mock/accounts', {})).json()
  await post(app, '/_mock/faults', { path: 'customer-purse/customer/create', errorCode: '000' })

  const res = await post(app, '/_mock/reset', {})
  t.equal(res.statusCode, 200)
  t.same(res.json(), { reset: 'all', lastEventId: 4 }, 'the deposit\'s four events were the last before it')
  for (const table of ['customers', 'purses', 'transactions', 'events', 'deliveries', 'delivery_attempts']) t.equal(count(app, table), 0, `${table} is empty`)
  t.same((await get(app, '/_mock/accounts')).accounts.map((a: { account: string }) => a.account), [DEFAULT_ACCOUNT], `run-time account ${runtime.account} is gone`)
  t.same((await get(app, '/_mock/requests')).requests, [], 'the journal is cleared')
  t.same((await get(app, '/_mock/faults')).faults, [])
  const subscriptions = (await signedPost(app, 'subscription/webhook', undefined)).json().subscriptions
  t.same(subscriptions.map((s: { url: string }) => s.url), ['http://127.0.0.1:1/hook'], 'only the WEBHOOK_URL subscription is left')
  t.equal((await signedPost(app, 'customer-purse/customer/create', {})).statusCode, 200, 'and the API works on')
})

t.test('reset of one account leaves the others alone', async (t) => {
  const app = await build(t, { accounts: [...testConfig().accounts, OTHER_ACCOUNT] })
  const mine = await createCustomer(app)
  const theirs = await createCustomer(app, {}, { as: OTHER_ACCOUNT })
  await deposit(app, { customerId: mine.id, currency: 'TRX', amount: 1 })
  await deposit(app, { customerId: theirs.id, currency: 'TRX', amount: 1 })
  t.equal((await post(app, '/_mock/reset', { account: OTHER_ACCOUNT.account.toUpperCase().replace('0X', '0x') })).json().reset, OTHER_ACCOUNT.account)
  t.same((await get(app, '/_mock/customers')).customers.map((c: { id: string }) => c.id), [mine.id])
  t.same((await get(app, '/_mock/transactions')).transactions.map((x: { customerId: string }) => x.customerId), [mine.id])
  t.match((await post(app, '/_mock/reset', { account: '0x00000000000000000000000000000000000000ff' })).json(), { errorCode: ErrorCode.NOT_FOUND })
  t.match((await post(app, '/_mock/reset', { account: 'someone' })).json(), { errorCode: ErrorCode.BAD_REQUEST, message: /account/ })
})

t.test('a reset of one account keeps the accounts created at run time; only a full reset takes them', async (t) => {
  const app = await build(t)
  const runtime = (await post(app, '/_mock/accounts', {})).json()
  const accounts = async () => (await get(app, '/_mock/accounts')).accounts.map((a: { account: string }) => a.account)
  t.equal((await post(app, '/_mock/reset', { account: DEFAULT_ACCOUNT })).statusCode, 200)
  t.same(await accounts(), [DEFAULT_ACCOUNT, runtime.account], 'after a reset of the configured account')
  t.equal((await post(app, '/_mock/reset', { account: runtime.account })).statusCode, 200)
  t.same(await accounts(), [DEFAULT_ACCOUNT, runtime.account], 'after a reset of the run-time account itself: its data goes, the account stays')
  t.equal((await post(app, '/_mock/reset', {})).statusCode, 200)
  t.same(await accounts(), [DEFAULT_ACCOUNT], 'after a full reset')
})

t.test('a full reset restarts the seeded sequence', async (t) => {
  const app = await build(t, { seed: 'reset-me' })
  const before = await createCustomer(app)
  await post(app, '/_mock/reset', {})
  const after = await createCustomer(app)
  t.equal(after.id, before.id)
})
