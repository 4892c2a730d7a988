import { join } from 'node:path'
import t from 'tap'
import { build, createCustomer, signedPost, tempDir } from '../support/helper.js'

type App = Awaited<ReturnType<typeof build>>

const post = (app: App, url: string, payload?: unknown) =>
  app.inject({ method: 'POST', url, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) })

t.test('MOCK_SEED makes ids, addresses and keys repeat from run to run', async (t) => {
  const run = async (seed: string, databasePath = ':memory:') => {
    const app = await build(t, { seed, databasePath })
    const customer = await createCustomer(app)
    const address = (await signedPost(app, 'customer-purse/address/get', { customerId: customer.id, currency: 'BTC' })).json()
    const account = (await post(app, '/_mock/accounts', {})).json()
    await app.close()
    return { customer: customer.id, address, account }
  }
  const a = await run('snapshot-1')
  t.same(await run('snapshot-1'), a)
  t.notSame(await run('snapshot-2'), a)
  const file = join(tempDir(t), 'seeded.db')
  const first = await run('snapshot-1', file)
  t.same(first, a, 'a fresh file gives the same ids')
  const second = await run('snapshot-1', file)
  t.not(second.customer, first.customer, 'a restart on the same file continues without repeating ids')
})
