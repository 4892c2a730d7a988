import { randomUUID } from 'node:crypto'
import t from 'tap'
import type { CheckResult } from '../../src/conformance/check.js'
import { formatResult } from '../../src/conformance/reporter.js'
import { runConformance, type ConformanceReport } from '../../src/conformance/runner.js'
import { newRunIdentity } from '../../src/conformance/scenario.js'
import { build } from '../support/helper.js'
import { listeningMock, withoutMockControls, wrongServer, type Intercept } from '../support/conformance-targets.js'

function find (report: ConformanceReport, scenario: string, name: RegExp): CheckResult {
  const found = report.results.find((r) => r.scenario === scenario && name.test(r.name))
  if (found === undefined) throw new Error(`no check ${scenario}: ${name}`)
  return found
}

t.test('against the mock, over HTTP: every check passes, deposit steps included', async (t) => {
  const app = await build(t)
  const report = await runConformance({ target: await listeningMock(app) })

  t.ok(report.target.isMock, 'the probe recognises the mock')
  t.same(report.results.filter((r) => r.verdict === 'fail').map(formatResult), [], 'no check fails')
  t.same(report.results.filter((r) => r.verdict === 'skip').map(formatResult), [], 'nothing is skipped: the deposit steps run')
  t.ok(report.results.filter((r) => r.needsDeposit).length >= 4, 'the deposit steps are among them')
  t.same(report.results.filter((r) => r.verdict === 'drift' || r.marks.knownDrift !== undefined).map(formatResult), [], 'the mock has no known drift left')
  t.ok(report.ok, 'the run passes')
  t.equal(report.counts.total, report.counts.pass, 'every check passed')

  const { customers } = (await app.inject({ method: 'GET', url: '/_mock/customers' })).json() as { customers: Array<{ email: string, description: string }> }
  t.equal(customers.length, 2, 'it created exactly the two customers it announced')
  for (const c of customers) {
    t.equal(c.email, `conformance+${report.identity.runId}@calypso-mock.invalid`, 'marked as conformance data by its email')
    t.match(c.description, `conformance run ${report.identity.runId}`, 'and by its description')
  }
})

t.test('against a server that answers the wrong shapes: FAIL lines with the differences, and the run fails', async (t) => {
  const identity = newRunIdentity('0badc0de')
  const report = await runConformance({ target: await wrongServer(t), identity })
  t.notOk(report.ok, 'the run fails')

  const create = find(report, 'customers', /^create a customer/)
  t.equal(create.verdict, 'fail')
  t.same([...create.differences].sort(), [
    `$.email: expected "${identity.email}", got "someone@example.com"`,
    `$.description: expected "${identity.description}", got null`,
    `$.externalId: expected "${identity.externalId}", got nothing (missing)`,
    '$.blocked: expected false, got "false"',
    'schema 200: $.externalId: missing (required)',
    'schema 200: $.blocked: expected boolean, got string'
  ].sort(), 'each missing or mistyped field by its JSON path, from the schema and from the expectation')
  const printed = formatResult(create).split('\n')
  t.match(printed[0], /^FAIL {2}customers: create a customer/, 'printed as a FAIL line')
  t.same(printed.slice(1, -1), create.differences.map((d) => `      ${d}`), 'with each difference under it')

  const address = find(report, 'purses', /^address\/get ETH: a purse id/)
  t.equal(address.verdict, 'fail')
  t.same(address.differences, ['schema 200: content-type: expected application/json, got text/plain', '$: expected an object, got no JSON'], 'the content type')

  const unknownKey = find(report, 'authentication', /unknown api key/)
  t.same(unknownKey.differences.filter((d) => !d.startsWith('schema')), ['status: expected 400, got 200', 'errorCode: expected 002, got none'], 'the status and the errorCode')
  t.ok(unknownKey.differences.includes('schema 200: $.transactionState: missing (required)'), 'and the 200 body against the transaction schema')

  const uppercase = find(report, 'authentication', /uppercase Sign/)
  t.equal(uppercase.verdict, 'fail', 'marks never excuse a difference from the document: this answer is a 200 with a wrong body')
})

t.test('a target without /_mock: the deposit steps are skipped, everything else runs', async (t) => {
  const app = await build(t)
  const report = await runConformance({ target: await withoutMockControls(t, app) })

  t.notOk(report.target.isMock)
  const skipped = report.results.filter((r) => r.verdict === 'skip')
  t.ok(skipped.length >= 4, 'the deposit steps')
  for (const r of skipped) {
    t.ok(r.needsDeposit, `${r.name} needs a deposit`)
    t.equal(r.note, 'skipped: needs a deposit (GET /_mock/customers?limit=1 answered 404)')
  }
  t.equal(report.results.filter((r) => r.verdict === 'pass').length, report.counts.total - skipped.length - report.counts.fail - report.counts.note, 'the others ran')
  for (const r of report.results.filter((r) => r.verdict === 'fail')) {
    t.ok(r.marks.knownDrift, `${r.name}: off the mock, only the mock's known drift fails`)
  }
  const { transactions } = (await app.inject({ method: 'GET', url: '/_mock/transactions' })).json() as { transactions: unknown[] }
  t.same(transactions, [], 'no deposit was made')
})

t.test('a target that differs from a choice of the mock: a NOTE that says what it does, not a failure', async (t) => {
  const app = await build(t)
  const seen = new Set<string>()
  // This target refuses a second customer with the same externalId, where the mock accepts it.
  const refuseDuplicates: Intercept = (url, body) => {
    if (url !== '/api/v1/customer-purse/customer/create') return undefined
    const { payload } = JSON.parse(body.toString()) as { payload: { externalId: string } }
    if (!seen.has(payload.externalId)) {
      seen.add(payload.externalId)
      return undefined
    }
    return { status: 400, json: { errorCode: '001', message: 'Bad request: externalId already exists', traceId: randomUUID() } }
  }
  const report = await runConformance({ target: await withoutMockControls(t, app, refuseDuplicates) })
  const second = find(report, 'customers', /^create a second customer/)
  t.equal(second.verdict, 'note')
  t.same(second.differences, ['status: expected 200, got 400 (errorCode 001: Bad request: externalId already exists)'])
  t.match(formatResult(second), /^NOTE {2}customers: create a second customer.*\n {6}status: expected 200, got 400 .*\n {6}not a failure: the target differs from the mock's own choice \(the docs are silent on uniqueness/)
  t.ok(report.counts.note >= 1, 'counted as noted')
  t.same(report.results.filter((r) => r.verdict === 'fail' && r.marks.knownDrift === undefined).map(formatResult), [], 'and nothing else fails for it')
})

t.test('a mock with MOCK_ADMIN_TOKEN: deposits need the token, and say so without it', async (t) => {
  const app = await build(t, { adminToken: 'conformance-admin-token' })
  const target = await listeningMock(app)
  const without = await runConformance({ target })
  t.equal(without.target.noDeposits, 'GET /_mock/customers?limit=1 answered 401; give --admin-token when the mock has MOCK_ADMIN_TOKEN')
  t.ok(without.results.filter((r) => r.needsDeposit).every((r) => r.verdict === 'skip'))
  const withToken = await runConformance({ target: { ...target, adminToken: 'conformance-admin-token' } })
  t.ok(withToken.target.isMock)
  t.same(withToken.results.filter((r) => r.needsDeposit && r.verdict !== 'pass').map(formatResult), [], 'the deposit steps run and pass')
})
