import t from 'tap'
import { DEFAULT_ACCOUNT } from '../../../../src/demo-credentials.js'
import { ErrorCode } from '../../../../src/errors.js'
import { assertError, build, createCustomer, deposit, waitForDeliveries, webhookConfig } from '../../../support/helper.js'
import { startReceiver } from '../../../support/webhook-receiver.js'

type App = Awaited<ReturnType<typeof build>>
const post = (app: App, url: string, payload: unknown) => app.inject({ method: 'POST', url, payload: payload as Record<string, unknown> })

t.test('a receiver that fails N times: the attempts are recorded as failed, then the retry is delivered', async (t) => {
  const receiver = await startReceiver(t)
  const app = await build(t, { webhook: webhookConfig(receiver.url) })
  const created = await post(app, '/_mock/webhooks/faults', { times: 2, status: 503, account: DEFAULT_ACCOUNT })
  t.equal(created.statusCode, 201)
  t.match(created.json(), { status: 503, times: 2, remaining: 2, account: DEFAULT_ACCOUNT })
  const customer = await createCustomer(app)
  await deposit(app, { customerId: customer.id, currency: 'BTC', amount: 1, stopAt: 'MEM_POOL_FOUND' })
  const [delivery] = await waitForDeliveries(app, (d) => d[0]?.status === 'delivered')
  t.same(delivery!.attempts.map((a) => a.httpStatus), [503, 503, 200])
  t.match(delivery!.attempts[0]!.error, /^HTTP 503: injected by \/_mock\/webhooks\/faults \(fault 1\)$/)
  t.equal(receiver.received.length, 1, 'the failed attempts never reached the receiver')
  t.same((await app.inject({ method: 'GET', url: '/_mock/webhooks/faults' })).json().faults, [])
  assertError(t, await post(app, '/_mock/webhooks/faults', { times: 0 }), ErrorCode.BAD_REQUEST, /times/)
  assertError(t, await post(app, '/_mock/webhooks/faults', { account: '0x00000000000000000000000000000000000000ff' }), ErrorCode.NOT_FOUND)
  await post(app, '/_mock/webhooks/faults', {})
  t.equal((await post(app, '/_mock/reset', {})).statusCode, 200)
  t.same((await app.inject({ method: 'GET', url: '/_mock/webhooks/faults' })).json().faults, [], 'a full reset clears them')
})
