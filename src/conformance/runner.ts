import { runCheck, type CheckEnvironment, type CheckResult, type Verdict } from './check.js'
import { ConformanceClient, type Target } from './client.js'
import { CALYPSO_CONTRACT } from './contract.js'
import { DETECTION_PLAN, detectTarget, type TargetKind } from './detect.js'
import { createResponseValidator, type OpenApiDocument } from './response-validator.js'
import { newRunIdentity, type RunIdentity, type RunState, type Scenario, type TargetInfo } from './scenario.js'
import { authenticationScenario } from './scenarios/authentication.js'
import { badInputScenario } from './scenarios/bad-input.js'
import { customersScenario } from './scenarios/customers.js'
import { pursesScenario } from './scenarios/purses.js'
import { subscriptionsScenario } from './scenarios/subscriptions.js'
import { transactionsScenario } from './scenarios/transactions.js'
import { edgesScenario } from './scenarios/edges.js'
import { webhooksScenario } from './scenarios/webhooks.js'

/** In order: later scenarios use the customer and purses the earlier ones made. */
export const SCENARIOS: readonly Scenario[] = [
  customersScenario,
  pursesScenario,
  transactionsScenario,
  authenticationScenario,
  badInputScenario,
  edgesScenario,
  subscriptionsScenario,
  webhooksScenario
]

export const NEVER = 'It never moves funds; on any target but calypso-mock it never creates, changes or deletes a webhook subscription; it never changes anything it did not create.'

/** What the run will send, in order, before it sends anything. */
export function planOf (identity: RunIdentity, scenarios: readonly Scenario[] = SCENARIOS): string[] {
  return [DETECTION_PLAN, ...scenarios.flatMap((s) => s.plan(identity))]
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
  /** The run stopped at its first failed check (`bail`): the checks after it were not run. */
  bailed: boolean
  durationMs: number
}

export interface Reporter {
  /** Called first, once the target is known: its kind and why. */
  probed: (info: TargetInfo, target: Target) => void
  start: (identity: RunIdentity, target: Target, plan: string[]) => void
  result: (result: CheckResult) => void
  finish: (report: ConformanceReport) => void
}

export interface RunOptions {
  target: Target
  reporter?: Reporter
  /** The pinned contract of Calypso's published facts by default. */
  document?: OpenApiDocument
  /** What the target is; `auto` (the default) asks it. */
  kind?: TargetKind
  /** The target's WEBHOOK_RETRY_SCALE, when known. */
  retryScale?: number
  /** How long the retry checks may wait for retries. */
  retryBudgetMs?: number
  identity?: RunIdentity
  scenarios?: readonly Scenario[]
  /** Stop at the first failed check; the scenario's cleanup still runs. */
  bail?: boolean
}

/** Thrown out of a scenario by the check after which a bailing run stops. */
class Bail extends Error {}

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
  const validator = createResponseValidator(options.document ?? CALYPSO_CONTRACT)

  const target = { ...await detectTarget(client, options.kind ?? 'auto', options.retryScale), retryBudgetMs: options.retryBudgetMs }
  options.reporter?.probed(target, options.target)
  options.reporter?.start(identity, options.target, planOf(identity, scenarios))
  const env: CheckEnvironment = { client, validator, isMock: target.isMock }
  const state: RunState = { purses: {} }
  const results: CheckResult[] = []
  const record = (result: CheckResult): CheckResult => {
    results.push(result)
    options.reporter?.result(result)
    if (options.bail === true && result.verdict === 'fail') throw new Bail()
    return result
  }

  let bailed = false
  for (const scenario of scenarios) {
    if (bailed) break
    await scenario.run({
      identity,
      client,
      state,
      target,
      check: async (name, body, marks = {}) => record(await runCheck(env, scenario.name, name, marks, false, body)),
      depositCheck: async (name, body, marks = {}) => {
        if (target.noDeposits === undefined) return record(await runCheck(env, scenario.name, name, marks, true, body))
        return record({ scenario: scenario.name, name, verdict: 'skip', differences: [], note: `skipped: needs the mock's controls (${target.noDeposits})`, marks, needsDeposit: true })
      }
    }).catch((err: unknown) => {
      if (!(err instanceof Bail)) throw err
      bailed = true
    })
  }

  const counts = countVerdicts(results)
  const report: ConformanceReport = { identity, target, results, counts, ok: counts.fail === 0, bailed, durationMs: Date.now() - started }
  options.reporter?.finish(report)
  return report
}
