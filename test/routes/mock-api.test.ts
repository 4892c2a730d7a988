import t from 'tap'
import { ErrorCode, Reason } from '../../src/errors.js'
import { assertError, build, createCustomer, signedPost } from '../support/helper.js'

t.test('MOCK_ADMIN_TOKEN guards /_mock and nothing else', async (t) => {
  const app = await build(t, { adminToken: 'let-me-in-please' })
  const noToken = await app.inject({ method: 'GET', url: '/_mock/customers' })
  t.equal(noToken.statusCode, 401)
  t.match(noToken.json(), { errorCode: ErrorCode.INVALID_API_KEY, message: /Authorization: Bearer/ })
  t.equal((await app.inject({ method: 'GET', url: '/_mock/customers', headers: { authorization: 'Bearer wrong-token-value' } })).statusCode, 401)
  t.equal((await app.inject({ method: 'POST', url: '/_mock/reset', payload: {}, headers: { authorization: 'Bearer let-me-in-please' } })).statusCode, 200)
  t.equal((await app.inject({ method: 'GET', url: '/health' })).statusCode, 200)
  t.equal((await signedPost(app, 'customer-purse/customer/create', {})).statusCode, 200)
})

t.test('a /_mock listing refuses a query parameter it does not know, rather than ignore it', async (t) => {
  const app = await build(t)
  const customer = await createCustomer(app)
  const res = await app.inject({ method: 'GET', url: `/_mock/customers?customerId=${customer.id}` })
  assertError(t, res, ErrorCode.BAD_REQUEST, Reason.unknownQueryParameters(['customerId']))
})
