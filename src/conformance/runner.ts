import { runCheck, type CheckEnvironment, type CheckResult, type Verdict } from './check.js'
import { ConformanceClient, type Target } from './client.js'
import { createResponseValidator, loadOpenApiDocument, type OpenApiDocument } from './response-validator.js'
import { newRunIdentity, isRecord, type RunIdentity, type RunState, type Scenario, type TargetInfo } from './scenario.js'
import { authenticationScenario } from './scenarios/authentication.js'
import { badInputScenario } from './scenarios/bad-input.js'
import { customersScenario } from './scenarios/customers.js'
import { pursesScenario } from './scenarios/purses.js'
import { subscriptionsScenario } from './scenarios/subscriptions.js'
import { transactionsScenario } from './scenarios/transactions.js'

/** In order: later scenarios use the customer and purses the earlier ones made. */
export const SCENARIOS: readonly Scenario[] = [
  customersScenario,
  pursesScenario,
  transactionsScenario,
  authenticationScenario,
  badInputScenario,
  subscriptionsScenario
]

/** The one call that tells a calypso-mock from another target; it reads, and creates nothing. */
export const PROBE_PATH = '/_mock/customers?limit=1'

export const NEVER = 'It never moves funds, never creates, changes or deletes a webhook subscription, and never changes anything it did not create.'

/** What the run will send, in order, before it sends anything. */
export function planOf (identity: RunIdentity, scenarios: readonly Scenario[] = SCENARIOS): string[] {
  return [`GET ${PROBE_PATH}, to learn whether the target is calypso-mock (it reads, and creates nothing)`, ...scenarios.flatMap((s) => s.plan(identity))]
}

export interface Counts extends Record<Verdict, number> {
  total: number
}

export interface ConformanceReport {
  identity: RunIdentity
  target: TargetInfo
  results: CheckResult[]
  counts: Counts
  /** No check failed (known drift against the mock and notes about other targets do not count). */
  ok: boolean
  durationMs: number
}

export interface Reporter {
  start: (identity: RunIdentity, target: Target, plan: string[]) => void
  probed: (info: TargetInfo) => void
  result: (result: CheckResult) => void
  finish: (report: ConformanceReport) => void
}

export interface RunOptions {
  target: Target
  reporter?: Reporter
  /** The committed openapi.yaml by default. */
  document?: OpenApiDocument
  identity?: RunIdentity
  scenarios?: readonly Scenario[]
}

async function probe (client: ConformanceClient): Promise<TargetInfo> {
  try {
    const res = await client.mock('GET', PROBE_PATH)
    if (res.status === 200 && isRecord(res.json) && Array.isArray(res.json.customers)) return { isMock: true }
    const hint = res.status === 401 ? '; give --admin-token when the mock has MOCK_ADMIN_TOKEN' : ''
    return { isMock: false, noDeposits: `GET ${PROBE_PATH} answered ${res.status}${hint}` }
  } catch (err) {
    return { isMock: false, noDeposits: `GET ${PROBE_PATH} failed: ${err instanceof Error ? err.message : String(err)}` }
  }
}

export function countVerdicts (results: readonly CheckResult[]): Counts {
  const counts: Counts = { total: results.length, pass: 0, fail: 0, drift: 0, note: 0, skip: 0 }
  for (const r of results) counts[r.verdict] += 1
  return counts
}

/** Runs every scenario against the target, one call at a time, and reports each check as it ends. */
export async function runConformance (options: RunOptions): Promise<ConformanceReport> {
  const started = Date.now()
  const identity = options.identity ?? newRunIdentity()
  const scenarios = options.scenarios ?? SCENARIOS
  const client = new ConformanceClient(options.target)
  const validator = createResponseValidator(options.document ?? loadOpenApiDocument())
  options.reporter?.start(identity, options.target, planOf(identity, scenarios))

  const target = await probe(client)
  options.reporter?.probed(target)
  const env: CheckEnvironment = { client, validator, isMock: target.isMock }
  const state: RunState = { purses: {} }
  const results: CheckResult[] = []
  const record = (result: CheckResult): CheckResult => {
    results.push(result)
    options.reporter?.result(result)
    return result
  }

  for (const scenario of scenarios) {
    await scenario.run({
      identity,
      state,
      target,
      check: async (name, body, marks = {}) => record(await runCheck(env, scenario.name, name, marks, false, body)),
      depositCheck: async (name, body, marks = {}) => {
        if (target.noDeposits === undefined) return record(await runCheck(env, scenario.name, name, marks, true, body))
        return record({ scenario: scenario.name, name, verdict: 'skip', differences: [], note: `skipped: needs a deposit (${target.noDeposits})`, marks, needsDeposit: true })
      }
    })
  }

  const counts = countVerdicts(results)
  const report: ConformanceReport = { identity, target, results, counts, ok: counts.fail === 0, durationMs: Date.now() - started }
  options.reporter?.finish(report)
  return report
}
