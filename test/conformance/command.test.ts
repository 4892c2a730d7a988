import t from 'tap'
import { CONFORMANCE_USAGE, conformanceCommand, EXIT_FAILED, EXIT_OK, EXIT_SKIPPED, EXIT_USAGE } from '../../src/cli/conformance.js'
import { build } from '../support/helper.js'
import { startServerProcess } from '../support/server-process.js'
import { listen, withoutMockControls, wrongServer } from '../support/conformance-targets.js'

function capture (env: Record<string, string> = {}) {
  let stdout = ''
  let stderr = ''
  return {
    io: { stdout: { write: (s: string) => { stdout += s } }, stderr: { write: (s: string) => { stderr += s } }, env },
    out: () => stdout,
    err: () => stderr
  }
}

t.test('without --base-url: a mock started in this process, checked, and exit 0', async (t) => {
  const c = capture()
  t.equal(await conformanceCommand([], c.io), EXIT_OK)
  t.match(c.out(), /^Target http:\/\/127\.0\.0\.1:\d+ is calypso-mock: its request journal \(GET \/_mock\/requests\) lists the transaction\/get for the random id [0-9a-f-]{36} just sent\n/, 'the first line names the target kind and why')
  t.match(c.out(), /\ncalypso-mock conformance, run [0-9a-f]{8}, against http:\/\/127\.0\.0\.1:\d+ as account 0xca11ab1e00000000000000000000000000000001\n/)
  t.match(c.out(), 'It will, in this order:\n  - POST /api/v1/customer-purse/transaction/get for a random id')
  t.match(c.out(), /\nPASS {2}webhooks: the retry ladder/)
  t.match(c.out(), /\nPASS {2}customers: create a customer/)
  t.notMatch(c.out(), /\nFAIL /)
  t.match(c.out(), /\nconformance passed: \d+ checks, \d+ passed, 0 failed/)
  t.equal(c.err(), '')
})

t.test('against a wrong server: FAIL lines and exit 1; credentials from the environment', async (t) => {
  const target = await wrongServer(t)
  const c = capture({ CALYPSO_ACCOUNT: target.account, CALYPSO_API_KEY: target.apiKey, CALYPSO_API_SECRET: target.apiSecret })
  t.equal(await conformanceCommand(['--base-url', target.baseUrl], c.io), EXIT_FAILED)
  t.match(c.out(), `against ${target.baseUrl} as account ${target.account}`)
  t.ok(c.out().startsWith(`Target ${target.baseUrl} is not calypso-mock (Calypso, or another server): GET /_mock/requests answered 404\n`), 'the first line')
  t.match(c.out(), '\nFAIL  authentication: an unknown api key is refused with 002: POST /api/v1/customer-purse/transaction/get: status: expected 400, got 200\n', 'the FAIL line says what drifted and where')
  t.match(c.out(), /\nSKIP {2}transactions: fake a deposit .*: skipped: needs the mock's controls \(GET \/_mock\/requests answered 404\)\n/)
  t.match(c.out(), /\nconformance FAILED: \d+ checks, \d+ passed, [1-9]\d* failed/)
  t.notMatch(c.out(), target.apiSecret, 'the secret is never printed')
})

t.test('--bail against a wrong server: the run stops at its first FAIL line, says so, and exits 1', async (t) => {
  const target = await wrongServer(t)
  const env = { CALYPSO_ACCOUNT: target.account, CALYPSO_API_KEY: target.apiKey, CALYPSO_API_SECRET: target.apiSecret }
  const whole = capture(env)
  t.equal(await conformanceCommand(['--base-url', target.baseUrl, '--reporter', 'json'], whole.io), EXIT_FAILED)
  const bailed = capture(env)
  t.equal(await conformanceCommand(['--base-url', target.baseUrl, '--reporter', 'json', '--bail'], bailed.io), EXIT_FAILED)

  const all = JSON.parse(whole.out()) as { bailed: boolean, results: Array<{ verdict: string, name: string }> }
  const cut = JSON.parse(bailed.out()) as { bailed: boolean, counts: { fail: number, total: number }, results: Array<{ verdict: string, name: string }> }
  const first = all.results.findIndex((r) => r.verdict === 'fail')
  t.equal(all.bailed, false)
  t.equal(cut.bailed, true)
  const named = (results: Array<{ verdict: string, name: string }>) => results.map((r) => `${r.verdict} ${r.name}`)
  t.ok(first >= 0, 'a whole run fails')
  t.same(named(cut.results), named(all.results.slice(0, first + 1)), 'the same checks as a whole run, up to and with its first failure, and none after')
  t.equal(cut.counts.fail, 1)
  t.ok(cut.counts.total < all.results.length, `fewer checks run: ${cut.counts.total} of ${all.results.length}`)
  t.match(bailed.err(), /\nconformance FAILED \(--bail: stopped at the first failure, later checks not run\): \d+ checks, \d+ passed, 1 failed/)
})

t.test('--bail against the mock: nothing fails, so every check runs', async (t) => {
  const c = capture()
  t.equal(await conformanceCommand(['--bail', '--reporter', 'json'], c.io), EXIT_OK)
  const report = JSON.parse(c.out()) as { bailed: boolean, counts: { pass: number, total: number } }
  t.equal(report.bailed, false)
  t.equal(report.counts.pass, report.counts.total)
  t.ok(report.counts.total >= 50, `every check ran: ${report.counts.total}`)
})

t.test('--dry-run prints the plan and sends nothing', async (t) => {
  let requests = 0
  const baseUrl = await listen(t, (_req, _body, res) => { requests += 1; res.writeHead(500).end() })
  const c = capture()
  t.equal(await conformanceCommand(['--dry-run', '--base-url', baseUrl, '--account', '0xca11ab1e00000000000000000000000000000001', '--api-key', 'k', '--api-secret', 's'], c.io), EXIT_OK)
  t.match(c.out(), /create 2 customers with email conformance\+[0-9a-f]{8}@calypso-mock\.invalid/)
  t.match(c.out(), 'It never moves funds; on any target but calypso-mock it never creates, changes or deletes a webhook subscription')
  t.match(c.out(), 'Nothing was sent.')
  t.equal(requests, 0)
})

t.test('usage mistakes exit 2 with the reason', async (t) => {
  const cases: Array<[string[], RegExp]> = [
    [['--base-url', 'http://127.0.0.1:1'], /--base-url needs --account \(or CALYPSO_ACCOUNT\), --api-key \(or CALYPSO_API_KEY\), --api-secret \(or CALYPSO_API_SECRET\)/],
    [['--base-url', 'ftp://example.com', '--account', 'a', '--api-key', 'k', '--api-secret', 's'], /--base-url must be an http\(s\) URL/],
    [['--timeout-ms', 'soon'], /--timeout-ms must be a whole number/],
    [['--bogus'], /Unknown option '--bogus'/],
    [['--account', 'not-an-account'], /the mock this run starts cannot take CALYPSO_ACCOUNT: must be 0x followed by 40 hex digits/],
    [['--target', 'prism'], /--target must be auto, mock or calypso, got "prism"/],
    [['--reporter', 'xml'], /--reporter must be text, json or junit, got "xml"/],
    [['--retry-scale', '0'], /--retry-scale must be a number above 0/],
    [['--retry-budget-ms', 'long'], /--retry-budget-ms must be a whole number/]
  ]
  for (const [argv, message] of cases) {
    const c = capture()
    t.equal(await conformanceCommand(argv, c.io), EXIT_USAGE, argv.join(' '))
    t.match(c.err(), message)
    t.equal(c.out(), '')
  }
})

t.test('--reporter json: the report on stdout, the target line and the summary on stderr', async (t) => {
  const c = capture()
  t.equal(await conformanceCommand(['--reporter', 'json'], c.io), EXIT_OK)
  const report = JSON.parse(c.out()) as { target: { kind: string, why: string }, ok: boolean, exitCode: number, counts: { total: number, pass: number }, results: Array<{ verdict: string }> }
  t.equal(report.target.kind, 'calypso-mock')
  t.match(report.target.why, /request journal/)
  t.same({ ok: report.ok, exitCode: report.exitCode }, { ok: true, exitCode: EXIT_OK })
  t.equal(report.results.length, report.counts.total)
  t.equal(report.counts.pass, report.counts.total)
  t.match(c.err(), /^Target http:\/\/127\.0\.0\.1:\d+ is calypso-mock: /)
  t.match(c.err(), /\nconformance passed: \d+ checks/)
})

t.test('--reporter junit against a target without /_mock: skipped testcases, and exit 3 (skips, no failure)', async (t) => {
  const app = await build(t)
  const target = await withoutMockControls(t, app)
  const c = capture({ CALYPSO_ACCOUNT: target.account, CALYPSO_API_KEY: target.apiKey, CALYPSO_API_SECRET: target.apiSecret })
  t.equal(await conformanceCommand(['--base-url', target.baseUrl, '--reporter', 'junit'], c.io), EXIT_SKIPPED)
  const xml = c.out()
  t.match(xml, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="calypso-mock conformance" tests="\d+" failures="0" skipped="[1-9]\d*"/)
  t.match(xml, '<property name="targetKind" value="other"/>')
  t.match(xml, '<property name="targetWhy" value="GET /_mock/requests answered 404"/>')
  t.match(xml, /<testcase classname="conformance\.webhooks" name="[^"]+">\n {6}<skipped message="skipped: needs the mock&apos;s controls|<skipped message="skipped: needs the mock's controls \(GET \/_mock\/requests answered 404\)"\/>/)
  t.match(c.err(), /conformance passed, with skips: .* exit 3\)/)
})

t.test('--reporter junit against a wrong server: a <failure> whose message is the first difference', async (t) => {
  const target = await wrongServer(t)
  const c = capture({ CALYPSO_ACCOUNT: target.account, CALYPSO_API_KEY: target.apiKey, CALYPSO_API_SECRET: target.apiSecret })
  t.equal(await conformanceCommand(['--base-url', target.baseUrl, '--reporter', 'junit'], c.io), EXIT_FAILED)
  t.match(c.out(), '<testcase classname="conformance.authentication" name="an unknown api key is refused with 002">\n      <failure message="POST /api/v1/customer-purse/transaction/get: status: expected 400, got 200">')
})

t.test('--help', async (t) => {
  const c = capture()
  t.equal(await conformanceCommand(['--help'], c.io), EXIT_OK)
  t.equal(c.out(), CONFORMANCE_USAGE)
})

t.test('the calypso-mock entry dispatches `conformance` and exits with its code', async (t) => {
  const dryRun = startServerProcess(t, {}, ['conformance', '--dry-run'])
  const mistake = startServerProcess(t, {}, ['conformance', '--bogus'])
  t.same(await dryRun.exited, [EXIT_OK, null])
  t.match(dryRun.output().stdout, /^calypso-mock conformance --dry-run: run [0-9a-f]{8} would, against a mock started in this process:\n/)
  t.same(await mistake.exited, [EXIT_USAGE, null])
})
