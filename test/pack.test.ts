import { execFileSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const run = (command: string, args: string[], cwd = ROOT) => execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })

t.test('the packed package works in a merchant\'s project', async (t) => {
  // The scratch project lives inside the repository, so the package's dependencies resolve from
  // its node_modules instead of being installed (better-sqlite3 would compile for minutes).
  mkdirSync(join(ROOT, 'tmp'), { recursive: true })
  const scratch = mkdtempSync(join(ROOT, 'tmp', 'pack-test-'))
  t.teardown(() => rmSync(scratch, { recursive: true, force: true }))

  // Build and pack a copy, so tests that run the repository's dist/ at the same time are not disturbed.
  const staging = join(scratch, 'staging')
  mkdirSync(staging)
  for (const entry of ['package.json', 'README.md', 'openapi.yaml', 'migrations']) cpSync(join(ROOT, entry), join(staging, entry), { recursive: true })
  run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', join(staging, 'dist')])
  const [packed] = JSON.parse(run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', scratch], staging)) as Array<{ filename: string, files: Array<{ path: string }>, size: number }>
  const files = packed!.files.map((f) => f.path)
  for (const expected of ['package.json', 'dist/index.js', 'dist/index.d.ts', 'dist/server.js', 'migrations/001.do.accounts.sql', 'openapi.yaml', 'README.md']) {
    t.ok(files.includes(expected), `the tarball has ${expected}`)
  }
  t.notOk(files.some((f) => f.startsWith('src/') || f.startsWith('test/') || f.startsWith('bench/')), 'no sources, tests or benchmarks')
  t.ok(packed!.size < 500_000, `${files.length} files, ${packed!.size} bytes`)

  const installed = join(scratch, 'node_modules', 'calypso-mock')
  mkdirSync(installed, { recursive: true })
  run('tar', ['xzf', join(scratch, packed!.filename), '-C', installed, '--strip-components=1'])
  writeFileSync(join(scratch, 'package.json'), JSON.stringify({ name: 'merchant', type: 'module', private: true }))

  writeFileSync(join(scratch, 'merchant.test.mjs'), `
import { startCalypsoMock, verifyWebhook, signRequest } from 'calypso-mock'
const mock = await startCalypsoMock()
try {
  const customer = await mock.request('customer-purse/customer/create', { email: 'dave@example.com' })
  await mock.request('customer-purse/customer/block', { customerId: customer.id })
  await mock.deposit({ customerId: customer.id, currency: 'BTC', amount: 0.25 })
  const event = await mock.waitForWebhook((e) => e.eventType === 'CUSTOMER_PURSE_FUNDS_RECEIVED_FOR_PURSE')
  const body = JSON.stringify(event)
  console.log(JSON.stringify({ blocked: event.data.customerBlocked, customer: event.data.customerId === customer.id, verify: verifyWebhook(body, { sign: signRequest(body, mock.webhookSecret) }, mock.webhookSecret) }))
} finally {
  await mock.close()
}
`)
  const result = JSON.parse(run(process.execPath, ['merchant.test.mjs'], scratch).trim())
  t.same(result, { blocked: true, customer: true, verify: true })

  writeFileSync(join(scratch, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', strict: true, noEmit: true, skipLibCheck: false, types: ['node'], typeRoots: [join(ROOT, 'node_modules/@types')] }, files: ['merchant.ts'] }))
  writeFileSync(join(scratch, 'merchant.ts'), `
import { startCalypsoMock, type CalypsoMock, type WebhookEvent } from 'calypso-mock'
const mock: CalypsoMock = await startCalypsoMock({ webhookRetryScale: 0.01 })
const event: WebhookEvent = await mock.waitForWebhook((e) => e.eventType === 'CUSTOMER_PURSE_EXPIRED', { timeout: 10 }).catch(() => ({ requestId: '', id: 0, createdDate: '', level: 'INFO', service: '', eventType: '', data: {} }))
const blocked: boolean | undefined = event.data.customerBlocked
void blocked
await mock.close()
`)
  t.doesNotThrow(() => run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], scratch), 'the shipped types check a merchant\'s TypeScript')

  const help = run(process.execPath, [join(installed, 'dist/server.js'), '--help'], scratch)
  t.match(help, /--webhook-url <value>/)
})
