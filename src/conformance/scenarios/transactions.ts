import { Path, isRecord, type Scenario } from '../scenario.js'
import { EVM_CURRENCY } from './purses.js'

const DEPOSIT_AMOUNT = 1

/** Transactions: an empty find for a new customer; with the mock's fake deposit, get and find of the deposit. */
export const transactionsScenario: Scenario = {
  name: 'transactions',
  plan: () => [
    'read transaction/find for the first customer (a new customer has none)',
    `only on calypso-mock: fake one deposit of ${DEPOSIT_AMOUNT} ${EVM_CURRENCY} through POST /_mock/deposits, then read it with transaction/get, transaction/find (with and without a currency filter that excludes it) and purse/get-all`
  ],
  async run (s) {
    const page = { pageNumber: 0, pageSize: 10 }

    await s.check('transaction/find for a new customer: an empty page', async (t) => {
      const { id: customerId } = t.need(s.state.customer, 'a created customer')
      const body = t.success(await t.call({ path: Path.findTransactions, payload: { customerId, ...page } }))
      t.equal('$.result', body.result, [])
      t.equal('$.totalElements', body.totalElements, 0)
      t.equal('$.page', body.page, page.pageNumber)
      t.equal('$.size', body.size, page.pageSize)
    })

    await s.depositCheck(`fake a deposit of ${DEPOSIT_AMOUNT} ${EVM_CURRENCY} to the customer (POST /_mock/deposits)`, async (t) => {
      const { id: customerId } = t.need(s.state.customer, 'a created customer')
      const body = t.success(await t.mock('POST', '/_mock/deposits', { customerId, currency: EVM_CURRENCY, amount: DEPOSIT_AMOUNT }), 201)
      const purse = s.state.purses[EVM_CURRENCY]
      if (purse !== undefined) t.equal('$.purseId', body.purseId, purse.id)
      if (typeof body.id === 'string') s.state.depositedTransaction = { id: body.id, currency: EVM_CURRENCY, amount: DEPOSIT_AMOUNT }
    })

    await s.depositCheck('transaction/get: the deposited transaction', async (t) => {
      const tx = t.need(s.state.depositedTransaction, 'the faked deposit')
      const body = t.success(await t.call({ path: Path.getTransaction, payload: { transactionId: tx.id } }))
      t.equal('$.id', body.id, tx.id)
      t.equal('$.currency', body.currency, tx.currency)
      t.equal('$.amount', body.amount, tx.amount)
    })

    await s.depositCheck('transaction/find for the customer: lists the deposit', async (t) => {
      const { id: customerId } = t.need(s.state.customer, 'a created customer')
      const tx = t.need(s.state.depositedTransaction, 'the faked deposit')
      const body = t.success(await t.call({ path: Path.findTransactions, payload: { customerId, ...page } }))
      t.equal('$.totalElements', body.totalElements, 1)
      const ids = Array.isArray(body.result) ? body.result.map((r: unknown) => isRecord(r) ? r.id : r) : []
      t.equal('$.result[*].id', ids, [tx.id])
    })

    await s.depositCheck('transaction/find with a currency filter that excludes it: an empty page', async (t) => {
      const { id: customerId } = t.need(s.state.customer, 'a created customer')
      t.need(s.state.depositedTransaction, 'the faked deposit')
      const body = t.success(await t.call({ path: Path.findTransactions, payload: { customerId, currencyFilter: { notEquals: EVM_CURRENCY }, ...page } }))
      t.equal('$.totalElements', body.totalElements, 0)
    })

    await s.depositCheck('purse/get-all after the deposit: the purse is still listed and active', async (t) => {
      const { id: customerId } = t.need(s.state.customer, 'a created customer')
      const purse = t.need(s.state.purses[EVM_CURRENCY], `the ${EVM_CURRENCY} purse`)
      t.need(s.state.depositedTransaction, 'the faked deposit')
      const body = t.list(await t.call({ path: Path.getAllPurses, payload: { customerId } }))
      const entry = body.find((p) => isRecord(p) && p.id === purse.id)
      t.ok(isRecord(entry), `$: expected an entry with id ${purse.id}`)
      if (isRecord(entry)) t.equal(`$[${body.indexOf(entry)}].status`, entry.status, 'PENDING_PAYMENT')
    })
  }
}
