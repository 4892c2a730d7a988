import t from 'tap'
import { PURSE_LIFETIME_AFTER_DEPOSIT_MS } from '../../src/domain/deposits.js'
import { PURSE_IDLE_LIFETIME_MS } from '../../src/domain/purses.js'
import { ApiError, ErrorCode, Reason } from '../../src/errors.js'
import { expireDuePurses } from '../../src/domain/purse-expiry.js'
import { build, createCustomer, deposit, manualClock, signedPost } from '../support/helper.js'

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
  t.equal(refused.json().message, new ApiError(ErrorCode.BAD_REQUEST, Reason.addressClosed(first.address, 'ARCHIVED')).message)
  t.not(second.address, first.address, 'the expired address is not handed out again')
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
  const res = await app.inject({ method: 'POST', url: `/_mock/purses/${purse.id}/expire`, payload: {} })
  t.equal(res.statusCode, 200)
  t.match(res.json(), { id: purse.id, status: 'ARCHIVED' })
  const data = JSON.parse(app.store.db.prepare("SELECT data FROM events WHERE event_type = 'CUSTOMER_PURSE_EXPIRED'").pluck().get() as string)
  t.equal(data.customerBlocked, true)

  const again = await app.inject({ method: 'POST', url: `/_mock/purses/${purse.id}/expire`, payload: {} })
  t.equal(again.statusCode, 400)
  t.match(again.json(), { errorCode: '001', message: /is ARCHIVED/ })
  const missing = await app.inject({ method: 'POST', url: '/_mock/purses/3fa85f64-5717-4562-b3fc-2c963f66afa6/expire', payload: {} })
  t.match(missing.json(), { errorCode: '004' })
})

const DAY_MS = 24 * 3600 * 1000
const expiredEvents = (app: Awaited<ReturnType<typeof build>>) =>
  app.store.db.prepare("SELECT purse_id FROM events WHERE event_type = 'CUSTOMER_PURSE_EXPIRED'").pluck().all() as string[]

t.test('expiry belongs to the address: asking for another of its currencies later does not extend it, and it expires once', async (t) => {
  const clock = manualClock()
  const app = await build(t, {}, { clock })
  const customer = await createCustomer(app)
  const purse = (await signedPost(app, 'customer-purse/address/get', { customerId: customer.id, currency: 'USDT_TRX' })).json()
  clock.advance(20 * DAY_MS)
  t.same((await signedPost(app, 'customer-purse/address/get', { customerId: customer.id, currency: 'TRX' })).json(), purse)
  clock.advance(PURSE_IDLE_LIFETIME_MS - 20 * DAY_MS)
  t.equal(expireDuePurses(app.domain), 1, 'the address expires 30 days after it was created')
  t.equal(expireDuePurses(app.domain), 0)
  t.same(expiredEvents(app), [purse.id], 'one CUSTOMER_PURSE_EXPIRED for the address')
})

t.test('a confirmed deposit in any of its currencies keeps the address alive 365 days after the last one', async (t) => {
  const clock = manualClock()
  const app = await build(t, {}, { clock })
  const customer = await createCustomer(app)
  const purse = (await signedPost(app, 'customer-purse/address/get', { customerId: customer.id, currency: 'ETH' })).json()
  await deposit(app, { address: purse.address, currency: 'ETH', amount: 1 })
  clock.advance(200 * DAY_MS)
  const last = await deposit(app, { address: purse.address, currency: 'USDT_BSC', amount: 5 })
  t.equal(last.purseId, purse.id)
  clock.advance(PURSE_LIFETIME_AFTER_DEPOSIT_MS - 1)
  t.equal(expireDuePurses(app.domain), 0, 'alive until 365 days after the USDT_BSC deposit')
  clock.advance(1)
  t.equal(expireDuePurses(app.domain), 1)
  t.same(expiredEvents(app), [purse.id])
})

t.test('a declined address refuses further deposits in every currency, and the refusal changes nothing', async (t) => {
  const app = await build(t)
  const customer = await createCustomer(app)
  const purse = (await signedPost(app, 'customer-purse/address/get', { customerId: customer.id, currency: 'TRX' })).json()
  await deposit(app, { address: purse.address, currency: 'USDT_TRX', amount: 1, outcome: 'DECLINED' })
  const state = () => app.store.db.prepare('SELECT json_array((SELECT count(*) FROM transactions), (SELECT count(*) FROM events), (SELECT json_group_array(json_array(currencies, status, expires_at)) FROM purses))').pluck().get()
  const before = state()
  for (const currency of ['TRX', 'USDT_TRX', 'USDC_TRX']) {
    const refused = await app.inject({ method: 'POST', url: '/_mock/deposits', payload: { address: purse.address, currency, amount: 1 } })
    t.equal(refused.statusCode, 400)
    t.same(refused.json().message, new ApiError(ErrorCode.BAD_REQUEST, Reason.addressClosed(purse.address, 'DECLINED')).message, currency)
  }
  t.equal(state(), before)
})
