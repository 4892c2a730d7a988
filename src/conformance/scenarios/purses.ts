import { Path, isRecord, type Scenario } from '../scenario.js'

/** Two currencies the docs name as served by one EVM address. */
export const EVM_CURRENCY = 'ETH'
export const SAME_CHAIN_CURRENCY = 'USDT_BSC'

/** Deposit addresses: address/get creates the purse once, and one EVM address serves the chain's currencies. */
export const pursesScenario: Scenario = {
  name: 'purses',
  plan: () => [
    `ask address/get for the first customer's ${EVM_CURRENCY} address twice and its ${SAME_CHAIN_CURRENCY} address once`,
    'read purse/get-all for the first customer'
  ],
  async run (s) {
    await s.check(`address/get ${EVM_CURRENCY}: a purse id and an address`, async (t) => {
      const { id: customerId } = t.need(s.state.customer, 'a created customer')
      const body = t.success(await t.call({ path: Path.getAddress, payload: { customerId, currency: EVM_CURRENCY } }))
      if (typeof body.id === 'string' && typeof body.address === 'string') s.state.purses[EVM_CURRENCY] = { id: body.id, address: body.address }
    })

    await s.check(`address/get ${EVM_CURRENCY} again: the same purse and address`, async (t) => {
      const { id: customerId } = t.need(s.state.customer, 'a created customer')
      const first = t.need(s.state.purses[EVM_CURRENCY], `the ${EVM_CURRENCY} purse`)
      const body = t.success(await t.call({ path: Path.getAddress, payload: { customerId, currency: EVM_CURRENCY } }))
      t.equal('$.id', body.id, first.id)
      t.equal('$.address', body.address, first.address)
    })

    await s.check(`address/get ${SAME_CHAIN_CURRENCY}: the same address as ${EVM_CURRENCY}`, async (t) => {
      const { id: customerId } = t.need(s.state.customer, 'a created customer')
      const evm = t.need(s.state.purses[EVM_CURRENCY], `the ${EVM_CURRENCY} purse`)
      const body = t.success(await t.call({ path: Path.getAddress, payload: { customerId, currency: SAME_CHAIN_CURRENCY } }))
      t.equal('$.address', body.address, evm.address)
      if (typeof body.id === 'string' && typeof body.address === 'string') s.state.purses[SAME_CHAIN_CURRENCY] = { id: body.id, address: body.address }
    })

    await s.check(`address/get ${SAME_CHAIN_CURRENCY}: the same purse id as ${EVM_CURRENCY} (the purse id is the address id)`, async (t) => {
      const evm = t.need(s.state.purses[EVM_CURRENCY], `the ${EVM_CURRENCY} purse`)
      const sameChain = t.need(s.state.purses[SAME_CHAIN_CURRENCY], `the ${SAME_CHAIN_CURRENCY} purse`)
      t.equal('$.id', sameChain.id, evm.id)
    })

    await s.check('purse/get-all: lists the purse address/get gave', async (t) => {
      const { id: customerId } = t.need(s.state.customer, 'a created customer')
      const evm = t.need(s.state.purses[EVM_CURRENCY], `the ${EVM_CURRENCY} purse`)
      const body = t.list(await t.call({ path: Path.getAllPurses, payload: { customerId } }))
      const entry = body.find((p) => isRecord(p) && p.id === evm.id)
      t.ok(entry !== undefined, `$: expected an entry with id ${evm.id}, got ids ${JSON.stringify(body.map((p) => isRecord(p) ? p.id : p))}`)
      if (isRecord(entry)) {
        t.equal(`$[${body.indexOf(entry)}].address`, entry.address, evm.address)
        t.equal(`$[${body.indexOf(entry)}].status`, entry.status, 'PENDING_PAYMENT')
      }
    })

    await s.check('purse/get-all: one entry per address', async (t) => {
      const { id: customerId } = t.need(s.state.customer, 'a created customer')
      const evm = t.need(s.state.purses[EVM_CURRENCY], `the ${EVM_CURRENCY} purse`)
      const body = t.list(await t.call({ path: Path.getAllPurses, payload: { customerId } }))
      const entries = body.filter((p) => isRecord(p) && p.address === evm.address).length
      t.ok(entries === 1, `$: expected 1 entry with address ${evm.address}, got ${entries}`)
    })
  }
}
