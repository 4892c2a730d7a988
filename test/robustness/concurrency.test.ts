import t from 'tap'
import { sign } from '../../src/auth/signature.js'
import { build, createCustomer } from '../support/helper.js'

t.test('a storm of concurrent block, unblock and update calls ends in the state of the last acknowledged call', async (t) => {
  const app = await build(t)
  const url = await app.listen({ port: 0, host: '127.0.0.1' })
  const customer = await createCustomer(app)
  const creds = app.config.accounts[0]!

  const call = async (i: number) => {
    const kind = i % 3
    const path = kind === 0 ? 'block' : kind === 1 ? 'unblock' : 'update'
    const payload = kind === 2 ? { id: customer.id, description: `storm ${i}` } : { customerId: customer.id }
    const body = JSON.stringify({ timestamp: Date.now(), account: creds.account, payload })
    const res = await fetch(`${url}/api/v1/customer-purse/customer/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', Key: creds.apiKey, Sign: sign(body, creds.apiSecret) },
      body
    })
    return { traceId: res.headers.get('x-trace-id') as string, status: res.status, customer: await res.json() as { blocked: boolean, description: string | null } }
  }
  const results = await Promise.all(Array.from({ length: 300 }, (_, i) => call(i)))
  t.ok(results.every((r) => r.status === 200), 'every call was acknowledged')

  // The journal lists calls in the order the server answered them: the last one's answer is the final state.
  const order = app.journal.list({ limit: 1000 }).map((entry) => entry.traceId)
  const last = results.find((r) => r.traceId === order[0])
  t.ok(last, 'the last answered call is one of ours')
  const final = (await app.inject({ method: 'GET', url: '/_mock/customers?limit=1' })).json().customers[0]
  t.equal(final.blocked, last!.customer.blocked)
  t.equal(final.description, last!.customer.description)

  // And every answer is a state the customer was really in: blocked flags and descriptions form one history.
  const descriptions = new Set(results.filter((r) => r.customer.description !== null).map((r) => r.customer.description))
  t.ok([...descriptions].every((d) => /^storm \d+$/.test(d as string)))
  t.equal(final.description, [...order].reverse().map((id) => results.find((r) => r.traceId === id)).filter((r) => r !== undefined).reduce<string | null>((d, r) => r!.customer.description ?? d, null))
})
