import t from 'tap'
import { ErrorCode } from '../../../src/errors.js'
import { assertError, build, createCustomer } from '../../support/helper.js'

t.test('/_mock/customers?search= finds a customer by id, or by part of its email or externalId, in any case', async (t) => {
  const app = await build(t)
  const alice = await createCustomer(app, { email: 'Alice@Example.com', externalId: 'shop-17' })
  const bob = await createCustomer(app, { email: 'bob@example.com', externalId: 'shop-18' })
  const search = async (text: string) => {
    const res = await app.inject({ method: 'GET', url: `/_mock/customers?search=${encodeURIComponent(text)}` })
    t.equal(res.statusCode, 200)
    return (res.json() as { customers: Array<{ id: string }> }).customers.map((c) => c.id)
  }
  t.same(await search('alice@'), [alice.id], 'a part of the email, in another case')
  t.same(await search('SHOP-18'), [bob.id], 'the externalId')
  t.same(await search(alice.id.toUpperCase()), [alice.id], 'the id')
  t.same(await search('shop-'), [bob.id, alice.id], 'newest first')
  t.same(await search('nobody'), [])
  assertError(t, await app.inject({ method: 'GET', url: '/_mock/customers?search=' }), ErrorCode.BAD_REQUEST, 'search')
})
