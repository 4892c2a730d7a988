import { sign } from '../../auth/signature.js'
import { Path, unknownId, type Scenario } from '../scenario.js'

const TEN_MINUTES_MS = 10 * 60 * 1000

/**
 * Calypso's request authentication. Each refusal is a transaction/get of an id nobody has, so a
 * request that got through by mistake reads nothing and changes nothing.
 */
export const authenticationScenario: Scenario = {
  name: 'authentication',
  plan: () => [
    'send 6 transaction/get calls for a random id that break one thing each: an unknown Key, a Sign made with another secret, no Sign, an uppercase Sign, a timestamp 10 minutes old, one 10 minutes ahead',
    'send one transaction/find for the first customer pretty-printed with timestamp first'
  ],
  async run (s) {
    const probe = () => ({ path: Path.getTransaction, payload: { transactionId: unknownId() } })

    await s.check('an unknown api key is refused with 002', async (t) => {
      t.error(await t.call({ ...probe(), key: `calypso-mock-conformance-${s.identity.runId}-unknown-key` }), '002')
    })

    await s.check('a Sign made with another secret is refused with 003', async (t) => {
      t.error(await t.call({ ...probe(), sign: (body) => sign(body, `not-the-secret-${s.identity.runId}`) }), '003')
    })

    await s.check('a request without Sign is refused with 003', async (t) => {
      t.error(await t.call({ ...probe(), sign: () => undefined }), '003')
    }, { mockChoice: 'the docs name 003 "Wrong sign" but not the code for a missing header' })

    await s.check('an uppercase Sign is refused with 003 (the docs sign in lowercase hex)', async (t) => {
      t.error(await t.call({ ...probe(), sign: (body, secret) => sign(body, secret).toUpperCase() }), '003')
    }, { mockChoice: 'Calypso may accept uppercase hex; the mock refuses it so that a client passing here passes there' })

    await s.check('a timestamp 10 minutes old is refused with 011', async (t) => {
      t.error(await t.call({ ...probe(), timestamp: Date.now() - TEN_MINUTES_MS }), '011')
    })

    await s.check('a timestamp 10 minutes ahead is refused with 011', async (t) => {
      t.error(await t.call({ ...probe(), timestamp: Date.now() + TEN_MINUTES_MS }), '011')
    })

    await s.check('a body pretty-printed with timestamp first is verified over its exact bytes', async (t) => {
      const { id: customerId } = t.need(s.state.customer, 'a created customer')
      t.success(await t.call({ path: Path.findTransactions, payload: { customerId, pageNumber: 0, pageSize: 1 }, pretty: true }))
    })
  }
}
