import type { CheckResult, Verdict } from './check.js'
import { NEVER, type ConformanceReport, type Reporter } from './runner.js'

const LABEL: Record<Verdict, string> = { pass: 'PASS ', fail: 'FAIL ', drift: 'DRIFT', note: 'NOTE ', skip: 'SKIP ' }
const INDENT = '      '

/** One line per check; the differences of a check that did not pass indented under it. */
export function formatResult (result: CheckResult): string {
  const title = `${LABEL[result.verdict]} ${result.scenario}: ${result.name}`
  const lines = result.verdict === 'skip' ? [`${title}: ${result.note ?? 'skipped'}`] : [title]
  if (result.verdict !== 'pass') for (const difference of result.differences) lines.push(`${INDENT}${difference}`)
  if (result.verdict === 'drift') lines.push(`${INDENT}known drift: ${result.marks.knownDrift ?? ''}`)
  if (result.verdict === 'note') lines.push(`${INDENT}not a failure: the target differs from the mock's own choice (${result.marks.mockChoice ?? ''})`)
  if (result.verdict === 'pass' && result.marks.knownDrift !== undefined) lines.push(`${INDENT}passes although marked known drift: the mark can go`)
  return `${lines.join('\n')}\n`
}

export function formatSummary (report: ConformanceReport): string {
  const { counts } = report
  const parts = [`${counts.pass} passed`, `${counts.fail} failed`]
  if (counts.drift > 0) parts.push(`${counts.drift} known drift`)
  if (counts.note > 0) parts.push(`${counts.note} noted`)
  parts.push(`${counts.skip} skipped`)
  return `\nconformance ${report.ok ? 'passed' : 'FAILED'}: ${counts.total} checks, ${parts.join(', ')} (run ${report.identity.runId}, ${(report.durationMs / 1000).toFixed(1)} s)\n`
}

/** The reporter of the command line: the plan first, then each check as it ends, then the summary. */
export function textReporter (write: (text: string) => void): Reporter {
  return {
    start (identity, target, plan) {
      write(`calypso-mock conformance, run ${identity.runId}, against ${target.baseUrl} as account ${target.account}\n`)
      write('It will, in this order:\n')
      for (const line of plan) write(`  - ${line}\n`)
      write(`${NEVER}\n\n`)
    },
    probed (info) {
      write(info.isMock
        ? 'The target is calypso-mock: deposit steps run, and known drift is reported as DRIFT.\n\n'
        : `The target is not calypso-mock (${info.noDeposits ?? ''}): deposit steps are skipped.\n\n`)
    },
    result (result) {
      write(formatResult(result))
    },
    finish (report) {
      write(formatSummary(report))
    }
  }
}
