import { randomUUID } from 'node:crypto'
import t, { type Test } from 'tap'
import { testConfig } from '../../../src/test-config.js'
import { CURRENCY_CODES } from '../../../src/domain/currencies.js'
import { ErrorCode, Reason } from '../../../src/errors.js'
import { assertError, build, createCustomer, OTHER_ACCOUNT, signedPost, type SignedRequestOptions } from '../../support/helper.js'
import { isBase58Address, segwitV0Program } from '../../support/address-formats.js'

type App = Awaited<ReturnType<typeof build>>

const ADDRESS = 'customer-purse/address/get'
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const BECH32_DATA = '[qpzry9x8gf2tvdw0s3jn54khce6mua7l]'
const BASE58 = '[1-9A-HJ-NP-Za-km-z]'

const purseCount = (app: App) => app.store.db.prepare('SELECT count(*) FROM purses').pluck().get() as number

/** address/get, expecting success: the purse's {id, address}. */
async function addressOf (t: Test, app: App, customerId: string, currency: string, options: SignedRequestOptions = {}) {
  const res = await signedPost(app, ADDRESS, { customerId, currency }, options)
  t.equal(res.statusCode, 200, `address/get ${currency} answers 200`)
  return res.json() as { id: string, address: string }
}

t.test('the first call creates the purse and answers {id, address}', async (t) => {
  const app = await build(t)
  const customer = await createCustomer(app)
  const res = await signedPost(app, ADDRESS, { customerId: customer.id, currency: 'BTC' })
  t.equal(res.statusCode, 200)
  const body = res.json()
  t.same(Object.keys(body).sort(), ['address', 'id'])
  t.match(body.id, UUID)
  t.type(body.address, 'string')
  t.equal(purseCount(app), 1, 'one purse is stored')
  t.match(app.store.purses.findById(body.id), { id: body.id, customerId: customer.id, currencies: ['BTC'], address: body.address, status: 'PENDING_PAYMENT' })
})

t.test('later calls return the same {id, address} and create no other purse', async (t) => {
  const app = await build(t)
  const customer = await createCustomer(app)
  const first = await addressOf(t, app, customer.id, 'USDT_TRX')
  const second = await addressOf(t, app, customer.id, 'USDT_TRX')
  const third = await addressOf(t, app, customer.id, 'USDT_TRX')
  t.same(second, first)
  t.same(third, first)
  t.equal(purseCount(app), 1)
})

t.test('a currency of another chain gives another purse and address', async (t) => {
  const app = await build(t)
  const customer = await createCustomer(app)
  const btc = await addressOf(t, app, customer.id, 'BTC')
  const eth = await addressOf(t, app, customer.id, 'ETH')
  t.not(eth.id, btc.id)
  t.not(eth.address, btc.address)
  t.equal(purseCount(app), 2)
})

t.test('every currency of one chain family gets the same {id, address}: one purse per address', async (t) => {
  const app = await build(t)
  const customer = await createCustomer(app)
  const families = [['TRX', 'USDT_TRX', 'USDC_TRX'], ['ETH', 'USDT_BSC', 'USDT', 'POL']]
  for (const [first, ...rest] of families) {
    const base = await addressOf(t, app, customer.id, first as string)
    for (const currency of rest) t.same(await addressOf(t, app, customer.id, currency), base, `${currency} gets ${first}'s purse`)
    t.same(app.store.purses.findById(base.id)?.currencies, families.find((f) => f[0] === first), 'the purse lists every currency asked for, in order')
  }
  const tron = await addressOf(t, app, customer.id, 'USDT_TRX')
  const evm = await addressOf(t, app, customer.id, 'POL')
  t.not(tron.address, evm.address, 'families do not share')
  t.equal(purseCount(app), 2, 'one purse per address')
})

t.test('an expired address is never handed out again: the next call creates a new purse with a new address', async (t) => {
  const app = await build(t)
  const customer = await createCustomer(app)
  const first = await addressOf(t, app, customer.id, 'USDT_TRX')
  await addressOf(t, app, customer.id, 'TRX')
  t.equal((await app.inject({ method: 'POST', url: `/_mock/purses/${first.id}/expire`, payload: {} })).statusCode, 200)
  for (const currency of ['TRX', 'USDT_TRX']) {
    const next = await addressOf(t, app, customer.id, currency)
    t.not(next.id, first.id, `${currency}: a new purse`)
    t.not(next.address, first.address, `${currency}: a new address`)
  }
  t.same(await addressOf(t, app, customer.id, 'USDT_TRX'), await addressOf(t, app, customer.id, 'TRX'), 'the new address serves the family')
  t.equal(purseCount(app), 2)
})

t.test('a declined address is never handed out again; a customer whose every address is declined gets a new one', async (t) => {
  const app = await build(t)
  const customer = await createCustomer(app)
  const seen = new Set<string>()
  for (let round = 0; round < 3; round++) {
    const purse = await addressOf(t, app, customer.id, 'ETH')
    t.notOk(seen.has(purse.address), `round ${round}: an address not handed out before`)
    seen.add(purse.address)
    const res = await app.inject({ method: 'POST', url: '/_mock/deposits', payload: { address: purse.address, currency: 'USDT_BSC', amount: 1, outcome: 'DECLINED' } })
    t.equal(res.statusCode, 201)
    t.equal(app.store.purses.findById(purse.id)?.status, 'DECLINED', 'the decline declines the address')
  }
  t.equal(purseCount(app), 3)
})

t.test('another customer gets another address', async (t) => {
  const app = await build(t)
  const a = await createCustomer(app)
  const b = await createCustomer(app)
  for (const currency of ['BTC', 'ETH', 'TRX']) {
    const mine = await addressOf(t, app, a.id, currency)
    const theirs = await addressOf(t, app, b.id, currency)
    t.not(theirs.address, mine.address, `${currency}: different addresses`)
    t.not(theirs.id, mine.id, `${currency}: different purses`)
  }
})

t.test('a BTC address is bech32 P2WPKH (bc1q) with a valid checksum', async (t) => {
  const app = await build(t)
  const customer = await createCustomer(app)
  const { address } = await addressOf(t, app, customer.id, 'BTC')
  t.match(address, new RegExp(`^bc1q${BECH32_DATA}{38}$`))
  t.equal(segwitV0Program(address, 'bc')?.length, 20, `${address} is a BIP-173 P2WPKH address`)
})

t.test('an LTC address is bech32 P2WPKH (ltc1q) with a valid checksum', async (t) => {
  const app = await build(t)
  const customer = await createCustomer(app)
  const { address } = await addressOf(t, app, customer.id, 'LTC')
  t.match(address, new RegExp(`^ltc1q${BECH32_DATA}{38}$`))
  t.equal(segwitV0Program(address, 'ltc')?.length, 20, `${address} is a BIP-173 P2WPKH address for Litecoin's ltc`)
})

t.test('a Tron address is base58check, 34 characters starting with T', async (t) => {
  const app = await build(t)
  for (const currency of ['TRX', 'USDT_TRX']) {
    const customer = await createCustomer(app)
    const { address } = await addressOf(t, app, customer.id, currency)
    t.match(address, new RegExp(`^T${BASE58}{33}$`), `${currency}: ${address}`)
    t.ok(isBase58Address(address, 0x41), `${address} is base58check with Tron's version byte 0x41`)
  }
})

t.test('a Dogecoin (XDG) address is base58check starting with D', async (t) => {
  const app = await build(t)
  const customer = await createCustomer(app)
  const { address } = await addressOf(t, app, customer.id, 'XDG')
  t.match(address, new RegExp(`^D${BASE58}{33}$`))
  t.ok(isBase58Address(address, 0x1e), `${address} is base58check with Dogecoin's version byte 0x1e`)
})

t.test('an EVM address is 0x and 40 hex digits', async (t) => {
  const app = await build(t)
  for (const currency of ['ETH', 'USDT', 'USDC', 'BNB', 'USDT_BSC', 'POL']) {
    const customer = await createCustomer(app)
    const { address } = await addressOf(t, app, customer.id, currency)
    t.match(address, /^0x[0-9a-fA-F]{40}$/, `${currency}: ${address}`)
  }
})

t.test('every currency the contract names is accepted', async (t) => {
  const app = await build(t)
  const customer = await createCustomer(app)
  for (const currency of ['BTC', 'ETH', 'USDT', 'USDC', 'TRX', 'USDT_TRX', 'USDC_TRX', 'BNB', 'USDT_BSC', 'POL', 'LTC']) {
    await addressOf(t, app, customer.id, currency)
  }
})

t.test('an unknown currency is 001 naming the currency, and no purse is created', async (t) => {
  const app = await build(t)
  const customer = await createCustomer(app)
  for (const currency of ['DOGE', 'btc', 'USDT_SOL', '']) {
    assertError(t, await signedPost(app, ADDRESS, { customerId: customer.id, currency }), ErrorCode.BAD_REQUEST, /payload\.currency/)
  }
  const res = await signedPost(app, ADDRESS, { customerId: customer.id, currency: 'DOGE' })
  t.match(res.json().message, /"DOGE"/, 'the message names the unknown currency')
  t.equal(purseCount(app), 0)
})

t.test('a missing or non-string currency is 001 naming payload.currency', async (t) => {
  const app = await build(t)
  const customer = await createCustomer(app)
  assertError(t, await signedPost(app, ADDRESS, { customerId: customer.id }), ErrorCode.BAD_REQUEST, /payload\.currency/)
  assertError(t, await signedPost(app, ADDRESS, { customerId: customer.id, currency: 1 }), ErrorCode.BAD_REQUEST, /payload\.currency/)
  t.equal(purseCount(app), 0)
})

t.test('a missing or malformed customerId is 001 naming payload.customerId', async (t) => {
  const app = await build(t)
  assertError(t, await signedPost(app, ADDRESS, { currency: 'BTC' }), ErrorCode.BAD_REQUEST, /payload\.customerId/)
  assertError(t, await signedPost(app, ADDRESS, { customerId: 'abc', currency: 'BTC' }), ErrorCode.BAD_REQUEST, /payload\.customerId/)
  t.equal(purseCount(app), 0)
})

t.test('an unknown customer is 004, and no purse is created', async (t) => {
  const app = await build(t)
  const customerId = randomUUID()
  assertError(t, await signedPost(app, ADDRESS, { customerId, currency: 'BTC' }), ErrorCode.NOT_FOUND, Reason.customerNotFound(customerId))
  t.equal(purseCount(app), 0)
})

t.test('a customer of another account is 004, and neither its purses nor the store change', async (t) => {
  const app = await build(t, { accounts: [...testConfig().accounts, OTHER_ACCOUNT] })
  const theirs = await createCustomer(app, {}, { as: OTHER_ACCOUNT })
  const theirPurse = await addressOf(t, app, theirs.id, 'BTC', { as: OTHER_ACCOUNT })
  for (const currency of ['BTC', 'ETH']) {
    assertError(t, await signedPost(app, ADDRESS, { customerId: theirs.id, currency }), ErrorCode.NOT_FOUND, Reason.customerNotFound(theirs.id))
  }
  t.equal(purseCount(app), 1, 'no purse was created')
  t.same(await addressOf(t, app, theirs.id, 'BTC', { as: OTHER_ACCOUNT }), theirPurse, 'their purse is unchanged')
})

t.test('a refused address/get leaves the customer\'s purse as it was', async (t) => {
  const app = await build(t)
  const customer = await createCustomer(app)
  const purse = await addressOf(t, app, customer.id, 'ETH')
  const before = app.store.purses.findById(purse.id)
  assertError(t, await signedPost(app, ADDRESS, { customerId: customer.id, currency: 'eth' }), ErrorCode.BAD_REQUEST, Reason.unknownCurrency('eth', CURRENCY_CODES))
  assertError(t, await signedPost(app, ADDRESS, { customerId: customer.id, currency: 'POL', chain: 'polygon' }), ErrorCode.BAD_REQUEST, Reason.unknownFields(['chain']))
  t.same(app.store.purses.findById(purse.id), before, 'no currency was added')
  t.equal(purseCount(app), 1)
})
