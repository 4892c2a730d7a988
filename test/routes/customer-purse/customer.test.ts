import { randomUUID } from 'node:crypto'
import t from 'tap'
import { DEFAULT_ACCOUNT } from '../../../src/demo-credentials.js'
import { testConfig } from '../../../src/test-config.js'
import { ErrorCode, Reason } from '../../../src/errors.js'
import { assertError, build, createCustomer, OTHER_ACCOUNT, signedPost } from '../../support/helper.js'

type App = Awaited<ReturnType<typeof build>>

const CREATE = 'customer-purse/customer/create'
const UPDATE = 'customer-purse/customer/update'
const BLOCK = 'customer-purse/customer/block'
const UNBLOCK = 'customer-purse/customer/unblock'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const FULL = { email: 'ada@example.com', description: 'first customer', externalId: 'merchant-42' }

const customerCount = (app: App) => app.store.db.prepare('SELECT count(*) FROM customers').pluck().get() as number
const stored = (app: App, id: string, account = DEFAULT_ACCOUNT) => app.store.customers.findById(account, id)

t.test('create with an empty payload gives a customer with every field null, not blocked', async (t) => {
  const app = await build(t)
  const res = await signedPost(app, CREATE, {})
  t.equal(res.statusCode, 200)
  const customer = res.json()
  t.match(customer.id, UUID)
  t.same(customer, { id: customer.id, email: null, description: null, externalId: null, blocked: false })
  t.same(stored(app, customer.id), customer, 'it is stored')
})

t.test('create with every field echoes and stores them', async (t) => {
  const app = await build(t)
  const res = await signedPost(app, CREATE, FULL)
  t.equal(res.statusCode, 200)
  const customer = res.json()
  t.same(customer, { id: customer.id, ...FULL, blocked: false })
  t.same(stored(app, customer.id), customer)
})

t.test('create with null fields stores nulls', async (t) => {
  const app = await build(t)
  const res = await signedPost(app, CREATE, { email: null, description: null, externalId: null })
  t.equal(res.statusCode, 200)
  t.same(res.json(), { id: res.json().id, email: null, description: null, externalId: null, blocked: false })
})

t.test('every create makes a new customer with its own id', async (t) => {
  const app = await build(t)
  const a = await createCustomer(app, FULL)
  const b = await createCustomer(app, FULL)
  t.not(a.id, b.id)
  t.equal(customerCount(app), 2)
})

t.test('fields at their length limit are accepted', async (t) => {
  const app = await build(t)
  const payload = { email: 'e'.repeat(255), description: 'd'.repeat(1000), externalId: 'x'.repeat(255) }
  const res = await signedPost(app, CREATE, payload)
  t.equal(res.statusCode, 200)
  t.match(res.json(), payload)
})

t.test('a field over its length limit is refused naming the field and the limit; nothing is stored', async (t) => {
  const app = await build(t)
  const cases: Array<[Record<string, string>, RegExp]> = [
    [{ email: 'e'.repeat(256) }, /payload\.email: .*255/],
    [{ description: 'd'.repeat(1001) }, /payload\.description: .*1000/],
    [{ externalId: 'x'.repeat(256) }, /payload\.externalId: .*255/]
  ]
  for (const [payload, message] of cases) {
    assertError(t, await signedPost(app, CREATE, payload), ErrorCode.BAD_REQUEST, message)
  }
  t.equal(customerCount(app), 0, 'nothing is stored')
})

t.test('fields of the wrong type are refused naming each field; nothing is stored', async (t) => {
  const app = await build(t)
  const res = await signedPost(app, CREATE, { email: 42, description: ['x'], externalId: { id: 1 } })
  assertError(t, res, ErrorCode.BAD_REQUEST, /payload\.email: .*string/, /payload\.description: .*string/, /payload\.externalId: .*string/)
  assertError(t, await signedPost(app, CREATE, 'not an object'), ErrorCode.BAD_REQUEST, /payload: .*object/)
  t.equal(customerCount(app), 0)
})

t.test('update changes only the fields given', async (t) => {
  const app = await build(t)
  const customer = await createCustomer(app, FULL)
  const res = await signedPost(app, UPDATE, { id: customer.id, email: 'new@example.com' })
  t.equal(res.statusCode, 200)
  const expected = { ...customer, email: 'new@example.com' }
  t.same(res.json(), expected)
  t.same(stored(app, customer.id), expected)

  const res2 = await signedPost(app, UPDATE, { id: customer.id, description: 'second', externalId: 'merchant-43' })
  t.same(res2.json(), { ...expected, description: 'second', externalId: 'merchant-43' })
})

t.test('update keeps a field that is absent or null', async (t) => {
  const app = await build(t)
  const customer = await createCustomer(app, FULL)
  const absent = await signedPost(app, UPDATE, { id: customer.id })
  t.equal(absent.statusCode, 200)
  t.same(absent.json(), customer, 'no fields: nothing changes')
  const nulls = await signedPost(app, UPDATE, { id: customer.id, email: null, description: null, externalId: null })
  t.equal(nulls.statusCode, 200)
  t.same(nulls.json(), customer, 'null fields: nothing changes')
  t.same(stored(app, customer.id), customer)
})

t.test('update does not touch the blocked flag', async (t) => {
  const app = await build(t)
  const customer = await createCustomer(app, FULL)
  await signedPost(app, BLOCK, { customerId: customer.id })
  const res = await signedPost(app, UPDATE, { id: customer.id, email: 'b@example.com' })
  t.same(res.json(), { ...customer, email: 'b@example.com', blocked: true })
})

t.test('update of an unknown customer is 004 and creates nothing', async (t) => {
  const app = await build(t)
  const id = randomUUID()
  assertError(t, await signedPost(app, UPDATE, { id, email: 'a@example.com' }), ErrorCode.NOT_FOUND, Reason.customerNotFound(id))
  t.equal(customerCount(app), 0)
})

t.test('update without an id, or with a malformed one, is 001 naming payload.id', async (t) => {
  const app = await build(t)
  const customer = await createCustomer(app, FULL)
  assertError(t, await signedPost(app, UPDATE, { email: 'a@example.com' }), ErrorCode.BAD_REQUEST, /payload\.id/)
  assertError(t, await signedPost(app, UPDATE, { id: 'not-a-uuid', email: 'a@example.com' }), ErrorCode.BAD_REQUEST, /payload\.id/)
  t.same(stored(app, customer.id), customer, 'nothing changed')
})

t.test('update with a field too long or of the wrong type is 001 and changes nothing', async (t) => {
  const app = await build(t)
  const customer = await createCustomer(app, FULL)
  assertError(t, await signedPost(app, UPDATE, { id: customer.id, email: 'ok@example.com', description: 'd'.repeat(1001) }),
    ErrorCode.BAD_REQUEST, /payload\.description: .*1000/)
  assertError(t, await signedPost(app, UPDATE, { id: customer.id, email: 'ok@example.com', externalId: 7 }),
    ErrorCode.BAD_REQUEST, /payload\.externalId/)
  t.same(stored(app, customer.id), customer, 'not even the valid email changed')
})

t.test('block sets the blocked flag and keeps the other fields', async (t) => {
  const app = await build(t)
  const customer = await createCustomer(app, FULL)
  const res = await signedPost(app, BLOCK, { customerId: customer.id })
  t.equal(res.statusCode, 200)
  t.same(res.json(), { ...customer, blocked: true })
  t.equal(stored(app, customer.id)?.blocked, true)
})

t.test('blocking twice gives the same result', async (t) => {
  const app = await build(t)
  const customer = await createCustomer(app, FULL)
  const first = await signedPost(app, BLOCK, { customerId: customer.id })
  const second = await signedPost(app, BLOCK, { customerId: customer.id })
  t.equal(second.statusCode, 200)
  t.same(second.json(), first.json())
  t.same(stored(app, customer.id), { ...customer, blocked: true })
})

t.test('unblock clears the blocked flag; unblocking twice gives the same result', async (t) => {
  const app = await build(t)
  const customer = await createCustomer(app, FULL)
  await signedPost(app, BLOCK, { customerId: customer.id })
  const first = await signedPost(app, UNBLOCK, { customerId: customer.id })
  t.equal(first.statusCode, 200)
  t.same(first.json(), { ...customer, blocked: false })
  const second = await signedPost(app, UNBLOCK, { customerId: customer.id })
  t.equal(second.statusCode, 200)
  t.same(second.json(), first.json())
  t.same(stored(app, customer.id), customer)
})

t.test('unblocking a customer that was never blocked leaves it unblocked', async (t) => {
  const app = await build(t)
  const customer = await createCustomer(app, FULL)
  const res = await signedPost(app, UNBLOCK, { customerId: customer.id })
  t.equal(res.statusCode, 200)
  t.same(res.json(), customer)
})

t.test('block and unblock of an unknown customer are 004', async (t) => {
  const app = await build(t)
  const customerId = randomUUID()
  for (const path of [BLOCK, UNBLOCK]) {
    assertError(t, await signedPost(app, path, { customerId }), ErrorCode.NOT_FOUND, Reason.customerNotFound(customerId))
  }
  t.equal(customerCount(app), 0)
})

t.test('block and unblock with a malformed or missing customerId are 001 naming payload.customerId', async (t) => {
  const app = await build(t)
  const customer = await createCustomer(app, FULL)
  for (const path of [BLOCK, UNBLOCK]) {
    assertError(t, await signedPost(app, path, { customerId: 'not-a-uuid' }), ErrorCode.BAD_REQUEST, /payload\.customerId/)
    assertError(t, await signedPost(app, path, { customerId: 42 }), ErrorCode.BAD_REQUEST, /payload\.customerId/)
    assertError(t, await signedPost(app, path, {}), ErrorCode.BAD_REQUEST, /payload\.customerId/)
  }
  t.same(stored(app, customer.id), customer, 'nothing changed')
})

t.test('a customer of another account is not found by update, block or unblock, and stays unchanged', async (t) => {
  const app = await build(t, { accounts: [...testConfig().accounts, OTHER_ACCOUNT] })
  const theirs = await createCustomer(app, FULL, { as: OTHER_ACCOUNT })
  const theirsBlocked = await createCustomer(app, FULL, { as: OTHER_ACCOUNT })
  t.equal((await signedPost(app, BLOCK, { customerId: theirsBlocked.id }, { as: OTHER_ACCOUNT })).statusCode, 200)

  assertError(t, await signedPost(app, UPDATE, { id: theirs.id, email: 'hijack@example.com' }), ErrorCode.NOT_FOUND, Reason.customerNotFound(theirs.id))
  assertError(t, await signedPost(app, BLOCK, { customerId: theirs.id }), ErrorCode.NOT_FOUND, Reason.customerNotFound(theirs.id))
  assertError(t, await signedPost(app, UNBLOCK, { customerId: theirsBlocked.id }), ErrorCode.NOT_FOUND, Reason.customerNotFound(theirsBlocked.id))

  t.same(stored(app, theirs.id, OTHER_ACCOUNT.account), theirs, 'their customer is unchanged')
  t.same(stored(app, theirsBlocked.id, OTHER_ACCOUNT.account), { ...theirsBlocked, blocked: true }, 'their blocked customer stays blocked')
  t.equal(stored(app, theirs.id), undefined, 'and is not visible to the default account')
})

t.test('the other account cannot block our customer, which its owner can still change', async (t) => {
  const app = await build(t, { accounts: [...testConfig().accounts, OTHER_ACCOUNT] })
  const mine = await createCustomer(app, FULL)
  assertError(t, await signedPost(app, BLOCK, { customerId: mine.id }, { as: OTHER_ACCOUNT }), ErrorCode.NOT_FOUND, Reason.customerNotFound(mine.id))
  t.same(stored(app, mine.id), mine)
  const res = await signedPost(app, UPDATE, { id: mine.id, email: 'x@example.com' })
  t.equal(res.statusCode, 200, 'while its owner can still change it')
})

t.test('an id in uppercase is refused with 001, naming the field and why, and changes nothing', async (t) => {
  const app = await build(t)
  const customer = await createCustomer(app)
  const res = await signedPost(app, 'customer-purse/customer/block', { customerId: customer.id.toUpperCase() })
  assertError(t, res, ErrorCode.BAD_REQUEST, `payload.customerId: ${Reason.uuidNotLowercase}`)
  t.equal(stored(app, customer.id)?.blocked, false)
})
