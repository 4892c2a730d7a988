import t from 'tap'
import { createCustomer, listCustomers, requireCustomer, setCustomerBlocked, updateCustomer } from '../../src/domain/customers.js'
import { ApiError, ErrorCode, Reason } from '../../src/errors.js'
import { build, manualClock, OTHER_ACCOUNT } from '../support/helper.js'
import { testConfig } from '../../src/test-config.js'

const MISSING = '3fa85f64-5717-4562-b3fc-2c963f66afa6'

t.test('a customer belongs to its account: another account gets 004, as does an unknown id', async (t) => {
  const app = await build(t, { accounts: [...testConfig().accounts, OTHER_ACCOUNT] })
  const account = app.config.accounts[0]!.account.toLowerCase()
  const created = createCustomer(app.domain, account, { email: 'erin@example.com' })
  t.same(requireCustomer(app.domain, account, created.id), created)
  const notFound = new ApiError(ErrorCode.NOT_FOUND, Reason.customerNotFound(created.id))
  t.throws(() => requireCustomer(app.domain, OTHER_ACCOUNT.account.toLowerCase(), created.id), notFound)
  t.throws(() => requireCustomer(app.domain, account, MISSING), new ApiError(ErrorCode.NOT_FOUND, Reason.customerNotFound(MISSING)))
  t.throws(() => setCustomerBlocked(app.domain, account, MISSING, true), new ApiError(ErrorCode.NOT_FOUND, Reason.customerNotFound(MISSING)))
})

t.test('an update changes only the fields given; blocking is idempotent and dated by the context\'s clock', async (t) => {
  const clock = manualClock()
  const app = await build(t, {}, { clock })
  const account = app.config.accounts[0]!.account.toLowerCase()
  const created = createCustomer(app.domain, account, { email: 'erin@example.com', externalId: 'erin-1' })
  t.same(updateCustomer(app.domain, account, created.id, { description: 'vip' }), { ...created, description: 'vip' })
  clock.advance(60_000)
  t.equal(setCustomerBlocked(app.domain, account, created.id, true).blocked, true)
  const [listed] = listCustomers(app.domain, { limit: 10, offset: 0 })
  t.equal(listed?.updatedDate, new Date(clock()).toISOString())
  clock.advance(60_000)
  t.equal(setCustomerBlocked(app.domain, account, created.id, true).blocked, true)
  t.equal(listCustomers(app.domain, { limit: 10, offset: 0 })[0]?.updatedDate, listed?.updatedDate, 'blocking a blocked customer changes nothing')
})
