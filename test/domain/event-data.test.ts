import t from 'tap'
import type { DomainContext } from '../../src/domain/context.js'
import { createCustomer, setCustomerBlocked } from '../../src/domain/customers.js'
import { eventData } from '../../src/domain/event-data.js'
import { getOrCreatePurse } from '../../src/domain/purses.js'
import type { Purse } from '../../src/store/purses-repository.js'
import type { TransactionProgress } from '../../src/store/transactions-repository.js'
import { build, OTHER_ACCOUNT } from '../support/helper.js'
import { testConfig } from '../../src/test-config.js'

const MISSING = '3fa85f64-5717-4562-b3fc-2c963f66afa6'

/** An app on `:memory:` with one customer of the first account and the customer's BTC purse. */
async function setup (t: Parameters<typeof build>[0]) {
  const app = await build(t, { accounts: [...testConfig().accounts, OTHER_ACCOUNT] })
  const account = app.config.accounts[0]!.account.toLowerCase()
  const customer = createCustomer(app.domain, account, { email: 'erin@example.com' })
  const purse = getOrCreatePurse(app.domain, account, customer.id, 'BTC')
  return { app, ctx: app.domain, account, customer, purse }
}

/** Records a transaction on the purse straight in the store (a null hash is what Calypso may send), and reads it back. */
function recordTransaction (ctx: DomainContext, purse: Purse, id: string, transactionHash: string | null): TransactionProgress {
  ctx.store.transactions.insert({
    id,
    account: purse.account,
    customerId: purse.customerId,
    purseId: purse.id,
    amount: 0.25,
    currency: 'BTC',
    addressFrom: 'bc1qsender',
    transactionHash,
    outcome: 'CONFIRMED',
    now: '2026-11-25T12:00:00.000Z'
  })
  return ctx.store.transactions.progress(id) as TransactionProgress
}

t.test('without a transaction: the customer, the purse, and the blocked flag under both names, nothing else', async (t) => {
  const { ctx, customer, purse } = await setup(t)
  t.strictSame(eventData(ctx, purse), {
    customerId: customer.id,
    customerBlocked: false,
    blocked: false,
    purseId: purse.id,
    address: purse.address
  })
})

t.test('the blocked flag is read from the store as it stands at each call, not from the purse', async (t) => {
  const { ctx, account, customer, purse } = await setup(t)
  setCustomerBlocked(ctx, account, customer.id, true)
  const blocked = eventData(ctx, purse)
  t.equal(blocked.customerBlocked, true, 'customerBlocked says blocked')
  t.equal(blocked.blocked, true, 'blocked says blocked')
  setCustomerBlocked(ctx, account, customer.id, false)
  const unblocked = eventData(ctx, purse)
  t.same([unblocked.customerBlocked, unblocked.blocked], [false, false], 'unblocked again: both say so')
})

t.test('a customer the store does not have under the purse\'s account reads as not blocked', async (t) => {
  const { ctx, account, customer, purse } = await setup(t)
  setCustomerBlocked(ctx, account, customer.id, true)
  const missing = eventData(ctx, { ...purse, customerId: MISSING })
  t.strictSame(missing, { customerId: MISSING, customerBlocked: false, blocked: false, purseId: purse.id, address: purse.address }, 'an unknown customer id: false, not undefined')
  const elsewhere = eventData(ctx, { ...purse, account: OTHER_ACCOUNT.account.toLowerCase() })
  t.same([elsewhere.customerBlocked, elsewhere.blocked], [false, false], 'the blocked customer looked up under another account: not found, so false')
})

t.test('with a transaction: its id, amount, currency and hash join the base fields', async (t) => {
  const { ctx, account, customer, purse } = await setup(t)
  setCustomerBlocked(ctx, account, customer.id, true)
  const tx = recordTransaction(ctx, purse, '5d2b8c1e-7a4f-4e3b-9c6d-0f1e2d3c4b5a', 'f00dfeed')
  t.strictSame(eventData(ctx, purse, tx), {
    customerId: customer.id,
    customerBlocked: true,
    blocked: true,
    purseId: purse.id,
    address: purse.address,
    transactionId: '5d2b8c1e-7a4f-4e3b-9c6d-0f1e2d3c4b5a',
    amount: 0.25,
    currency: 'BTC',
    transactionHash: 'f00dfeed'
  })
})

t.test('a transaction without a hash gives data without the transactionHash key, not one set to undefined', async (t) => {
  const { ctx, customer, purse } = await setup(t)
  const tx = recordTransaction(ctx, purse, '6e3c9d2f-8b5a-4f4c-8d7e-1a2b3c4d5e6f', null)
  t.equal(tx.transactionHash, undefined, 'the store gives no hash')
  const data = eventData(ctx, purse, tx)
  t.notOk('transactionHash' in data, 'no transactionHash key')
  t.strictSame(data, {
    customerId: customer.id,
    customerBlocked: false,
    blocked: false,
    purseId: purse.id,
    address: purse.address,
    transactionId: '6e3c9d2f-8b5a-4f4c-8d7e-1a2b3c4d5e6f',
    amount: 0.25,
    currency: 'BTC'
  })
})
