import { randomUUID } from 'node:crypto'
import t, { type Test } from 'tap'
import { testConfig } from '../../../src/test-config.js'
import { ErrorCode, Reason } from '../../../src/errors.js'
import type { ComplianceState, TransactionState } from '../../../src/domain/model.js'
import { assertError, build, createCustomer, OTHER_ACCOUNT, signedPost, type SignedRequestOptions } from '../../support/helper.js'

type App = Awaited<ReturnType<typeof build>>

const GET = 'customer-purse/transaction/get'
const FIND = 'customer-purse/transaction/find'

/** The contract's Transaction. */
interface Transaction {
  id: string
  amount: number
  addressFrom: string
  currency: string
  transactionHash?: string
  transactionState: string
  complianceState: string
  translationToAccountCompleted: boolean
  createdDate: string
}

interface Page { result: Transaction[], page: number, size: number, total: number, totalElements: number }

/** One transaction to store: there is no API that creates transactions in any state at any date (only the mock's fake deposit). */
interface Row {
  name: string
  customer: 'first' | 'second' | 'theirs'
  currency: string
  amount: number
  state: TransactionState
  compliance: ComplianceState
  translated: boolean
  hash: string | null
  createdDate: string
}

/**
 * Five transactions of the default account, named a to e in the order they were created, and
 * one of the other account. They are inserted out of order (c, a, e, b, d) so that neither the
 * insertion order nor the amounts (a < c < d < e < b) coincide with createdDate.
 */
const ROWS: Row[] = [
  { name: 'c', customer: 'second', currency: 'ETH', amount: 3, state: 'MEM_POOL_FOUND', compliance: 'UNCHECKED', translated: false, hash: '0xhash-c', createdDate: '2026-11-25T10:02:00.000Z' },
  { name: 'a', customer: 'first', currency: 'BTC', amount: 0.5, state: 'CONFIRMED', compliance: 'CHECKED', translated: true, hash: 'hash-a', createdDate: '2026-11-25T10:00:00.000Z' },
  { name: 'e', customer: 'second', currency: 'ETH', amount: 100, state: 'CONFIRMED', compliance: 'CHECKED', translated: true, hash: '0xhash-e', createdDate: '2026-11-25T10:04:00.000Z' },
  { name: 'theirs', customer: 'theirs', currency: 'BTC', amount: 7, state: 'CONFIRMED', compliance: 'CHECKED', translated: true, hash: 'hash-theirs', createdDate: '2026-11-25T10:00:30.000Z' },
  { name: 'b', customer: 'first', currency: 'USDT_TRX', amount: 250, state: 'PENDING_COMPLIANCE_CHECK', compliance: 'IN_PROGRESS', translated: false, hash: null, createdDate: '2026-11-25T10:01:00.000Z' },
  { name: 'd', customer: 'first', currency: 'USDT_TRX', amount: 12, state: 'DECLINED', compliance: 'DECLINE', translated: false, hash: 'hash-d', createdDate: '2026-11-25T10:03:00.000Z' }
]

/** An app with two accounts, three customers (two of ours, one of theirs), their purses and the ROWS. */
async function seeded (t: Test) {
  const app = await build(t, { accounts: [...testConfig().accounts, OTHER_ACCOUNT] })
  const customers = {
    first: await createCustomer(app),
    second: await createCustomer(app),
    theirs: await createCustomer(app, {}, { as: OTHER_ACCOUNT })
  }
  const tx: Record<string, Transaction> = {}
  for (const row of ROWS) {
    const as: SignedRequestOptions = row.customer === 'theirs' ? { as: OTHER_ACCOUNT } : {}
    const customerId = customers[row.customer].id
    const purse = await signedPost(app, 'customer-purse/address/get', { customerId, currency: row.currency }, as)
    if (purse.statusCode !== 200) throw new Error(`address/get failed: ${purse.body}`)
    const id = randomUUID()
    const addressFrom = `sender-of-${row.name}`
    app.store.transactions.insert({
      id,
      account: row.customer === 'theirs' ? OTHER_ACCOUNT.account : app.config.accounts[0]!.account,
      customerId,
      purseId: purse.json().id,
      amount: row.amount,
      currency: row.currency,
      addressFrom,
      transactionHash: row.hash,
      outcome: row.state === 'DECLINED' ? 'DECLINED' : 'CONFIRMED',
      now: row.createdDate
    })
    app.store.transactions.setState(id, row.state, row.compliance, row.translated)
    tx[row.name] = {
      id,
      amount: row.amount,
      addressFrom,
      currency: row.currency,
      ...(row.hash === null ? {} : { transactionHash: row.hash }),
      transactionState: row.state,
      complianceState: row.compliance,
      translationToAccountCompleted: row.translated,
      createdDate: row.createdDate
    }
  }
  /** The transaction inserted for a row, as transaction/get should answer it. */
  const txn = (name: string): Transaction => {
    const found = tx[name]
    if (found === undefined) throw new Error(`no transaction ${name}`)
    return found
  }
  /** The ids of the transactions named by single letters, in the order given: ids('ace'). */
  const ids = (names: string) => [...names].map((name) => txn(name).id)
  return { app, customers, txn, ids }
}

async function find (t: Test, app: App, payload: Record<string, unknown>, options: SignedRequestOptions = {}): Promise<Page> {
  const res = await signedPost(app, FIND, { pageNumber: 0, pageSize: 100, ...payload }, options)
  t.equal(res.statusCode, 200, `transaction/find ${JSON.stringify(payload)} answers 200`)
  return res.json() as Page
}

const idsOf = (page: Page) => page.result.map((transaction) => transaction.id)

// ---- transaction/get

t.test('get answers the contract\'s Transaction', async (t) => {
  const { app, txn } = await seeded(t)
  for (const name of ['a', 'c', 'e']) {
    const expected = txn(name)
    const res = await signedPost(app, GET, { transactionId: expected.id })
    t.equal(res.statusCode, 200)
    t.same(res.json(), expected, `transaction ${name}`)
  }
})

t.test('get leaves transactionHash out when there is none', async (t) => {
  const { app, txn } = await seeded(t)
  const res = await signedPost(app, GET, { transactionId: txn('b').id })
  t.equal(res.statusCode, 200)
  t.same(res.json(), txn('b'))
  t.notOk('transactionHash' in res.json(), 'no transactionHash key')
})

t.test('get of an unknown transaction is 004', async (t) => {
  const app = await build(t)
  const transactionId = randomUUID()
  assertError(t, await signedPost(app, GET, { transactionId }), ErrorCode.NOT_FOUND, Reason.transactionNotFound(transactionId))
})

t.test('get with a malformed or missing transactionId is 001 naming payload.transactionId', async (t) => {
  const app = await build(t)
  assertError(t, await signedPost(app, GET, { transactionId: 'not-a-uuid' }), ErrorCode.BAD_REQUEST, /payload\.transactionId/)
  assertError(t, await signedPost(app, GET, { transactionId: 12 }), ErrorCode.BAD_REQUEST, /payload\.transactionId/)
  assertError(t, await signedPost(app, GET, {}), ErrorCode.BAD_REQUEST, /payload\.transactionId/)
})

t.test('get of another account\'s transaction is 004', async (t) => {
  const { app, txn } = await seeded(t)
  const theirs = txn('theirs')
  assertError(t, await signedPost(app, GET, { transactionId: theirs.id }), ErrorCode.NOT_FOUND, Reason.transactionNotFound(theirs.id))
  const own = await signedPost(app, GET, { transactionId: theirs.id }, { as: OTHER_ACCOUNT })
  t.same(own.json(), theirs, 'while its owner gets it')
  const mine = txn('a')
  assertError(t, await signedPost(app, GET, { transactionId: mine.id }, { as: OTHER_ACCOUNT }), ErrorCode.NOT_FOUND, Reason.transactionNotFound(mine.id))
})

// ---- transaction/find: filters

t.test('find without filters answers every transaction of the account, and only those', async (t) => {
  const { app, txn } = await seeded(t)
  const page = await find(t, app, {})
  t.same(page, { result: [...'abcde'].map(txn), page: 0, size: 100, total: 1, totalElements: 5 })
  t.notOk(idsOf(page).includes(txn('theirs').id), 'not the other account\'s transaction')

  const theirs = await find(t, app, {}, { as: OTHER_ACCOUNT })
  t.same(theirs, { result: [txn('theirs')], page: 0, size: 100, total: 1, totalElements: 1 }, 'the other account sees only its own')
})

t.test('find by customerId answers that customer\'s transactions', async (t) => {
  const { app, customers, ids } = await seeded(t)
  t.same(idsOf(await find(t, app, { customerId: customers.first.id })), ids('abd'))
  t.same(idsOf(await find(t, app, { customerId: customers.second.id })), ids('ce'))
})

t.test('find for a customer without transactions is an empty page', async (t) => {
  const { app } = await seeded(t)
  const customer = await createCustomer(app)
  t.same(await find(t, app, { customerId: customer.id }), { result: [], page: 0, size: 100, total: 0, totalElements: 0 })
})

const currencyCases: Array<[string, Record<string, unknown>, string]> = [
  ['equals', { equals: 'ETH' }, 'ce'],
  ['notEquals', { notEquals: 'ETH' }, 'abd'],
  ['in', { in: ['BTC', 'ETH'] }, 'ace'],
  ['in with an empty list', { in: [] }, ''],
  ['notIn', { notIn: ['BTC', 'ETH'] }, 'bd'],
  ['contains', { contains: 'TRX' }, 'bd'],
  ['doesNotContain', { doesNotContain: 'TRX' }, 'ace'],
  ['specified: true', { specified: true }, 'abcde'],
  ['specified: false', { specified: false }, ''],
  ['several conditions, all of which must hold', { notEquals: 'BTC', doesNotContain: 'TRX' }, 'ce']
]
for (const [name, currencyFilter, expected] of currencyCases) {
  t.test(`currencyFilter ${name}`, async (t) => {
    const { app, ids } = await seeded(t)
    const page = await find(t, app, { currencyFilter })
    t.same(idsOf(page), ids(expected))
    t.equal(page.totalElements, expected.length)
  })
}

const stateCases: Array<[string, Record<string, unknown>, string]> = [
  ['equals', { equals: 'CONFIRMED' }, 'ae'],
  ['in', { in: ['MEM_POOL_FOUND', 'DECLINED'] }, 'cd'],
  ['notEquals', { notEquals: 'CONFIRMED' }, 'bcd'],
  ['notIn', { notIn: ['CONFIRMED', 'DECLINED'] }, 'bc']
]
for (const [name, transactionStateFilter, expected] of stateCases) {
  t.test(`transactionStateFilter ${name}`, async (t) => {
    const { app, ids } = await seeded(t)
    const page = await find(t, app, { transactionStateFilter })
    t.same(idsOf(page), ids(expected))
    t.equal(page.totalElements, expected.length)
  })
}

t.test('customerId, currencyFilter and transactionStateFilter all have to hold', async (t) => {
  const { app, customers, ids } = await seeded(t)
  const page = await find(t, app, {
    customerId: customers.first.id,
    currencyFilter: { equals: 'USDT_TRX' },
    transactionStateFilter: { in: ['DECLINED', 'CONFIRMED'] }
  })
  t.same(idsOf(page), ids('d'))
})

t.test('an invalid state in transactionStateFilter is 001 naming the filter', async (t) => {
  const { app } = await seeded(t)
  assertError(t, await signedPost(app, FIND, { pageNumber: 0, pageSize: 10, transactionStateFilter: { equals: 'SETTLED' } }),
    ErrorCode.BAD_REQUEST, /payload\.transactionStateFilter\.equals/)
  assertError(t, await signedPost(app, FIND, { pageNumber: 0, pageSize: 10, transactionStateFilter: { in: ['CONFIRMED', 'SETTLED'] } }),
    ErrorCode.BAD_REQUEST, /payload\.transactionStateFilter\.in/)
})

t.test('an unknown key inside a filter is 001 naming the filter and the key', async (t) => {
  const { app } = await seeded(t)
  assertError(t, await signedPost(app, FIND, { pageNumber: 0, pageSize: 10, currencyFilter: { equal: 'BTC' } }),
    ErrorCode.BAD_REQUEST, /payload\.currencyFilter/, /equal/)
  assertError(t, await signedPost(app, FIND, { pageNumber: 0, pageSize: 10, transactionStateFilter: { contains: 'CONF' } }),
    ErrorCode.BAD_REQUEST, /payload\.transactionStateFilter/, /contains/)
})

t.test('a customerId that is unknown, or another account\'s, is 004', async (t) => {
  const { app, customers } = await seeded(t)
  const unknown = randomUUID()
  assertError(t, await signedPost(app, FIND, { customerId: unknown, pageNumber: 0, pageSize: 10 }), ErrorCode.NOT_FOUND, Reason.customerNotFound(unknown))
  assertError(t, await signedPost(app, FIND, { customerId: customers.theirs.id, pageNumber: 0, pageSize: 10 }),
    ErrorCode.NOT_FOUND, Reason.customerNotFound(customers.theirs.id))
})

t.test('a malformed customerId is 001 naming payload.customerId', async (t) => {
  const { app } = await seeded(t)
  assertError(t, await signedPost(app, FIND, { customerId: 'abc', pageNumber: 0, pageSize: 10 }), ErrorCode.BAD_REQUEST, /payload\.customerId/)
})

// ---- transaction/find: paging

t.test('pages are zero-based; total is the number of pages', async (t) => {
  const { app, ids } = await seeded(t)
  const pages = [0, 1, 2]
  const expected = ['ab', 'cd', 'e']
  for (const pageNumber of pages) {
    const page = await find(t, app, { pageNumber, pageSize: 2 })
    t.same(idsOf(page), ids(expected[pageNumber] as string), `page ${pageNumber}`)
    t.match(page, { page: pageNumber, size: 2, total: 3, totalElements: 5 })
  }
})

t.test('a page past the end is empty, with the right totals', async (t) => {
  const { app } = await seeded(t)
  t.same(await find(t, app, { pageNumber: 3, pageSize: 2 }), { result: [], page: 3, size: 2, total: 3, totalElements: 5 })
  t.same(await find(t, app, { pageNumber: 1_000_000, pageSize: 1000 }), { result: [], page: 1_000_000, size: 1000, total: 1, totalElements: 5 })
})

t.test('pages follow the filters', async (t) => {
  const { app, ids } = await seeded(t)
  const page = await find(t, app, { currencyFilter: { notEquals: 'BTC' }, pageNumber: 1, pageSize: 3 })
  t.same(idsOf(page), ids('e'), 'b, c, d on page 0; e on page 1')
  t.match(page, { page: 1, size: 3, total: 2, totalElements: 4 })
})

t.test('pageSize from 1 to 1000 is accepted', async (t) => {
  const { app, ids } = await seeded(t)
  t.same(idsOf(await find(t, app, { pageSize: 1 })), ids('a'))
  t.equal((await find(t, app, { pageSize: 1 })).total, 5)
  t.same(idsOf(await find(t, app, { pageSize: 1000 })), ids('abcde'))
})

t.test('pageSize 0 or 1001, or not an integer, is 001 naming payload.pageSize', async (t) => {
  const { app } = await seeded(t)
  for (const pageSize of [0, 1001, -1, 2.5, '10']) {
    assertError(t, await signedPost(app, FIND, { pageNumber: 0, pageSize }), ErrorCode.BAD_REQUEST, /payload\.pageSize/)
  }
  assertError(t, await signedPost(app, FIND, { pageNumber: 0 }), ErrorCode.BAD_REQUEST, /payload\.pageSize/)
})

t.test('a negative, fractional or missing pageNumber is 001 naming payload.pageNumber', async (t) => {
  const { app } = await seeded(t)
  for (const pageNumber of [-1, 0.5]) {
    assertError(t, await signedPost(app, FIND, { pageNumber, pageSize: 10 }), ErrorCode.BAD_REQUEST, /payload\.pageNumber/)
  }
  assertError(t, await signedPost(app, FIND, { pageSize: 10 }), ErrorCode.BAD_REQUEST, /payload\.pageNumber/)
})

// ---- transaction/find: sorting

t.test('by default transactions are sorted by createdDate ascending', async (t) => {
  const { app, ids } = await seeded(t)
  t.same(idsOf(await find(t, app, {})), ids('abcde'))
  t.same(idsOf(await find(t, app, { sort: 'ASC' })), ids('abcde'), 'explicit ASC')
  t.same(idsOf(await find(t, app, { properties: 'createdDate' })), ids('abcde'), 'explicit createdDate')
})

t.test('sort DESC reverses the order', async (t) => {
  const { app, ids } = await seeded(t)
  t.same(idsOf(await find(t, app, { sort: 'DESC' })), ids('edcba'))
  t.same(idsOf(await find(t, app, { sort: 'DESC', properties: 'createdDate' })), ids('edcba'))
})

t.test('properties amount sorts by amount, ASC and DESC', async (t) => {
  const { app, ids } = await seeded(t)
  t.same(idsOf(await find(t, app, { properties: 'amount' })), ids('acdeb'))
  t.same(idsOf(await find(t, app, { properties: 'amount', sort: 'ASC' })), ids('acdeb'))
  t.same(idsOf(await find(t, app, { properties: 'amount', sort: 'DESC' })), ids('bedca'))
})

t.test('sorting applies before paging', async (t) => {
  const { app, ids } = await seeded(t)
  t.same(idsOf(await find(t, app, { properties: 'amount', sort: 'DESC', pageNumber: 1, pageSize: 2 })), ids('dc'))
})

t.test('an unknown sort property or direction is 001 naming the field', async (t) => {
  const { app } = await seeded(t)
  assertError(t, await signedPost(app, FIND, { pageNumber: 0, pageSize: 10, properties: 'addressFrom; DROP TABLE transactions' }),
    ErrorCode.BAD_REQUEST, /payload\.properties/)
  assertError(t, await signedPost(app, FIND, { pageNumber: 0, pageSize: 10, properties: 'price' }), ErrorCode.BAD_REQUEST, /payload\.properties/)
  assertError(t, await signedPost(app, FIND, { pageNumber: 0, pageSize: 10, sort: 'UP' }), ErrorCode.BAD_REQUEST, /payload\.sort/)
  t.equal(app.store.db.prepare('SELECT count(*) FROM transactions').pluck().get(), ROWS.length, 'the transactions are all still there')
})
