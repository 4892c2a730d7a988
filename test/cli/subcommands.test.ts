import t from 'tap'
import { runSubcommand, type SubcommandName } from '../../src/cli/subcommands.js'
import { ApiError, ErrorCode, Reason } from '../../src/errors.js'
import { build, createCustomer, signedPost, webhookConfig } from '../support/helper.js'
import { startReceiver } from '../support/webhook-receiver.js'

/** Runs a subcommand in this process, as `calypso-mock <name> ...` would, capturing what it prints. */
async function run (name: SubcommandName, argv: string[], options: { env?: NodeJS.ProcessEnv, signal?: AbortSignal, onLine?: (line: string) => void } = {}) {
  let stdout = ''
  let stderr = ''
  const code = await runSubcommand(name, argv, {
    stdout: { write: (text: string) => { stdout += text; for (const line of text.split('\n').filter(Boolean)) options.onLine?.(line) } },
    stderr: { write: (text: string) => { stderr += text } },
    env: options.env ?? {},
    signal: options.signal
  })
  return { code, stdout, stderr }
}

async function listening (t: Parameters<typeof build>[0], overrides: Parameters<typeof build>[1] = {}) {
  const app = await build(t, overrides)
  return { app, url: await app.listen({ port: 0, host: '127.0.0.1' }) }
}

/**
 * An address where nothing listens: port 2 is below the range the system hands out for port 0,
 * so no test can be listening there, and fetch does not refuse it as a "bad port" (as it does 1).
 */
const UNREACHABLE = 'http://127.0.0.1:2'

t.test('deposit prints the transaction, then each webhook attempt as it is delivered', async (t) => {
  const receiver = await startReceiver(t)
  const { app, url } = await listening(t, { webhook: webhookConfig(receiver.url) })
  const customer = await createCustomer(app)
  const { code, stdout, stderr } = await run('deposit', ['--customer', customer.id, '--currency', 'USDT_TRX', '--amount', '10', '--url', url])
  t.equal(stderr, '')
  t.equal(code, 0)
  const [first, ...attempts] = stdout.trim().split('\n')
  t.match(first, new RegExp(`^transaction [0-9a-f-]{36}: 10 USDT_TRX to customer ${customer.id}, CONFIRMED \\(compliance CHECKED\\), credited$`))
  t.equal(attempts.length, 4, 'one line per attempt')
  for (const [i, type] of ['MEM_POOL_FOUND', 'PENDING_COMPLIANCE', 'FUNDS_RECEIVED_FOR_PURSE', 'TRANSLATION_TO_ACCOUNT_COMPLETED'].entries()) {
    t.match(attempts[i], new RegExp(`webhook  CUSTOMER_PURSE_${type}  customer ${customer.id}  delivered HTTP 200  \\d+ ms  \\(delivery \\d+, attempt 1\\)`))
  }

  const declined = await run('deposit', ['--customer', customer.id, '--currency', 'BTC', '--amount', '1', '--outcome', 'DECLINED', '--url', url])
  t.match(declined.stdout, /DECLINED \(compliance DECLINE\)/)
  t.match(declined.stdout, /CUSTOMER_PURSE_COMPLIANCE_DECLINED/)

  const skipped = await run('deposit', ['--customer', customer.id, '--currency', 'ETH', '--amount', '1', '--skip-mem-pool-found', '--url', url])
  t.equal(skipped.code, 0)
  t.notMatch(skipped.stdout, /MEM_POOL_FOUND {2}customer/, '--skip-mem-pool-found: no MEM_POOL_FOUND webhook')
  t.match(skipped.stdout, /CUSTOMER_PURSE_TRANSLATION_TO_ACCOUNT_COMPLETED/)
})

t.test('deposit: the mock\'s refusal, a missing flag, and no subscription', async (t) => {
  const { app, url } = await listening(t)
  const customer = await createCustomer(app)
  const bad = await run('deposit', ['--customer', customer.id, '--currency', 'USDT_TRX', '--amount', 'ten', '--url', url])
  t.equal(bad.code, 1)
  t.match(bad.stderr, /^calypso-mock deposit: the mock refused POST \/_mock\/deposits: 001 Bad request: amount: /)
  const missing = await run('deposit', ['--customer', customer.id, '--url', url])
  t.same([missing.code, missing.stderr], [1, 'calypso-mock deposit: --currency is required\n'])
  const unknown = await run('deposit', ['--customer', customer.id, '--colour', 'red'])
  t.match(unknown.stderr, /^calypso-mock deposit: Unknown option '--colour'/)
  const quiet = await run('deposit', ['--customer', customer.id, '--currency', 'ETH', '--amount', '1', '--url', url])
  t.equal(quiet.code, 0)
  t.match(quiet.stdout, /no webhook subscription receives these events/)
})

t.test('events --follow prints one line per delivery attempt and per refused API call, as they happen', async (t) => {
  const receiver = await startReceiver(t)
  const { app, url } = await listening(t, { webhook: webhookConfig(receiver.url) })
  receiver.answer((_request, index) => (index === 0 ? 500 : 200))
  const customer = await createCustomer(app)
  const stop = new AbortController()
  const lines: string[] = []
  let notify = () => {}
  const following = run('events', ['--follow', '--url', url], { signal: stop.signal, onLine: (line) => { lines.push(line); notify() } })
  const until = (predicate: () => boolean) => new Promise<void>((resolve) => { notify = () => { if (predicate()) resolve() }; notify() })

  // Wait until the stream is open: its first client appears on the hub.
  while (app.live.clients() === 0) await new Promise((resolve) => setImmediate(resolve))
  await signedPost(app, 'customer-purse/customer/create', {}, { headers: { key: 'nobody-has-this-key' } })
  await app.inject({ method: 'POST', url: '/_mock/deposits', payload: { customerId: customer.id, currency: 'TRX', amount: 2, stopAt: 'MEM_POOL_FOUND' } })
  await until(() => lines.filter((l) => l.includes('delivered HTTP 200')).length === 1)
  stop.abort()
  const { code } = await following
  t.equal(code, 0)
  t.match(lines[0], /^\d\d:\d\d:\d\d\.\d{3} {2}refused {2}/)
  t.equal(lines[0]!.slice(14), `refused  POST /api/v1/customer-purse/customer/create  002  HTTP 400  key: ${new ApiError(ErrorCode.INVALID_API_KEY, Reason.keyUnknown('nobody-has-this-key')).message}`)
  t.match(lines[1], new RegExp(`webhook  CUSTOMER_PURSE_MEM_POOL_FOUND  customer ${customer.id}  failed HTTP 500: only 200 completes a delivery  \\d+ ms  \\(delivery \\d+, attempt 1, retry at `))
  t.match(lines[2], new RegExp(`webhook  CUSTOMER_PURSE_MEM_POOL_FOUND  customer ${customer.id}  delivered HTTP 200  \\d+ ms  \\(delivery \\d+, attempt 2\\)`))

  // The history has the same lines; the retry time is told only while a retry is due.
  const latest = await run('events', ['--url', url])
  const same = (l: string) => l.replace(/, retry at [\d:.]+/, '')
  t.same(latest.stdout.trim().split('\n'), lines.map(same), 'without --follow: the same lines, from the history')
})

t.test('customers lists the stored customers; --search narrows them', async (t) => {
  const { app, url } = await listening(t)
  const alice = await createCustomer(app, { email: 'alice@example.com', externalId: 'a-1' })
  await createCustomer(app, { email: 'bob@example.com' })
  await signedPost(app, 'customer-purse/customer/block', { customerId: alice.id })
  const all = await run('customers', ['--url', url])
  t.equal(all.code, 0)
  const [header, ...rows] = all.stdout.trim().split('\n')
  t.match(header, /^ID +EMAIL +EXTERNAL ID +BLOCKED +ACCOUNT +CREATED$/)
  t.match(rows, [/bob@example\.com +- +no /, new RegExp(`^${alice.id}  alice@example\\.com +a-1 +yes `)])
  const found = await run('customers', ['--search', 'ALICE', '--url', url])
  t.equal(found.stdout.trim().split('\n').length, 2)
  t.same(JSON.parse((await run('customers', ['--json', '--limit', '1', '--url', url])).stdout).customers.length, 1)
})

t.test('every command needs the admin token of a locked mock, and says so', async (t) => {
  const { url } = await listening(t, { adminToken: 'cli-admin-token' })
  for (const name of ['customers', 'events', 'deposit', 'snapshot'] as const) {
    const argv = { deposit: ['--customer', 'c', '--currency', 'BTC', '--amount', '1'], snapshot: ['list'] }[name as string] ?? []
    argv.push('--url', url)
    const refused = await run(name, argv)
    t.same([refused.code, refused.stderr], [1, `calypso-mock ${name}: the mock at ${url} wants its admin token: pass --admin-token (or set MOCK_ADMIN_TOKEN)\n`], name)
  }
  t.equal((await run('customers', ['--url', url, '--admin-token', 'cli-admin-token'])).code, 0, 'the flag')
  t.equal((await run('customers', ['--url', url], { env: { MOCK_ADMIN_TOKEN: 'cli-admin-token' } })).code, 0, 'or the variable')
  t.match((await run('customers', ['--url', url, '--admin-token', 'wrong-token'])).stderr, /the one given was refused/)
})

t.test('every command exits 1 with a clear message when the mock is unreachable', async (t) => {
  const url = UNREACHABLE
  for (const name of ['customers', 'events', 'deposit', 'snapshot'] as const) {
    const argv = { deposit: ['--customer', 'c', '--currency', 'BTC', '--amount', '1'], snapshot: ['list'] }[name as string] ?? []
    argv.push('--url', url)
    const { code, stdout, stderr } = await run(name, argv)
    t.same([code, stdout, stderr], [1, '', `calypso-mock ${name}: cannot reach the mock at ${url}: ECONNREFUSED (is it running? point --url at it)\n`], name)
  }
})
