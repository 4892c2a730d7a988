import { spawn } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t, { type Test } from 'tap'
import { killAfter, scratchDir } from '../support/scratch.js'
import { fileTimeout } from '../support/time-scale.js'

// A build in a fresh clone, then a type-check and three programs: minutes on a busy runner.
fileTimeout(420_000)

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc')

/** Runs a command to its end without blocking this process (tap's timeout and the cleanup on exit stay live); rejects with its output. */
function run (t: Test, command: string, args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    // Its own process group, so that killing it kills what it starts (npm pack runs a build).
    const child = killAfter(t, spawn(command, args, { cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] }))
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk })
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk })
    child.on('error', reject)
    child.on('close', (code, signal) => {
      if (code === 0) resolve(stdout)
      else reject(new Error(`${command} ${args.join(' ')}: exited with ${code ?? signal}\n${stdout}${stderr}`))
    })
  })
}

interface PackResult {
  filename: string
  files: Array<{ path: string }>
  size: number
  unpackedSize: number
}

/**
 * Packs a fresh checkout of the repository, which has no dist/: `npm pack` must build it through
 * `prepare`, as `npm install github:...` does. The checkout holds what a commit of the working tree
 * would (git's tracked and not-ignored files, as they are now), so uncommitted work is what gets
 * tested. It borrows the repository's node_modules instead of installing (better-sqlite3 would
 * compile for minutes).
 */
async function cloneAndPack (t: Test, scratch: string): Promise<PackResult> {
  const clone = join(scratch, 'clone')
  const files = (await run(t, 'git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], ROOT)).split('\0')
  for (const file of files) {
    if (file === '' || !existsSync(join(ROOT, file))) continue
    mkdirSync(dirname(join(clone, file)), { recursive: true })
    copyFileSync(join(ROOT, file), join(clone, file))
  }
  t.notOk(existsSync(join(clone, 'dist')), 'a fresh clone has no dist/')
  symlinkSync(join(ROOT, 'node_modules'), join(clone, 'node_modules'), 'dir')
  const started = performance.now()
  const [packed] = JSON.parse(await run(t, 'npm', ['pack', '--json', '--pack-destination', scratch], clone)) as PackResult[]
  t.comment(`npm pack in a fresh clone (prepare builds): ${Math.round(performance.now() - started)} ms`)
  return packed!
}

/**
 * What `npm install ./calypso-mock-x.tgz` would leave: the package in the project's node_modules,
 * beside links to the repository's installed packages (better-sqlite3 would compile for minutes).
 */
async function installTarball (t: Test, scratch: string, tarball: string): Promise<string> {
  const modules = join(scratch, 'node_modules')
  mkdirSync(modules)
  for (const entry of readdirSync(join(ROOT, 'node_modules'))) {
    if (entry !== 'calypso-mock' && !entry.startsWith('.')) symlinkSync(join(ROOT, 'node_modules', entry), join(modules, entry), 'dir')
  }
  const installed = join(modules, 'calypso-mock')
  mkdirSync(installed)
  await run(t, 'tar', ['xzf', tarball, '-C', installed, '--strip-components=1'], scratch)
  writeFileSync(join(scratch, 'package.json'), JSON.stringify({ name: 'merchant', type: 'module', private: true }))
  return installed
}

const MERCHANT_SCRIPT = `
import { createServer } from 'node:http'
import { startCalypsoMock, verifyWebhook, CalypsoError } from 'calypso-mock'

async function blockedDeposit (mock) {
  const customer = await mock.request('customer-purse/customer/create', { email: 'dave@example.com' })
  await mock.request('customer-purse/customer/block', { customerId: customer.id })
  const tx = await mock.deposit({ customerId: customer.id, currency: 'BTC', amount: 0.25 })
  const event = await mock.waitForWebhook({ transactionId: tx.id, eventType: 'CUSTOMER_PURSE_FUNDS_RECEIVED_FOR_PURSE' })
  return event.data.customerBlocked
}

// The built-in receiver.
const mock = await startCalypsoMock()
let builtIn
try {
  builtIn = { blocked: await blockedDeposit(mock) }
  builtIn.errorCode = await mock.request('customer-purse/customer/block', { customerId: '3fa85f64-5717-4562-b3fc-2c963f66afa6' })
    .catch((err) => err instanceof CalypsoError ? err.errorCode : String(err))
} finally {
  await mock.close()
}

// The merchant's own receiver, verifying every delivery over its raw bytes.
const secret = 'merchant-webhook-secret'
const verdicts = []
const receiver = createServer((req, res) => {
  const chunks = []
  req.on('data', (chunk) => chunks.push(chunk))
  req.on('end', () => {
    const ok = verifyWebhook(Buffer.concat(chunks), req.headers, secret)
    verdicts.push(ok)
    res.statusCode = ok ? 200 : 401
    res.end()
  })
})
await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve))
const own = await startCalypsoMock({ webhookUrl: 'http://127.0.0.1:' + receiver.address().port + '/hooks', webhookPublicKey: 'merchant-webhook-key', webhookSecretKey: secret })
let ownReceiver
try {
  ownReceiver = { blocked: await blockedDeposit(own) }
} finally {
  await own.close()
  receiver.closeAllConnections()
  receiver.close()
}
ownReceiver.verified = verdicts.length > 0 && verdicts.every(Boolean)
console.log(JSON.stringify({ builtIn, ownReceiver }))
`

const MERCHANT_CJS = `
const { startCalypsoMock, CalypsoError } = require('calypso-mock')

async function main () {
  const mock = await startCalypsoMock()
  try {
    const customer = await mock.request('customer-purse/customer/create', {})
    const tx = await mock.deposit({ customerId: customer.id, currency: 'USDT_TRX', amount: 3 })
    const event = await mock.waitForWebhook({ transactionId: tx.id, eventType: 'CUSTOMER_PURSE_TRANSLATION_TO_ACCOUNT_COMPLETED' })
    const errorCode = await mock.request('customer-purse/customer/block', { customerId: '3fa85f64-5717-4562-b3fc-2c963f66afa6' })
      .catch((err) => err instanceof CalypsoError ? err.errorCode : String(err))
    console.log(JSON.stringify({ level: event.level, errorCode }))
  } finally {
    await mock.close()
  }
}
main()
`

const MERCHANT_TS = `
import { createServer } from 'node:http'
import { startCalypsoMock, signRequest, verifyWebhook, CalypsoError, type CalypsoMock, type CalypsoMockOptions, type WebhookDelivery, type WebhookEvent } from 'calypso-mock'

const options: CalypsoMockOptions = { webhookRetryScale: 0.01, seed: 'types' }
await using mock: CalypsoMock = await startCalypsoMock(options)
const event: WebhookEvent = await mock.waitForWebhook((e) => e.data.customerBlocked, { timeout: 10 })
const blocked: boolean = event.data.customerBlocked
const deliveries: WebhookDelivery[] = await mock.deliveries({ status: 'failed', limit: 5 })
const sign: string = signRequest('{}', mock.apiSecret)
createServer((req) => { const ok: boolean = verifyWebhook('{}', req.headers, mock.webhookSecret); void ok })
const code: string | undefined = (null as unknown) instanceof CalypsoError ? 'x' : undefined
const customer = await mock.request('customer-purse/customer/create', { email: 'types@example.com' })
const id: string = customer.id
// @ts-expect-error a deposit needs its currency: the types are not any
await mock.deposit({ customerId: 'c', amount: 1 })
// @ts-expect-error a misspelt currency
await mock.deposit({ customerId: 'c', currency: 'USDT_TRN', amount: 1 })
// @ts-expect-error a misspelt event type
await mock.waitForWebhook({ eventType: 'CUSTOMER_PURSE_FUNDS_RECIEVED_FOR_PURSE' })
// @ts-expect-error a misspelt path
await mock.request('customer-purse/customer/craete', {})
void [blocked, deliveries, sign, code, id]
`

t.test('the packed package works in a merchant\'s project', async (t) => {
  const scratch = scratchDir(t, 'pack')
  const packed = await cloneAndPack(t, scratch)
  const files = packed.files.map((f) => f.path)
  t.comment(`${packed.filename}: ${files.length} files, ${packed.size} bytes packed, ${packed.unpackedSize} unpacked`)
  for (const expected of ['package.json', 'README.md', 'openapi.yaml', 'openapi-mock.yaml', 'dist/index.js', 'dist/index.d.ts', 'dist/server.js', 'dist/testing/start-calypso-mock.d.ts']) {
    t.ok(files.includes(expected), `the tarball has ${expected}`)
  }
  const migrations = readdirSync(join(ROOT, 'migrations')).filter((f) => f.endsWith('.sql'))
  t.ok(migrations.length > 0)
  t.same(files.filter((f) => f.startsWith('migrations/')).sort(), migrations.map((f) => `migrations/${f}`).sort(), 'every migration, nothing else')
  t.same(files.filter((f) => !/^(dist|migrations)\//.test(f)).sort(), ['README.md', 'openapi-mock.yaml', 'openapi.yaml', 'package.json'], 'no sources, tests, benchmarks or examples')
  t.ok(packed.size < 500_000, 'a small tarball')
  t.notOk(files.some((f) => f.startsWith('dist/calypso-mock.cjs')), 'without the server bundle and its code cache: the library does not use them')

  const installed = await installTarball(t, scratch, join(scratch, packed.filename))
  t.test('the bin starts without the bundle', async (t) => {
    const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version
    t.equal((await run(t, process.execPath, [join(installed, 'dist', 'server.js'), '--version'], scratch)).trim(), version)
  })
  t.test('a merchant\'s script imports it by name and runs a blocked-customer deposit', async (t) => {
    writeFileSync(join(scratch, 'merchant.test.mjs'), MERCHANT_SCRIPT)
    const result = JSON.parse((await run(t, process.execPath, ['merchant.test.mjs'], scratch)).trim()) as unknown
    t.same(result, { builtIn: { blocked: true, errorCode: '004' }, ownReceiver: { blocked: true, verified: true } })
  })

  t.test('a CommonJS project requires it', async (t) => {
    const project = join(scratch, 'cjs-project')
    mkdirSync(project)
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'merchant-cjs', private: true }))
    writeFileSync(join(project, 'merchant.js'), MERCHANT_CJS)
    t.same(JSON.parse((await run(t, process.execPath, ['merchant.js'], project)).trim()), { level: 'SUCCESS', errorCode: '004' })
  })

  t.test('the shipped types check a merchant\'s TypeScript (NodeNext)', async (t) => {
    writeFileSync(join(scratch, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', lib: ['ES2022', 'ESNext.Disposable'], strict: true, noEmit: true, skipLibCheck: false, types: ['node'], typeRoots: [join(ROOT, 'node_modules/@types')] },
      files: ['merchant.ts']
    }))
    writeFileSync(join(scratch, 'merchant.ts'), MERCHANT_TS)
    t.equal(await run(t, process.execPath, [TSC, '-p', 'tsconfig.json'], scratch), '', 'tsc finds no error')
  })

  t.test('the bin named in the packed package.json runs', async (t) => {
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { version: string, bin: Record<string, string> }
    const bin = join(installed, manifest.bin['calypso-mock']!)
    t.equal(readFileSync(bin, 'utf8').split('\n')[0], '#!/usr/bin/env node')
    t.match(await run(t, process.execPath, [bin, '--help'], scratch), /--webhook-url <value> +Subscribe every account/)
    t.equal(await run(t, process.execPath, [bin, '--version'], scratch), `${manifest.version}\n`)
  })
})
