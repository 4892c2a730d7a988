import t from 'tap'
import { sign } from '../../src/auth/signature.js'
import { build, createCustomer } from '../support/helper.js'

t.test('a storm of concurrent block, unblock and update calls ends in the state of the last acknowledged call', async (t) => {
  const app = await build(t)
  const url = await app.listen({ port: 0, host: '127.0.0.1' })
  const customer = await createCustomer(app)
  const creds = app.config.accounts[0]!

  const call = async (i: number) => {
    const kind = (['block', 'unblock', 'update'] as const)[i % 3]!
    const payload = kind === 'update' ? { id: customer.id, description: `storm ${i}` } : { customerId: customer.id }
    const body = JSON.stringify({ timestamp: Date.now(), account: creds.account, payload })
    const res = await fetch(`${url}/api/v1/customer-purse/customer/${kind}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', Key: creds.apiKey, Sign: sign(body, creds.apiSecret) },
      body
    })
    return { i, kind, traceId: res.headers.get('x-trace-id') as string, status: res.status, customer: await res.json() as { blocked: boolean, description: string | null } }
  }
  const results = await Promise.all(Array.from({ length: 300 }, (_, i) => call(i)))
  t.ok(results.every((r) => r.status === 200), 'every call was acknowledged')

  // The journal lists calls in the order the server answered them, newest first. Replayed oldest
  // first, each answer is the state its own call left: block and unblock set the flag, update the
  // description, and neither undoes what the calls answered before it did.
  const answered = app.journal.list({ limit: 1000 }).map((entry) => results.find((r) => r.traceId === entry.traceId)).filter((r) => r !== undefined).reverse()
  t.equal(answered.length, results.length, 'every call is in the journal')
  let state: { blocked: boolean, description: string | null } = { blocked: false, description: null }
  const wrong: string[] = []
  for (const r of answered) {
    state = r.kind === 'update' ? { ...state, description: `storm ${r.i}` } : { ...state, blocked: r.kind === 'block' }
    if (r.customer.blocked !== state.blocked || r.customer.description !== state.description) {
      wrong.push(`${r.kind} #${r.i} answered ${JSON.stringify(r.customer)}, expected ${JSON.stringify(state)}`)
    }
  }
  t.same(wrong, [], 'no answer shows a lost or a not-yet-made change')
  const final = (await app.inject({ method: 'GET', url: '/_mock/customers?limit=1' })).json().customers[0]
  t.match(final, state, 'the stored customer is the last answered state')
})
