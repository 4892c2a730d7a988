import { spawn } from 'node:child_process'
import { existsSync, realpathSync, writeFileSync } from 'node:fs'
import { homedir, tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { connectCalypsoMock, startCalypsoMock, type CalypsoMockOptions } from '../../src/index.js'
import { tempDir } from '../support/helper.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

t.test('an unknown option is refused, naming it and the options there are', async (t) => {
  await t.rejects(startCalypsoMock({ bogus: 1 } as CalypsoMockOptions), { name: 'TypeError', message: /unknown option bogus; the options are port, host, databasePath, .*logger, shared/ })
  await t.rejects(startCalypsoMock({ prot: 8080, webhookURL: 'x' } as CalypsoMockOptions), { message: /unknown options prot, webhookURL;/ })
  await t.rejects(connectCalypsoMock('http://127.0.0.1:1', { token: 'x' } as { adminToken?: string }), { name: 'TypeError', message: 'connectCalypsoMock: unknown option token; the only option is adminToken' })
})

t.test('a bad value is reported under the option\'s name, with its range', async (t) => {
  await t.rejects(startCalypsoMock({ port: -1 }), { message: 'startCalypsoMock: invalid option port: must be a whole number from 0 to 65535 (got "-1")' })
  await t.rejects(startCalypsoMock({ port: 70000 }), { message: /invalid option port: must be a whole number from 0 to 65535/ })
})

t.test('a lone webhook key names the two options, not the environment variables', async (t) => {
  const err = await startCalypsoMock({ webhookPublicKey: 'public-key-1' }).then(() => undefined, (e: Error) => e)
  t.match(err?.message, /invalid option webhookSecretKey: set both webhookPublicKey and webhookSecretKey, or neither/)
  t.notMatch(err?.message, /WEBHOOK_/)
})

/** A folder outside the OS temp dir: the checkout, unless the checkout is itself under it (a CI clone in /tmp). */
function outsideTemp (): string {
  const temp = realpathSync(tmpdir())
  const under = (dir: string) => !relative(temp, realpathSync(dir)).startsWith('..')
  return [ROOT, homedir(), '/var/lib'].find((dir) => existsSync(dir) && !under(dir)) as string
}

t.test('databasePath: a missing folder outside the OS temp dir is refused, not created; under it, it is created', async (t) => {
  const missingFolder = join(outsideTemp(), 'no-such-folder-for-calypso-mock')
  const missing = join(missingFolder, 'x.db')
  await t.rejects(startCalypsoMock({ databasePath: missing }), { message: /invalid option databasePath: the folder .*no-such-folder-for-calypso-mock does not exist; create it first/ })
  t.notOk(existsSync(missingFolder), 'nothing was created')
  const underTmp = join(tempDir(t), 'made', 'x.db')
  const mock = await startCalypsoMock({ databasePath: underTmp })
  t.teardown(mock.close)
  t.ok(existsSync(underTmp))
})

t.test('a wait that times out says why the deliveries failed', async (t) => {
  // Port 1 refuses connections: every attempt fails, and is retried on the (scaled) schedule.
  await using mock = await startCalypsoMock({ webhookUrl: 'http://127.0.0.1:1/hook' })
  const customer = await mock.request('customer-purse/customer/create', {})
  await mock.deposit({ customerId: customer.id, currency: 'BTC', amount: 1, stopAt: 'MEM_POOL_FOUND' })
  while ((await mock.deliveries()).every((d) => d.attempts.length === 0)) await new Promise((resolve) => setImmediate(resolve))
  await t.rejects(mock.waitForWebhook({ eventType: 'CUSTOMER_PURSE_MEM_POOL_FOUND' }, { timeout: 200 }), {
    name: 'NoMatchingWebhookError',
    message: /no matching webhook within 200 ms; received: none; not acknowledged by the receiver: delivery \d+ CUSTOMER_PURSE_MEM_POOL_FOUND to http:\/\/127\.0\.0\.1:1\/hook \((pending|failed)\): \d+ attempt\(s\), last: .*ECONNREFUSED/
  })
})

t.test('a mock left open says that it keeps the process alive', async (t) => {
  const script = join(tempDir(t), 'left-open.mts')
  writeFileSync(script, `import { startCalypsoMock } from ${JSON.stringify(join(ROOT, 'src/index.ts'))}\nawait startCalypsoMock()\nconsole.log('started')\n`)
  const child = spawn(process.execPath, ['--import', join(ROOT, 'test/support/ts-register.mjs'), script], { stdio: ['ignore', 'pipe', 'pipe'] })
  t.teardown(() => { child.kill('SIGKILL') })
  let stderr = ''
  const warned = new Promise<void>((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
      if (stderr.includes('CalypsoMockOpenWarning')) resolve()
    })
    child.on('exit', (code) => reject(new Error(`exited with ${code} before the warning: ${stderr}`)))
  })
  await warned
  t.match(stderr, /CalypsoMockOpenWarning: the calypso-mock at http:\/\/127\.0\.0\.1:\d+ is still open and keeps this process alive; call close\(\)/)
})
