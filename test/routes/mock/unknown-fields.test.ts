import t from 'tap'
import { ErrorCode, Reason } from '../../../src/errors.js'
import { build, createCustomer, deposit } from '../../support/helper.js'

const DEFAULT = '0xca11ab1e00000000000000000000000000000001'

t.test('a misspelt field in any /_mock body is refused, naming it and the fields the body takes; nothing changes', async (t) => {
  const app = await build(t)
  const customer = await createCustomer(app)
  const paused = await deposit(app, { customerId: customer.id, currency: 'BTC', amount: 1, stopAt: 'MEM_POOL_FOUND' })
  const purse = app.store.purses.listByCustomer(customer.id)[0]!
  const cases: Array<[string, Record<string, unknown>, string, string[]]> = [
    ['/_mock/deposits', { customerId: customer.id, currency: 'BTC', amount: 1, stopat: 'MEM_POOL_FOUND' }, 'stopat', ['customerId', 'address', 'currency', 'amount', 'addressFrom', 'transactionHash', 'outcome', 'stopAt', 'stepEveryMs', 'skipMemPoolFound']],
    ['/_mock/deposits', { customerId: customer.id, currency: 'BTC', amount: 1, outcom: 'DECLINED' }, 'outcom', []],
    [`/_mock/transactions/${paused.id}/advance`, { stopat: 'CONFIRMED' }, 'stopat', ['stopAt']],
    ['/_mock/webhooks/faults', { tims: 50 }, 'tims', ['kind', 'account', 'eventType', 'status', 'delayMs', 'count', 'times', 'untilCleared']],
    ['/_mock/faults', { path: 'customer-purse/customer/create', errorCode: '000', Times: 3 }, 'Times', []],
    ['/_mock/accounts', { acount: '0x00000000000000000000000000000000000000b2' }, 'acount', ['account', 'apiKey', 'apiSecret']],
    [`/_mock/purses/${purse.id}/expire`, { now: true }, 'now', []],
    ['/_mock/webhooks/deliveries/1/redeliver', { id: 1 }, 'id', []]
  ]
  for (const [url, payload, field, known] of cases) {
    const res = await app.inject({ method: 'POST', url, payload })
    t.equal(res.statusCode, 400, `${url} ${field}`)
    t.match(res.json(), { errorCode: ErrorCode.BAD_REQUEST, message: new RegExp(`unknown field "${field}"`) })
    if (known.length > 0) t.match(res.json().message, Reason.unknownMockFields([field], known))
  }
  t.match((await app.inject({ method: 'POST', url: `/_mock/purses/${purse.id}/expire`, payload: { now: true } })).json().message, 'this body takes no field: send {}')

  const stored = (await app.inject({ method: 'GET', url: '/_mock/transactions' })).json() as { transactions: Array<{ transactionState: string }> }
  t.same(stored.transactions.map((tx) => tx.transactionState), ['MEM_POOL_FOUND'], 'no deposit was made, the paused one did not move')
  t.equal(((await app.inject({ method: 'GET', url: '/_mock/accounts' })).json() as { accounts: unknown[] }).accounts.length, 1, 'no random account was made')
  t.same((await app.inject({ method: 'GET', url: '/_mock/webhooks/faults' })).json(), { faults: [] })
  t.same((await app.inject({ method: 'GET', url: '/_mock/faults' })).json(), { faults: [] })
  t.equal(app.store.purses.listByCustomer(customer.id)[0]!.status, purse.status, 'the purse did not expire')
  t.equal((await app.inject({ method: 'POST', url: '/_mock/accounts', payload: { account: DEFAULT.replace('01', 'b3') } })).statusCode, 201, 'a correct body still works')
})
