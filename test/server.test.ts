import { once } from 'node:events'
import { Agent, get as httpGet } from 'node:http'
import { connect } from 'node:net'
import { join } from 'node:path'
import t from 'tap'
import { buildApp } from '../src/app.js'
import { sign } from '../src/auth/signature.js'
import { DEFAULT_ACCOUNT, DOCS_API_KEY, DOCS_API_SECRET } from '../src/demo-credentials.js'
import { testConfig } from '../src/test-config.js'
import { tempDir } from './support/helper.js'
import { startServerProcess } from './support/server-process.js'
import { outcomeWithin } from './support/time-scale.js'

t.test('the built server starts on a file database, answers, and stops cleanly on SIGTERM', async (t) => {
  const databasePath = join(tempDir(t), 'data', 'mock.db')
  const server = startServerProcess(t, { PORT: '0', DATABASE_PATH: databasePath })
  const url = await server.listening
  t.match(server.output().stdout, databasePath)

  const body = JSON.stringify({ account: DEFAULT_ACCOUNT, timestamp: Date.now(), payload: { email: 'first@example.com' } })
  const res = await fetch(`${url}/api/v1/customer-purse/customer/create`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', Key: DOCS_API_KEY, Sign: sign(body, DOCS_API_SECRET) },
    body
  })
  t.equal(res.status, 200)
  t.equal((await res.json() as { email: string }).email, 'first@example.com')

  server.child.kill('SIGTERM')
  t.same(await server.exited, [0, null])
  t.match(server.output().stdout, /SIGTERM received, closing/)
  t.notMatch(server.output().stdout, /"level":50/, 'no error was logged')
})

t.test('close ends at once when a client has connected without sending a request, or sits idle after one', async (t) => {
  const app = await buildApp(testConfig())
  const url = await app.listen({ port: 0, host: '127.0.0.1' })
  const port = Number(new URL(url).port)
  const silent = connect(port, '127.0.0.1')
  await once(silent, 'connect')
  const keptAlive = new Agent({ keepAlive: true })
  const answered = await new Promise<number>((resolve, reject) => {
    httpGet({ host: '127.0.0.1', port, path: '/health', agent: keptAlive }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode ?? 0)) }).on('error', reject)
  })
  t.equal(answered, 200, 'a request answered, its connection kept alive')
  const silentClosed = once(silent, 'close')
  t.teardown(() => { silent.destroy(); keptAlive.destroy() })
  t.equal(await outcomeWithin(app.close(), 5000), 'resolved', 'close resolves with both connections open')
  t.equal(await outcomeWithin(silentClosed, 5000), 'resolved', 'and the server has closed the silent one')
})
