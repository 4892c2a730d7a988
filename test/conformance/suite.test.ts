import { randomUUID } from 'node:crypto'
import t from 'tap'
import type { CheckResult } from '../../src/conformance/check.js'
import { formatResult } from '../../src/conformance/reporter.js'
import { runConformance, type ConformanceReport } from '../../src/conformance/runner.js'
import { newRunIdentity } from '../../src/conformance/scenario.js'
import { build, webhookConfig } from '../support/helper.js'
import { listeningMock, staticExampleServer, withoutMockControls, wrongServer, type Intercept } from '../support/conformance-targets.js'

const RETRY_SCALE = 0.001

function find (report: ConformanceReport, scenario: string, name: RegExp): CheckResult {
  const found = report.results.find((r) => r.scenario === scenario && name.test(r.name))
  if (found === undefined) throw new Error(`no check ${scenario}: ${name}`)
  return found
}

const shown = (results: CheckResult[]) => results.map(formatResult)

t.test('against the mock, over HTTP: every check passes, webhooks and deposit steps included', async (t) => {
  const app = await build(t, { webhook: webhookConfig(undefined, { retryScale: RETRY_SCALE }) })
  const report = await runConformance({ target: await listeningMock(app), retryScale: RETRY_SCALE })

  t.ok(report.target.isMock, 'the target is recognised as the mock')
  t.match(report.target.why, /^its request journal \(GET \/_mock\/requests\) lists the transaction\/get for the random id [0-9a-f-]{36} just sent$/)
  t.same(shown(report.results.filter((r) => r.verdict !== 'pass')), [], 'every check passes: none fails, none is skipped, none is a known drift or a note')
  t.ok(report.results.filter((r) => r.scenario === 'webhooks').length >= 9, 'the webhook checks ran')
  t.ok(report.results.filter((r) => r.scenario === 'edges').length >= 12, 'the edge checks ran')

  const { customers } = (await app.inject({ method: 'GET', url: '/_mock/customers' })).json() as { customers: Array<{ email: string, description: string }> }
  t.ok(customers.length >= 3)
  for (const c of customers) {
    t.equal(c.email, `conformance+${report.identity.runId}@calypso-mock.invalid`, 'every customer it made is marked by its email')
    t.match(c.description, `conformance run ${report.identity.runId}`, 'and by its description')
  }
  const { subscriptions } = (await app.inject({ method: 'GET', url: '/_mock/subscriptions' })).json() as { subscriptions: unknown[] }
  t.same(subscriptions, [], 'the subscriptions it made are deleted at the end')
})

t.test('against a server that answers the wrong shapes: the first FAIL line says what drifted and where', async (t) => {
  const identity = newRunIdentity('0badc0de')
  const report = await runConformance({ target: await wrongServer(t), identity })
  t.notOk(report.ok, 'the run fails')
  t.notOk(report.target.isMock)

  const create = find(report, 'customers', /^create a customer/)
  t.equal(create.verdict, 'fail')
  t.same([...create.differences].sort(), [
    `$.email: expected "${identity.email}", got "someone@example.com"`,
    `$.description: expected "${identity.description}", got null`,
    `$.externalId: expected "${identity.externalId}", got nothing (missing)`,
    '$.blocked: expected false, got "false"',
    'contract: POST /api/v1/customer-purse/customer/create 200: $.blocked: expected boolean, got string'
  ].sort(), 'each mistyped field by its JSON path, from the contract and from the expectation')
  const printed = formatResult(create).split('\n')
  t.match(printed[0], /^FAIL {2}customers: create a customer[^:]*: /, 'printed as a FAIL line')
  t.equal(printed[0], `FAIL  customers: ${create.name}: ${create.differences[0] ?? ''}`, 'whose first difference is on the FAIL line itself')
  t.same(printed.slice(1, -1), create.differences.slice(1).map((d) => `      ${d}`), 'and the others under it')

  const address = find(report, 'purses', /^address\/get ETH: a purse id/)
  t.same(address.differences, [
    '$: expected an object, got no JSON',
    'contract: POST /api/v1/customer-purse/address/get 200: body: expected JSON, got "0x0000000000000000000000000000000000000000"'
  ], 'a body that is not JSON: the expectation first, then the contract')

  const unknownKey = find(report, 'authentication', /unknown api key/)
  t.ok(unknownKey.differences.includes('POST /api/v1/customer-purse/transaction/get: status: expected 400, got 200'), 'the status, with the call')
  t.ok(unknownKey.differences.includes('contract: POST /api/v1/customer-purse/transaction/get 200: $.transactionState: missing (required)'), 'and the 200 body against the pinned Transaction')

  const uppercase = find(report, 'authentication', /uppercase Sign/)
  t.equal(uppercase.verdict, 'fail', 'marks never excuse a difference from the contract: this answer is a 200 with a wrong body')
})

t.test('a target without /_mock: the checks that need the mock\'s controls are skipped, with why', async (t) => {
  const app = await build(t)
  const report = await runConformance({ target: await withoutMockControls(t, app) })

  t.notOk(report.target.isMock)
  t.equal(report.target.why, 'GET /_mock/requests answered 404')
  const skipped = report.results.filter((r) => r.verdict === 'skip')
  t.ok(skipped.length >= 20, 'deposits, the second account, webhooks')
  for (const r of skipped) {
    t.ok(r.needsDeposit, `${r.name} needs the mock's controls`)
    t.equal(r.note, 'skipped: needs the mock\'s controls (GET /_mock/requests answered 404)')
  }
  t.ok(skipped.some((r) => r.scenario === 'webhooks'), 'the webhook checks among them')
  t.same(shown(report.results.filter((r) => r.verdict === 'fail')), [], 'nothing fails')
  t.ok(report.ok)
  const { transactions } = (await app.inject({ method: 'GET', url: '/_mock/transactions' })).json() as { transactions: unknown[] }
  t.same(transactions, [], 'no deposit was made')
})

t.test('a static example server (Prism on openapi.yaml and openapi-mock.yaml, /_mock included) is not taken for the mock', async (t) => {
  const report = await runConformance({ target: await staticExampleServer(t) })
  t.notOk(report.target.isMock)
  t.match(report.target.why, /^GET \/_mock\/requests answered 200 without the transaction\/get for the random id [0-9a-f-]{36} just sent: a static mock/)
  t.ok(report.results.filter((r) => r.needsDeposit).every((r) => r.verdict === 'skip'), 'no mock-only check runs against its examples')
  t.notOk(report.ok, 'and its static answers fail the API checks')
  t.ok(report.results.some((r) => r.verdict === 'fail' && r.scenario === 'authentication'), 'it accepts what Calypso refuses')
})

t.test('a target that differs from a choice of the mock: a NOTE that says what it does, not a failure', async (t) => {
  const app = await build(t)
  const seen = new Set<string>()
  // This target refuses a second customer with the same externalId, where the mock accepts it.
  const refuseDuplicates: Intercept = (url, body) => {
    if (url !== '/api/v1/customer-purse/customer/create') return undefined
    const { payload } = JSON.parse(body.toString()) as { payload: { externalId?: string } }
    if (payload.externalId === undefined || !seen.has(payload.externalId)) {
      if (payload.externalId !== undefined) seen.add(payload.externalId)
      return undefined
    }
    return { status: 400, json: { errorCode: '001', message: 'Bad request: externalId already exists', traceId: randomUUID() } }
  }
  const report = await runConformance({ target: await withoutMockControls(t, app, refuseDuplicates) })
  const second = find(report, 'customers', /^create a second customer/)
  t.equal(second.verdict, 'note')
  t.same(second.differences, ['POST /api/v1/customer-purse/customer/create: status: expected 200, got 400 (errorCode 001: Bad request: externalId already exists)'])
  t.match(formatResult(second), /^NOTE {2}customers: create a second customer.*: POST .*\n {6}not a failure: the target differs from the mock's own choice \(the docs are silent on uniqueness/)
  t.same(shown(report.results.filter((r) => r.verdict === 'fail')), [], 'and nothing fails for it')
})

t.test('extra response fields: a NOTE from another target, never a FAIL', async (t) => {
  const app = await build(t)
  const addField: Intercept = (url) => url === '/api/v1/subscription/webhook' ? { status: 200, json: { subscriptions: [], nextPageToken: null } } : undefined
  const report = await runConformance({ target: await withoutMockControls(t, app, addField) })
  const list = find(report, 'webhook subscriptions', /subscription list/)
  t.equal(list.verdict, 'note')
  t.same(list.differences, ['POST /api/v1/subscription/webhook 200: $.nextPageToken is not in Calypso\'s published schema'])
  t.match(formatResult(list), /not a failure: extra fields: Calypso tells clients to ignore fields they do not know/)
  t.ok(report.ok)
})

t.test('--target calypso and --target mock are taken at their word', async (t) => {
  const app = await build(t)
  const target = await listeningMock(app)
  const calypso = await runConformance({ target, kind: 'calypso' })
  t.same({ isMock: calypso.target.isMock, why: calypso.target.why }, { isMock: false, why: 'as told by --target calypso' })
  t.ok(calypso.results.filter((r) => r.needsDeposit).every((r) => r.verdict === 'skip'))
  const mock = await runConformance({ target: await staticExampleServer(t), kind: 'mock', scenarios: [] })
  t.same({ isMock: mock.target.isMock, why: mock.target.why }, { isMock: true, why: 'as told by --target mock' })
})

t.test('a mock with MOCK_ADMIN_TOKEN: the mock-only checks need the token, and say so without it', async (t) => {
  const app = await build(t, { adminToken: 'conformance-admin-token', webhook: webhookConfig(undefined, { retryScale: RETRY_SCALE }) })
  const target = await listeningMock(app)
  const without = await runConformance({ target })
  t.equal(without.target.noDeposits, 'GET /_mock/requests answered 401; give --admin-token when the mock has MOCK_ADMIN_TOKEN')
  t.ok(without.results.filter((r) => r.needsDeposit).every((r) => r.verdict === 'skip'))
  const withToken = await runConformance({ target: { ...target, adminToken: 'conformance-admin-token' }, retryScale: RETRY_SCALE })
  t.ok(withToken.target.isMock)
  t.same(shown(withToken.results.filter((r) => r.verdict !== 'pass')), [], 'every check runs and passes')
})
