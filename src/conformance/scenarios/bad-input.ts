import { Path, unknownId, type Scenario } from '../scenario.js'
import { EVM_CURRENCY } from './purses.js'

/** Bad input is refused in Calypso's error body, and changes nothing. */
export const badInputScenario: Scenario = {
  name: 'bad input',
  plan: () => [
    'send a correctly signed body that is not JSON, an address/get without currency and one for an unknown currency',
    'block a random customer id, ask address/get for one, and transaction/get a random transaction id (all unknown)'
  ],
  async run (s) {
    await s.check('a signed body that is not valid JSON is refused with 001', async (t) => {
      const cutShort = (body: string) => body.slice(0, -1)
      t.error(await t.call({ path: Path.getTransaction, payload: { transactionId: unknownId() }, mangle: cutShort }), '001')
    })

    await s.check('a payload without a required field is refused with 001', async (t) => {
      const { id: customerId } = t.need(s.state.customer, 'a created customer')
      t.error(await t.call({ path: Path.getAddress, payload: { customerId } }), '001')
    })

    await s.check('an unknown currency is refused with 001', async (t) => {
      const { id: customerId } = t.need(s.state.customer, 'a created customer')
      t.error(await t.call({ path: Path.getAddress, payload: { customerId, currency: 'NOT_A_CURRENCY' } }), '001')
    })

    await s.check('block of an unknown customer is refused with 004', async (t) => {
      t.error(await t.call({ path: Path.blockCustomer, payload: { customerId: unknownId() } }), '004')
    })

    await s.check('address/get for an unknown customer is refused with 004', async (t) => {
      t.error(await t.call({ path: Path.getAddress, payload: { customerId: unknownId(), currency: EVM_CURRENCY } }), '004')
    })

    await s.check('transaction/get of an unknown transaction is refused with 004', async (t) => {
      t.error(await t.call({ path: Path.getTransaction, payload: { transactionId: unknownId() } }), '004')
    })
  }
}
