import t from 'tap'
import { PURSE_IDLE_LIFETIME_MS } from '../../src/domain/purses.js'
import { expireDuePurses } from '../../src/domain/purse-expiry.js'
import { build, createCustomer, deposit, manualClock, signedPost } from '../helper.js'

t.test('a purse with no deposit for 30 days expires with CUSTOMER_PURSE_EXPIRED; address/get then opens a new one', async (t) => {
  const clock = manualClock()
  const app = await build(t, {}, { clock })
  const customer = await createCustomer(app)
  const first = (await signedPost(app, 'customer-purse/address/get', { customerId: customer.id, currency: 'BTC' })).json()

  clock.advance(PURSE_IDLE_LIFETIME_MS - 1)
  t.equal(expireDuePurses(app.domain), 0, 'not a millisecond early')
  clock.advance(1)
  t.equal(expireDuePurses(app.domain), 1)

  const purses = (await signedPost(app, 'customer-purse/purse/get-all', { customerId: customer.id })).json()
  t.same(purses.map((p: { status: string }) => p.status), ['ARCHIVED'])
  const events = app.store.db.prepare("SELECT event_type, purse_id, data FROM events WHERE event_type = 'CUSTOMER_PURSE_EXPIRED'").all() as Array<{ purse_id: string, data: string }>
  t.equal(events.length, 1)
  t.same(JSON.parse(events[0]!.data), { customerId: customer.id, customerBlocked: false, blocked: false, purseId: first.id, address: first.address })

  const second = (await signedPost(app, 'customer-purse/address/get', { customerId: customer.id, currency: 'BTC' })).json()
  t.not(second.id, first.id)
  const refused = await app.inject({ method: 'POST', url: '/_mock/deposits', payload: { address: first.address, currency: 'BTC', amount: 1 } })
  t.equal(refused.statusCode, 400)
  t.match(refused.json().message, /ARCHIVED/)
})

t.test('a deposit pushes the expiry a year out', async (t) => {
  const clock = manualClock()
  const app = await build(t, {}, { clock })
  const customer = await createCustomer(app)
  await deposit(app, { customerId: customer.id, currency: 'ETH', amount: 1 })
  clock.advance(PURSE_IDLE_LIFETIME_MS * 2)
  t.equal(expireDuePurses(app.domain), 0)
})

t.test('POST /_mock/purses/{id}/expire forces it', async (t) => {
  const app = await build(t)
  const customer = await createCustomer(app)
  await signedPost(app, 'customer-purse/customer/block', { customerId: customer.id })
  const purse = (await signedPost(app, 'customer-purse/address/get', { customerId: customer.id, currency: 'TRX' })).json()
  const res = await app.inject({ method: 'POST', url: `/_mock/purses/${purse.id}/expire` })
  t.equal(res.statusCode, 200)
  t.match(res.json(), { id: purse.id, status: 'ARCHIVED' })
  const data = JSON.parse(app.store.db.prepare("SELECT data FROM events WHERE event_type = 'CUSTOMER_PURSE_EXPIRED'").pluck().get() as string)
  t.equal(data.customerBlocked, true)

  const again = await app.inject({ method: 'POST', url: `/_mock/purses/${purse.id}/expire` })
  t.equal(again.statusCode, 400)
  t.match(again.json(), { errorCode: '001', message: /is ARCHIVED/ })
  const missing = await app.inject({ method: 'POST', url: '/_mock/purses/3fa85f64-5717-4562-b3fc-2c963f66afa6/expire' })
  t.match(missing.json(), { errorCode: '004' })
})
