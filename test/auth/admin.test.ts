import t from 'tap'
import { isLoopbackAddress, isLoopbackHost } from '../../src/auth/admin.js'
import { build } from '../support/helper.js'

const TOKEN = 'admin-token-for-tests'

t.test('loopback addresses, as a socket reports them', async (t) => {
  for (const address of ['127.0.0.1', '127.255.0.9', '::1', '::ffff:127.0.0.1', '::FFFF:127.0.0.2', '[::1]']) {
    t.equal(isLoopbackAddress(address), true, `${address} is this machine`)
  }
  for (const address of [undefined, '', '10.0.0.1', '128.0.0.1', '1.127.0.0', '::ffff:10.0.0.1', '::2', '::', '0:0:0:0:0:0:0:2', 'localhost', '127.0.0.1.example']) {
    t.equal(isLoopbackAddress(address), false, `${String(address)} is not`)
  }
})

t.test('a HOST keeps the mock on this machine when it is a loopback address or localhost, in any case', async (t) => {
  for (const host of ['localhost', 'LocalHost', '127.0.0.1', '127.1.2.3', '::1', '[::1]']) t.equal(isLoopbackHost(host), true, host)
  for (const host of ['0.0.0.0', '::', '192.168.1.20', 'calypso-mock', 'localhost.example', 'mylocalhost']) t.equal(isLoopbackHost(host), false, host)
})

t.test('/health shows the database path to a loopback caller when no token is set, and to nobody else', async (t) => {
  const app = await build(t)
  const path = async (remoteAddress: string) => (await app.inject({ method: 'GET', url: '/health', remoteAddress })).json().database.path as string | undefined
  t.equal(await path('127.0.0.1'), ':memory:')
  t.equal(await path('::ffff:127.0.0.1'), ':memory:')
  t.equal(await path('172.17.0.1'), undefined)
  t.equal(await path('::ffff:172.17.0.1'), undefined)
})

t.test('with MOCK_ADMIN_TOKEN, exactly `Bearer <token>` is the admin, from anywhere, and nothing else is, not even loopback', async (t) => {
  const app = await build(t, { adminToken: TOKEN })
  const health = async (remoteAddress: string, authorization?: string) =>
    (await app.inject({ method: 'GET', url: '/health', remoteAddress, headers: authorization === undefined ? {} : { authorization } })).json().database.path as string | undefined
  const mock = async (authorization?: string) =>
    (await app.inject({ method: 'GET', url: '/_mock/customers', headers: authorization === undefined ? {} : { authorization } })).statusCode
  t.equal(await health('172.17.0.1', `Bearer ${TOKEN}`), ':memory:', 'from elsewhere, with the token')
  t.equal(await health('127.0.0.1'), undefined, 'on loopback, without it')
  t.equal(await mock(`Bearer ${TOKEN}`), 200)
  for (const wrong of [undefined, '', TOKEN, `bearer ${TOKEN}`, `Bearer ${TOKEN} `, `Bearer ${TOKEN.slice(0, -1)}`, `Bearer ${TOKEN.slice(0, -1)}X`, `Bearer ${TOKEN}${TOKEN}`]) {
    t.equal(await mock(wrong), 401, `Authorization ${JSON.stringify(wrong)} is refused`)
    t.equal(await health('172.17.0.1', wrong), undefined)
  }
})
