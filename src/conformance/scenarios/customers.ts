import { Path, type Scenario } from '../scenario.js'

/** Create, update, block and unblock: every answer is the Customer as it now is. */
export const customersScenario: Scenario = {
  name: 'customers',
  plan: (id) => [
    `create 2 customers with email ${id.email}, description "${id.description}" and externalId ${id.externalId} (the second tests duplicates)`,
    'update the first one\'s description, block it and unblock it'
  ],
  async run (s) {
    const { email, description, externalId } = s.identity
    const updatedDescription = `${description} (updated)`

    await s.check('create a customer: the answer echoes email, description, externalId; blocked is false', async (t) => {
      const body = t.success(await t.call({ path: Path.createCustomer, payload: { email, description, externalId } }))
      t.equal('$.email', body.email, email)
      t.equal('$.description', body.description, description)
      t.equal('$.externalId', body.externalId, externalId)
      t.equal('$.blocked', body.blocked, false)
      if (typeof body.id === 'string') s.state.customer = { id: body.id }
    })

    await s.check('create a second customer with the same email and externalId: a new customer', async (t) => {
      const first = t.need(s.state.customer, 'the customer created above')
      const body = t.success(await t.call({ path: Path.createCustomer, payload: { email, description, externalId } }))
      t.ok(body.id !== first.id, `$.id: expected a new id, got the first customer's ${first.id}`)
      t.equal('$.externalId', body.externalId, externalId)
    }, { mockChoice: 'the docs are silent on uniqueness; the mock checks neither email nor externalId for duplicates' })

    await s.check('update: the answer has the email and description sent', async (t) => {
      const { id } = t.need(s.state.customer, 'the customer created above')
      const body = t.success(await t.call({ path: Path.updateCustomer, payload: { id, email, description: updatedDescription } }))
      t.equal('$.id', body.id, id)
      t.equal('$.email', body.email, email)
      t.equal('$.description', body.description, updatedDescription)
    })

    await s.check('block: blocked is true, and the customer reads back as updated', async (t) => {
      const { id } = t.need(s.state.customer, 'the customer created above')
      const body = t.success(await t.call({ path: Path.blockCustomer, payload: { customerId: id } }))
      t.equal('$.id', body.id, id)
      t.equal('$.blocked', body.blocked, true)
      t.equal('$.email', body.email, email)
      t.equal('$.description', body.description, updatedDescription)
    })

    await s.check('unblock: blocked is false again', async (t) => {
      const { id } = t.need(s.state.customer, 'the customer created above')
      const body = t.success(await t.call({ path: Path.unblockCustomer, payload: { customerId: id } }))
      t.equal('$.id', body.id, id)
      t.equal('$.blocked', body.blocked, false)
    })
  }
}
