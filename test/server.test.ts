import { join } from 'node:path'
import t from 'tap'
import { sign } from '../src/auth/signature.js'
import { DEFAULT_ACCOUNT, DOCS_API_KEY, DOCS_API_SECRET } from '../src/config.js'
import { tempDir } from './helper.js'
import { startServerProcess } from './server-process.js'

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
