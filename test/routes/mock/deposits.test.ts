import t, { type Test } from 'tap'
import { ErrorCode } from '../../../src/errors.js'
import { build, createCustomer, deposit, manualClock, signedPost } from '../../support/helper.js'

async function postDeposit (app: Awaited<ReturnType<typeof build>>, payload: unknown) {
  return app.inject({ method: 'POST', url: '/_mock/deposits', payload: payload as Record<string, unknown> })
}

function assertRejected (t: Test, res: { statusCode: number, json: () => { errorCode: string, message: string } }, code: string, message: RegExp) {
  t.equal(res.statusCode, 400)
  t.equal(res.json().errorCode, code)
  t.match(res.json().message, message)
}

const countTransactions = (app: Awaited<ReturnType<typeof build>>) =>
  app.store.db.prepare('SELECT count(*) FROM transactions').pluck().get() as number

t.test('a deposit by customer id creates the purse, runs the flow and is found by transaction/get and find', async (t) => {
  const app = await build(t)
  const customer = await createCustomer(app)
  const res = await postDeposit(app, { customerId: customer.id, currency: 'USDT_TRX', amount: 42.5, addressFrom: 'TXYZsender', transactionHash: 'abc123' })
  t.equal(res.statusCode, 201)
  const tx = res.json()
  t.match(tx, {
    amount: 42.5,
    currency: 'USDT_TRX',
    addressFrom: 'TXYZsender',
    transactionHash: 'abc123',
    transactionState: 'CONFIRMED',
    complianceState: 'CHECKED',
    translationToAccountCompleted: true,
    customerId: customer.id,
    outcome: 'CONFIRMED'
  })
  const purses = (await signedPost(app, 'customer-purse/purse/get-all', { customerId: customer.id })).json()
  t.equal(purses.length, 1)
  t.equal(purses[0].id, tx.purseId)
  const got = (await signedPost(app, 'customer-purse/transaction/get', { transactionId: tx.id })).json()
  t.same(got, {
    id: tx.id,
    amount: 42.5,
    addressFrom: 'TXYZsender',
    currency: 'USDT_TRX',
    transactionHash: 'abc123',
    transactionState: 'CONFIRMED',
    complianceState: 'CHECKED',
    translationToAccountCompleted: true,
    createdDate: tx.createdDate
  })
  const found = (await signedPost(app, 'customer-purse/transaction/find', { customerId: customer.id, pageNumber: 0, pageSize: 10 })).json()
  t.equal(found.totalElements, 1)
  t.equal(found.result[0].id, tx.id)
})

t.test('a deposit by address lands in its purse, in any currency of its chain, which the purse then lists', async (t) => {
  const app = await build(t)
  const customer = await createCustomer(app)
  const address = (await signedPost(app, 'customer-purse/address/get', { customerId: customer.id, currency: 'ETH' })).json()
  const eth = await deposit(app, { address: address.address, currency: 'ETH', amount: 1 })
  t.equal(eth.purseId, address.id)
  const usdt = await deposit(app, { address: address.address, currency: 'USDT_BSC', amount: 100 })
  t.equal(usdt.purseId, address.id, 'the same purse')
  const again = (await signedPost(app, 'customer-purse/address/get', { customerId: customer.id, currency: 'USDT_BSC' })).json()
  t.same(again, address)
  const purses = (await signedPost(app, 'customer-purse/purse/get-all', { customerId: customer.id })).json()
  t.same(purses.map((p: { currencies: string[] }) => p.currencies), [['ETH', 'USDT_BSC']])
})

t.test('a default sender and hash look like the currency\'s chain', async (t) => {
  const app = await build(t)
  const customer = await createCustomer(app)
  const eth = await deposit(app, { customerId: customer.id, currency: 'ETH', amount: 1 }) as unknown as { addressFrom: string, transactionHash: string }
  t.match(eth.addressFrom, /^0x[0-9a-f]{40}$/)
  t.match(eth.transactionHash, /^0x[0-9a-f]{64}$/)
  const btc = await deposit(app, { customerId: customer.id, currency: 'BTC', amount: 1 }) as unknown as { addressFrom: string, transactionHash: string }
  t.match(btc.addressFrom, /^bc1q/)
  t.match(btc.transactionHash, /^[0-9a-f]{64}$/)
})

t.test('bad deposits are refused clearly and change nothing', async (t) => {
  const app = await build(t)
  const customer = await createCustomer(app)
  const btcAddress = (await signedPost(app, 'customer-purse/address/get', { customerId: customer.id, currency: 'BTC' })).json().address
  const cases: Array<[string, unknown, string, RegExp]> = [
    ['unknown customer', { customerId: '3fa85f64-5717-4562-b3fc-2c963f66afa6', currency: 'BTC', amount: 1 }, ErrorCode.NOT_FOUND, /no customer 3fa85f64/],
    ['unknown address', { address: 'bc1qnothing', currency: 'BTC', amount: 1 }, ErrorCode.NOT_FOUND, /no purse has the address bc1qnothing/],
    ['zero amount', { customerId: customer.id, currency: 'BTC', amount: 0 }, ErrorCode.BAD_REQUEST, /amount/],
    ['negative amount', { customerId: customer.id, currency: 'BTC', amount: -1 }, ErrorCode.BAD_REQUEST, /amount/],
    ['amount as a string', { customerId: customer.id, currency: 'BTC', amount: '1' }, ErrorCode.BAD_REQUEST, /amount: .*expected number/],
    ['unknown currency', { customerId: customer.id, currency: 'DOGE2', amount: 1 }, ErrorCode.BAD_REQUEST, /unknown currency "DOGE2"/],
    ['neither customer nor address', { currency: 'BTC', amount: 1 }, ErrorCode.BAD_REQUEST, /exactly one of customerId and address/],
    ['both customer and address', { customerId: customer.id, address: btcAddress, currency: 'BTC', amount: 1 }, ErrorCode.BAD_REQUEST, /exactly one/],
    ['currency of another chain than the address', { address: btcAddress, currency: 'ETH', amount: 1 }, ErrorCode.BAD_REQUEST, /not on the bitcoin chain/],
    ['unknown outcome', { customerId: customer.id, currency: 'BTC', amount: 1, outcome: 'MAYBE' }, ErrorCode.BAD_REQUEST, /outcome/],
    ['unknown stopAt', { customerId: customer.id, currency: 'BTC', amount: 1, stopAt: 'DONE' }, ErrorCode.BAD_REQUEST, /stopAt/],
    ['a declined deposit cannot stop at CONFIRMED', { customerId: customer.id, currency: 'BTC', amount: 1, outcome: 'DECLINED', stopAt: 'CONFIRMED' }, ErrorCode.BAD_REQUEST, /stopAt CONFIRMED/]
  ]
  for (const [name, payload, code, message] of cases) {
    assertRejected(t, await postDeposit(app, payload), code, message)
    t.equal(countTransactions(app), 0, `${name}: no transaction`)
  }
  assertRejected(t, await app.inject({ method: 'POST', url: '/_mock/deposits', payload: '{"currency":', headers: { 'content-type': 'application/json' } }), ErrorCode.BAD_REQUEST, /not valid JSON/)
  t.equal(app.store.db.prepare('SELECT count(*) FROM events').pluck().get(), 0, 'no event was emitted')
})

t.test('stopAt pauses a deposit; advance moves it on, one state or to the end', async (t) => {
  const app = await build(t)
  const customer = await createCustomer(app)
  const paused = await deposit(app, { customerId: customer.id, currency: 'BTC', amount: 1, stopAt: 'MEM_POOL_FOUND' })
  t.match(paused, { transactionState: 'MEM_POOL_FOUND', complianceState: 'UNCHECKED', translationToAccountCompleted: false })
  const advance = (stopAt?: string) => app.inject({ method: 'POST', url: `/_mock/transactions/${paused.id}/advance`, payload: stopAt === undefined ? {} : { stopAt } })

  const compliance = await advance('PENDING_COMPLIANCE_CHECK')
  t.equal(compliance.statusCode, 200)
  t.match(compliance.json(), { transactionState: 'PENDING_COMPLIANCE_CHECK', complianceState: 'IN_PROGRESS' })
  assertRejected(t, await advance('MEM_POOL_FOUND'), ErrorCode.BAD_REQUEST, /stopAt must be a later state/)

  const confirmed = await advance('CONFIRMED')
  t.match(confirmed.json(), { transactionState: 'CONFIRMED', complianceState: 'CHECKED', translationToAccountCompleted: false })
  const done = await advance()
  t.match(done.json(), { transactionState: 'CONFIRMED', translationToAccountCompleted: true })
  assertRejected(t, await advance(), ErrorCode.BAD_REQUEST, /is complete/)

  const types = app.store.events.typesForTransaction(paused.id)
  t.same(types, ['CUSTOMER_PURSE_MEM_POOL_FOUND', 'CUSTOMER_PURSE_PENDING_COMPLIANCE', 'CUSTOMER_PURSE_FUNDS_RECEIVED_FOR_PURSE', 'CUSTOMER_PURSE_TRANSLATION_TO_ACCOUNT_COMPLETED'])

  const missing = await app.inject({ method: 'POST', url: '/_mock/transactions/3fa85f64-5717-4562-b3fc-2c963f66afa6/advance', payload: {} })
  assertRejected(t, missing, ErrorCode.NOT_FOUND, /no transaction/)
  assertRejected(t, await app.inject({ method: 'POST', url: '/_mock/transactions/not-a-uuid/advance', payload: {} }), ErrorCode.BAD_REQUEST, /id/)
})

t.test('skipMemPoolFound: no CUSTOMER_PURSE_MEM_POOL_FOUND, as Calypso does not guarantee it; the rest of the flow as usual', async (t) => {
  const app = await build(t)
  const customer = await createCustomer(app)
  const skipped = await deposit(app, { customerId: customer.id, currency: 'BTC', amount: 1, skipMemPoolFound: true })
  t.same(app.store.events.typesForTransaction(skipped.id), ['CUSTOMER_PURSE_PENDING_COMPLIANCE', 'CUSTOMER_PURSE_FUNDS_RECEIVED_FOR_PURSE', 'CUSTOMER_PURSE_TRANSLATION_TO_ACCOUNT_COMPLETED'])
  t.match(skipped, { transactionState: 'CONFIRMED', translationToAccountCompleted: true })

  const paused = await deposit(app, { customerId: customer.id, currency: 'BTC', amount: 1, skipMemPoolFound: true, stopAt: 'MEM_POOL_FOUND' })
  t.match(paused, { transactionState: 'MEM_POOL_FOUND' }, 'the transaction still starts in MEM_POOL_FOUND')
  t.same(app.store.events.typesForTransaction(paused.id), [], 'with no event for it')

  const sent = await deposit(app, { customerId: customer.id, currency: 'BTC', amount: 1, skipMemPoolFound: false })
  t.equal(app.store.events.typesForTransaction(sent.id)[0], 'CUSTOMER_PURSE_MEM_POOL_FOUND', 'false (the default) sends it')
  assertRejected(t, await postDeposit(app, { customerId: customer.id, currency: 'BTC', amount: 1, skipMemPoolFound: 'yes' }), ErrorCode.BAD_REQUEST, /skipMemPoolFound/)
})

t.test('a confirmed deposit keeps the purse alive a year after it', async (t) => {
  const app = await build(t, {}, { clock: manualClock() })
  const customer = await createCustomer(app)
  const tx = await deposit(app, { customerId: customer.id, currency: 'BTC', amount: 1 })
  const [purse] = (await signedPost(app, 'customer-purse/purse/get-all', { customerId: customer.id })).json()
  t.equal(Date.parse(purse.expiryDate) - Date.parse(tx.createdDate), 365 * 24 * 3600 * 1000)
})

t.test('transaction/find filters real deposits by state', async (t) => {
  const app = await build(t)
  const customer = await createCustomer(app)
  await deposit(app, { customerId: customer.id, currency: 'BTC', amount: 1 })
  await deposit(app, { customerId: customer.id, currency: 'TRX', amount: 2, stopAt: 'PENDING_COMPLIANCE_CHECK' })
  await deposit(app, { customerId: customer.id, currency: 'ETH', amount: 3, outcome: 'DECLINED' })
  const find = async (filter: unknown) => (await signedPost(app, 'customer-purse/transaction/find', { pageNumber: 0, pageSize: 10, transactionStateFilter: filter })).json()
  t.same((await find({ equals: 'DECLINED' })).result.map((x: { amount: number }) => x.amount), [3])
  t.same((await find({ in: ['CONFIRMED', 'PENDING_COMPLIANCE_CHECK'] })).result.map((x: { amount: number }) => x.amount), [1, 2])
})
