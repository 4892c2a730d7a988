import { join } from 'node:path'
import t from 'tap'
import { build, createCustomer, signedPost, tempDir } from '../support/helper.js'

t.test('what was written survives a restart on a file database', async (t) => {
  const databasePath = join(tempDir(t), 'nested', 'mock.db')

  const first = await build(t, { databasePath })
  const customer = await createCustomer(first, { email: 'kept@example.com', externalId: 'ext-1' })
  t.equal((await signedPost(first, 'customer-purse/customer/block', { customerId: customer.id })).statusCode, 200)
  const address = (await signedPost(first, 'customer-purse/address/get', { customerId: customer.id, currency: 'ETH' })).json()
  await first.close()

  const second = await build(t, { databasePath })
  const again = await signedPost(second, 'customer-purse/customer/update', { id: customer.id })
  t.equal(again.statusCode, 200)
  t.same(again.json(), { ...customer, blocked: true })
  t.same((await signedPost(second, 'customer-purse/address/get', { customerId: customer.id, currency: 'ETH' })).json(), address)
  t.equal((second.store.db.pragma('journal_mode', { simple: true }) as string).toLowerCase(), 'wal')
})

t.test('two in-memory apps share nothing', async (t) => {
  const a = await build(t)
  const b = await build(t)
  const customer = await createCustomer(a)
  t.equal((await signedPost(b, 'customer-purse/customer/update', { id: customer.id })).json().errorCode, '004')
})
