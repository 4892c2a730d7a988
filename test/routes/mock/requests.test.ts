import t from 'tap'
import { DEFAULT_ACCOUNT } from '../../../src/demo-credentials.js'
import { build, manualClock, signedPost } from '../../support/helper.js'

type App = Awaited<ReturnType<typeof build>>
const get = async (app: App, url: string) => (await app.inject({ method: 'GET', url })).json()

const post = (app: App, url: string, payload?: unknown) =>
  app.inject({ method: 'POST', url, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) })

t.test('the request journal tells why each call was refused, newest first', async (t) => {
  const app = await build(t, {}, { clock: manualClock() })
  await signedPost(app, 'customer-purse/customer/create', { email: 'ok@example.com' })
  await signedPost(app, 'customer-purse/customer/create', {}, { headers: { key: 'nope' } })
  await signedPost(app, 'customer-purse/customer/create', {}, { timestamp: app.clock() - 600_000 })
  const sent = JSON.stringify({ timestamp: app.clock(), account: DEFAULT_ACCOUNT, payload: {} }, null, 2)
  const { sign } = await import('../../../src/auth/signature.js')
  await signedPost(app, 'customer-purse/customer/create', {}, { rawBody: sent, headers: { sign: sign(JSON.stringify(JSON.parse(sent)), app.config.accounts[0]!.apiSecret) } })
  await post(app, '/api/v1/customer-purse/customer/remove', {})

  const { requests } = await get(app, '/_mock/requests')
  t.same(requests.map((r: { status: number }) => r.status), [404, 400, 400, 400, 200])
  t.match(requests[0], { path: '/api/v1/customer-purse/customer/remove', errorCode: '004', auth: null })
  t.match(requests[1], { errorCode: '003', auth: { passed: false, check: 'sign', reason: /re-serialised without spaces, not the bytes sent/ }, body: sent })
  t.match(requests[2], { errorCode: '011', auth: { passed: false, check: 'timestamp', reason: /600000 ms behind/ } })
  t.match(requests[3], { errorCode: '002', key: 'nope', auth: { passed: false, check: 'key' } })
  t.match(requests[4], { errorCode: null, auth: { passed: true }, method: 'POST', body: /ok@example\.com/, traceId: /^[0-9a-f-]{36}$/ })
  t.same((await get(app, '/_mock/requests?errorCode=011')).requests.map((r: { id: number }) => r.id), [requests[2].id])
  t.equal((await get(app, '/_mock/requests?limit=2')).requests.length, 2)
})

t.test('the journal keeps the last 1000 calls', async (t) => {
  const app = await build(t)
  for (let i = 0; i < 1005; i++) await app.inject({ method: 'POST', url: '/api/v1/nowhere' })
  const { requests } = await get(app, '/_mock/requests?limit=1000')
  t.equal(requests.length, 1000)
  t.equal(requests[0].id - requests[999].id, 999)
  t.equal(requests[0].id, 1005)
})
