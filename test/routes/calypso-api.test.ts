import t from 'tap'
import { sign } from '../../src/auth/signature.js'
import { ErrorCode, Reason } from '../../src/errors.js'
import { assertError, build, createCustomer, deposit, signedPost } from '../support/helper.js'

type App = Awaited<ReturnType<typeof build>>

const TABLES = ['customers', 'purses', 'transactions', 'subscriptions', 'events']
const snapshot = (app: App) => TABLES.map((table) => JSON.stringify(app.store.db.prepare(`SELECT * FROM ${table} ORDER BY rowid`).all())).join('\n')

async function fixture (t: Parameters<typeof build>[0]) {
  const app = await build(t)
  const customer = await createCustomer(app)
  const tx = await deposit(app, { customerId: customer.id, currency: 'BTC', amount: 1 })
  const requestId = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d'
  await signedPost(app, 'subscription/webhook/create', { requestId, notificationServiceTypes: ['CUSTOMER_PURSE'], url: 'http://127.0.0.1:1/x' })
  return { app, customer, tx, requestId }
}

t.test('a field Calypso\'s envelope does not have is refused with 001 naming it, and changes nothing', async (t) => {
  const { app, customer } = await fixture(t)
  const before = snapshot(app)
  const account = app.config.accounts[0]!.account
  const cases: Array<[string, string, string[]]> = [
    ['customer-purse/customer/create', JSON.stringify({ account, timestamp: app.clock(), payload: {}, requestId: 'x' }), ['requestId']],
    ['customer-purse/purse/get-all', JSON.stringify({ account, timestamp: app.clock(), payload: { customerId: customer.id }, sign: 'a', key: 'b' }), ['sign', 'key']],
    ['subscription/webhook', JSON.stringify({ account, timestamp: app.clock(), payload: {} }), ['payload']]
  ]
  for (const [path, rawBody, fields] of cases) {
    assertError(t, await signedPost(app, path, undefined, { rawBody }), ErrorCode.BAD_REQUEST, `body: ${Reason.unknownFields(fields)}`)
  }
  t.equal(snapshot(app), before)
})

t.test('a payload field the docs do not list is refused with 001 naming it, and changes nothing', async (t) => {
  const { app, customer, tx, requestId } = await fixture(t)
  const before = snapshot(app)
  const cases: Array<[string, Record<string, unknown>, string, 'POST' | 'DELETE']> = [
    ['customer-purse/customer/create', { email: 'a@example.com', name: 'Ann' }, 'name', 'POST'],
    ['customer-purse/customer/update', { id: customer.id, blocked: true }, 'blocked', 'POST'],
    ['customer-purse/customer/block', { customerId: customer.id, id: customer.id }, 'id', 'POST'],
    ['customer-purse/address/get', { customerId: customer.id, currency: 'ETH', network: 'BSC' }, 'network', 'POST'],
    ['customer-purse/purse/get-all', { customerId: customer.id, currency: 'BTC' }, 'currency', 'POST'],
    ['customer-purse/transaction/get', { transactionId: tx.id, customerId: customer.id }, 'customerId', 'POST'],
    ['customer-purse/transaction/find', { pageNumber: 0, pageSize: 10, page: 1 }, 'page', 'POST'],
    ['subscription/webhook/create', { requestId: '1b8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d', notificationServiceTypes: ['CUSTOMER_PURSE'], url: 'http://127.0.0.1:1/y', secretKey: 's' }, 'secretKey', 'POST'],
    ['subscription/webhook', { requestId, url: 'http://127.0.0.1:1/x' }, 'url', 'DELETE']
  ]
  for (const [path, payload, field, method] of cases) {
    assertError(t, await signedPost(app, path, payload, { method }), ErrorCode.BAD_REQUEST, `payload: ${Reason.unknownFields([field])}`)
  }
  const filter = await signedPost(app, 'customer-purse/transaction/find', { pageNumber: 0, pageSize: 10, currencyFilter: { equal: 'BTC' } })
  assertError(t, filter, ErrorCode.BAD_REQUEST, `payload.currencyFilter: ${Reason.unknownFields(['equal'])}`)
  t.equal(snapshot(app), before)
})

t.test('an id written in uppercase is refused with 001 naming the field, and changes nothing', async (t) => {
  const { app, customer, tx, requestId } = await fixture(t)
  const before = snapshot(app)
  const upper = (id: string) => id.toUpperCase()
  const cases: Array<[string, Record<string, unknown>, string, 'POST' | 'DELETE']> = [
    ['customer-purse/customer/update', { id: upper(customer.id), email: 'b@example.com' }, 'payload.id', 'POST'],
    ['customer-purse/customer/block', { customerId: upper(customer.id) }, 'payload.customerId', 'POST'],
    ['customer-purse/customer/unblock', { customerId: upper(customer.id) }, 'payload.customerId', 'POST'],
    ['customer-purse/address/get', { customerId: upper(customer.id), currency: 'ETH' }, 'payload.customerId', 'POST'],
    ['customer-purse/purse/get-all', { customerId: upper(customer.id) }, 'payload.customerId', 'POST'],
    ['customer-purse/transaction/get', { transactionId: upper(tx.id) }, 'payload.transactionId', 'POST'],
    ['customer-purse/transaction/find', { customerId: upper(customer.id), pageNumber: 0, pageSize: 10 }, 'payload.customerId', 'POST'],
    ['subscription/webhook/create', { requestId: upper('1b8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d'), notificationServiceTypes: ['CUSTOMER_PURSE'], url: 'http://127.0.0.1:1/y' }, 'payload.requestId', 'POST'],
    ['subscription/webhook', { requestId: upper(requestId) }, 'payload.requestId', 'DELETE']
  ]
  for (const [path, payload, field, method] of cases) {
    assertError(t, await signedPost(app, path, payload, { method }), ErrorCode.BAD_REQUEST, `${field}: ${Reason.uuidNotLowercase}`)
  }
  t.equal(snapshot(app), before)
})

t.test('a number sent as a string is refused with 001 naming the field', async (t) => {
  const { app } = await fixture(t)
  for (const field of ['pageNumber', 'pageSize']) {
    const res = await signedPost(app, 'customer-purse/transaction/find', { pageNumber: 0, pageSize: 10, [field]: '1' })
    assertError(t, res, ErrorCode.BAD_REQUEST, `payload.${field}: Invalid input: expected number, received string`)
  }
})

t.test('a key given twice in one object of the body is refused with 001 naming it, and changes nothing', async (t) => {
  const { app, customer } = await fixture(t)
  const before = snapshot(app)
  const account = app.config.accounts[0]!.account
  const cases: Array<[string, string]> = [
    [`{"account":"0x00000000000000000000000000000000000000b2","timestamp":${app.clock()},"account":"${account}","payload":{"customerId":"${customer.id}"}}`, 'account'],
    [`{"account":"${account}","timestamp":${app.clock()},"payload":{"customerId":"${customer.id}","customerId":"${customer.id}"}}`, 'payload.customerId']
  ]
  for (const [rawBody, path] of cases) {
    assertError(t, await signedPost(app, 'customer-purse/customer/block', undefined, { rawBody }), ErrorCode.BAD_REQUEST, Reason.duplicateKey(path))
  }
  t.equal(snapshot(app), before)
})

t.test('a Content-Type charset other than utf-8 is refused with 001; media type and header names take any case', async (t) => {
  const { app } = await fixture(t)
  const before = snapshot(app)
  for (const charset of ['iso-8859-1', 'utf-16', 'utf8']) {
    const res = await signedPost(app, 'customer-purse/customer/create', {}, { headers: { 'content-type': `application/json; charset=${charset}` } })
    assertError(t, res, ErrorCode.BAD_REQUEST, Reason.charsetNotUtf8(charset))
  }
  t.equal(snapshot(app), before)
  for (const contentType of ['application/json; charset=utf-8', 'Application/JSON; Charset="UTF-8"']) {
    t.equal((await signedPost(app, 'customer-purse/customer/create', {}, { headers: { 'content-type': contentType } })).statusCode, 200, contentType)
  }
  const creds = app.config.accounts[0]!
  const body = JSON.stringify({ account: creds.account, timestamp: app.clock(), payload: {} })
  const res = await app.inject({ method: 'POST', url: '/api/v1/customer-purse/customer/create', payload: body, headers: { 'CONTENT-TYPE': 'application/json', KEY: creds.apiKey, SIGN: sign(body, creds.apiSecret) } })
  t.equal(res.statusCode, 200, 'Key and Sign in any case, as HTTP header names are')
})

t.test('a query string on a Calypso path is refused with 001, and changes nothing', async (t) => {
  const { app } = await fixture(t)
  const before = snapshot(app)
  for (const query of ['?debug=1', '?x']) {
    assertError(t, await signedPost(app, `customer-purse/customer/create${query}`, {}), ErrorCode.BAD_REQUEST, Reason.queryString(query))
  }
  t.equal(snapshot(app), before)
})
