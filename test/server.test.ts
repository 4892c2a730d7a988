import { join } from 'node:path'
import t from 'tap'
import { sign } from '../src/auth/signature.js'
import { DEFAULT_ACCOUNT, DOCS_API_KEY, DOCS_API_SECRET } from '../src/config.js'
import { tempDir } from './helper.js'
import { startServerProcess } from './server-process.js'

t.test('starts on a file database, prints the URL and the credentials, answers, and stops on SIGTERM', async (t) => {
  const databasePath = join(tempDir(t), 'data', 'mock.db')
  const server = startServerProcess(t, { PORT: '0', DATABASE_PATH: databasePath, WEBHOOK_URL: 'http://127.0.0.1:1/hook' })
  const url = await server.listening
  const { stdout } = server.output()
  for (const expected of [DEFAULT_ACCOUNT, DOCS_API_KEY, DOCS_API_SECRET, databasePath]) t.match(stdout, expected)
  t.match(stdout, /webhooks to http:\/\/127\.0\.0\.1:1\/hook {2}Key [0-9a-f]{32} {2}secret [0-9a-f]{32} \(generated/, 'the generated webhook key pair is printed')

  const body = JSON.stringify({ account: DEFAULT_ACCOUNT, timestamp: Date.now(), payload: { email: 'first@example.com' } })
  const res = await fetch(`${url}/api/v1/customer-purse/customer/create`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', Key: DOCS_API_KEY, Sign: sign(body, DOCS_API_SECRET) },
    body
  })
  t.equal(res.status, 200)
  t.equal((await res.json() as { email: string }).email, 'first@example.com')

  server.child.kill('SIGTERM')
  const [code] = await server.exited
  t.equal(code, 0)
  t.notMatch(server.output().stdout, /"level":50/, 'no error was logged')
})

t.test('a bad variable stops the start with its name and a non-zero exit', async (t) => {
  const server = startServerProcess(t, { PORT: 'http', DATABASE_PATH: ':memory:' })
  const [code] = await server.exited
  t.equal(code, 1)
  t.match(server.output().stderr, /invalid configuration: PORT: /)
})

t.test('a port already in use stops the start with a clear message', async (t) => {
  const first = startServerProcess(t, { PORT: '0', DATABASE_PATH: ':memory:' })
  const port = new URL(await first.listening).port
  const second = startServerProcess(t, { PORT: port, DATABASE_PATH: ':memory:' })
  const [code] = await second.exited
  t.equal(code, 1)
  t.match(second.output().stderr, /EADDRINUSE/)
})
