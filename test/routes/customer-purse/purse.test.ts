import { randomUUID } from 'node:crypto'
import t, { type Test } from 'tap'
import { testConfig } from '../../../src/test-config.js'
import { ErrorCode, Reason } from '../../../src/errors.js'
import { assertError, build, createCustomer, manualClock, OTHER_ACCOUNT, signedPost, type SignedRequestOptions } from '../../support/helper.js'

type App = Awaited<ReturnType<typeof build>>

const GET_ALL = 'customer-purse/purse/get-all'
const ADDRESS = 'customer-purse/address/get'
const HOUR_MS = 3600 * 1000
/** Calypso's documented lifetime of a purse that receives nothing. */
const THIRTY_DAYS_MS = 30 * 24 * HOUR_MS

interface PurseView { id: string, customerId: string, address: string, currencies: string[], status: string, createdDate: string, expiryDate: string }

async function getAll (t: Test, app: App, customerId: string, options: SignedRequestOptions = {}): Promise<PurseView[]> {
  const res = await signedPost(app, GET_ALL, { customerId }, options)
  t.equal(res.statusCode, 200, 'purse/get-all answers 200')
  return res.json() as PurseView[]
}

async function addressOf (app: App, customerId: string, currency: string, options: SignedRequestOptions = {}) {
  const res = await signedPost(app, ADDRESS, { customerId, currency }, options)
  if (res.statusCode !== 200) throw new Error(`address/get failed: ${res.body}`)
  return res.json() as { id: string, address: string }
}

t.test('a new customer has no purses', async (t) => {
  const app = await build(t)
  const customer = await createCustomer(app)
  t.same(await getAll(t, app, customer.id), [])
})

t.test('one entry per address, oldest first, pending payment, expiring 30 days after creation, with the currencies it serves', async (t) => {
  const clock = manualClock()
  const app = await build(t, {}, { clock })
  const customer = await createCustomer(app)
  const created: Array<{ id: string, address: string, currency: string, at: number }> = []
  for (const currency of ['USDT_TRX', 'BTC', 'ETH', 'TRX', 'POL']) {
    const at = clock()
    created.push({ ...(await addressOf(app, customer.id, currency)), currency, at })
    clock.advance(HOUR_MS + 1234)
  }
  const [tron, btc, evm] = created as [typeof created[0], typeof created[0], typeof created[0]]
  t.equal(created[3]?.id, tron.id, 'TRX gets the USDT_TRX purse')
  t.equal(created[4]?.id, evm.id, 'POL gets the ETH purse')

  const purses = await getAll(t, app, customer.id)
  const expected = [[tron, ['USDT_TRX', 'TRX']], [btc, ['BTC']], [evm, ['ETH', 'POL']]] as const
  t.equal(purses.length, expected.length)
  expected.forEach(([first, currencies], i) => {
    const purse = purses[i] as PurseView
    t.same(purse, {
      id: first.id,
      customerId: customer.id,
      address: first.address,
      currencies,
      status: 'PENDING_PAYMENT',
      createdDate: new Date(first.at).toISOString(),
      expiryDate: new Date(first.at + THIRTY_DAYS_MS).toISOString()
    }, `entry ${i}: ${currencies.join(', ')}`)
  })
})

t.test('an expired address stays listed beside the new one that replaced it', async (t) => {
  const app = await build(t)
  const customer = await createCustomer(app)
  const old = await addressOf(app, customer.id, 'TRX')
  await app.inject({ method: 'POST', url: `/_mock/purses/${old.id}/expire`, payload: {} })
  const fresh = await addressOf(app, customer.id, 'USDT_TRX')
  const purses = await getAll(t, app, customer.id)
  t.same(purses.map((p) => [p.id, p.address, p.status, p.currencies]), [
    [old.id, old.address, 'ARCHIVED', ['TRX']],
    [fresh.id, fresh.address, 'PENDING_PAYMENT', ['USDT_TRX']]
  ])
})

t.test('asking for an address again lists no further purse', async (t) => {
  const app = await build(t)
  const customer = await createCustomer(app)
  const purse = await addressOf(app, customer.id, 'BTC')
  await addressOf(app, customer.id, 'BTC')
  const purses = await getAll(t, app, customer.id)
  t.same(purses.map((p) => p.id), [purse.id])
})

t.test('a customer sees only its own purses', async (t) => {
  const app = await build(t)
  const a = await createCustomer(app)
  const b = await createCustomer(app)
  const mine = await addressOf(app, a.id, 'BTC')
  const theirs = await addressOf(app, b.id, 'ETH')
  t.same((await getAll(t, app, a.id)).map((p) => p.id), [mine.id])
  t.same((await getAll(t, app, b.id)).map((p) => p.id), [theirs.id])
})

t.test('an unknown customer is 004', async (t) => {
  const app = await build(t)
  const customerId = randomUUID()
  assertError(t, await signedPost(app, GET_ALL, { customerId }), ErrorCode.NOT_FOUND, Reason.customerNotFound(customerId))
})

t.test('a missing or malformed customerId is 001 naming payload.customerId', async (t) => {
  const app = await build(t)
  assertError(t, await signedPost(app, GET_ALL, {}), ErrorCode.BAD_REQUEST, /payload\.customerId/)
  assertError(t, await signedPost(app, GET_ALL, { customerId: 'nope' }), ErrorCode.BAD_REQUEST, /payload\.customerId/)
})

t.test('the purses of another account\'s customer are not found', async (t) => {
  const app = await build(t, { accounts: [...testConfig().accounts, OTHER_ACCOUNT] })
  const theirs = await createCustomer(app, {}, { as: OTHER_ACCOUNT })
  const purse = await addressOf(app, theirs.id, 'BTC', { as: OTHER_ACCOUNT })
  assertError(t, await signedPost(app, GET_ALL, { customerId: theirs.id }), ErrorCode.NOT_FOUND, Reason.customerNotFound(theirs.id))
  t.same((await getAll(t, app, theirs.id, { as: OTHER_ACCOUNT })).map((p) => p.id), [purse.id], 'while their owner sees them')
})
