import type { CheckResult, Verdict } from './check.js'
import type { Target } from './client.js'
import { NEVER, type ConformanceReport, type Reporter } from './runner.js'
import type { TargetInfo } from './scenario.js'

const LABEL: Record<Verdict, string> = { pass: 'PASS ', fail: 'FAIL ', drift: 'DRIFT', note: 'NOTE ', skip: 'SKIP ' }
const INDENT = '      '

/** Exit codes of a run: a failure and a skip are told apart, so CI can accept one and not the other. */
export const EXIT_OK = 0
export const EXIT_FAILED = 1
export const EXIT_USAGE = 2
export const EXIT_SKIPPED = 3

export function exitCodeOf (report: ConformanceReport): number {
  if (!report.ok) return EXIT_FAILED
  return report.counts.skip > 0 ? EXIT_SKIPPED : EXIT_OK
}

/** The first line of every run: what the target is taken for, and why. */
export function targetLine (info: TargetInfo, target: Target): string {
  return `Target ${target.baseUrl} is ${info.isMock ? 'calypso-mock' : 'not calypso-mock (Calypso, or another server)'}: ${info.why}\n`
}

/**
 * One line per check. A check that did not pass names its first difference on its own line (what
 * drifted, and where: the call, the status, the JSON path); the others are indented under it.
 */
export function formatResult (result: CheckResult): string {
  const title = `${LABEL[result.verdict]} ${result.scenario}: ${result.name}`
  const [first, ...rest] = result.differences
  const lines = result.verdict === 'skip'
    ? [`${title}: ${result.note ?? 'skipped'}`]
    : result.verdict === 'pass' || first === undefined ? [title] : [`${title}: ${first}`]
  if (result.verdict !== 'pass' && result.verdict !== 'skip') for (const difference of rest) lines.push(`${INDENT}${difference}`)
  if (result.verdict === 'drift') lines.push(`${INDENT}known drift: ${result.marks.knownDrift ?? ''}`)
  if (result.verdict === 'note') {
    lines.push(result.marks.mockChoice !== undefined && result.note === undefined
      ? `${INDENT}not a failure: the target differs from the mock's own choice (${result.marks.mockChoice})`
      : `${INDENT}not a failure: ${result.note ?? ''}`)
  }
  if (result.verdict === 'pass' && result.marks.knownDrift !== undefined) lines.push(`${INDENT}passes although marked known drift: the mark can go`)
  return `${lines.join('\n')}\n`
}

export function formatSummary (report: ConformanceReport): string {
  const { counts } = report
  const parts = [`${counts.pass} passed`, `${counts.fail} failed`]
  if (counts.drift > 0) parts.push(`${counts.drift} known drift`)
  if (counts.note > 0) parts.push(`${counts.note} noted`)
  parts.push(`${counts.skip} skipped`)
  const verdict = !report.ok ? 'FAILED' : counts.skip > 0 ? 'passed, with skips' : 'passed'
  const stopped = report.bailed ? ' (--bail: stopped at the first failure, later checks not run)' : ''
  return `\nconformance ${verdict}${stopped}: ${counts.total} checks, ${parts.join(', ')} (run ${report.identity.runId}, ${(report.durationMs / 1000).toFixed(1)} s, exit ${exitCodeOf(report)})\n`
}

/** The reporter of the command line: the target line first, the plan, each check as it ends, then the summary. */
export function textReporter (write: (text: string) => void): Reporter {
  return {
    probed (info, target) {
      write(targetLine(info, target))
      write(info.isMock
        ? 'Checks that need the mock\'s controls (deposits, a second account, webhooks) run, and known drift is reported as DRIFT.\n'
        : `Checks that need the mock's controls are skipped (${info.noDeposits ?? ''}); extra fields are NOTEs.\n`)
    },
    start (identity, target, plan) {
      write(`calypso-mock conformance, run ${identity.runId}, against ${target.baseUrl} as account ${target.account}\n`)
      write('It will, in this order:\n')
      for (const line of plan) write(`  - ${line}\n`)
      write(`${NEVER}\n\n`)
    },
    result (result) {
      write(formatResult(result))
    },
    finish (report) {
      write(formatSummary(report))
    }
  }
}

/** The report as one JSON document, written when the run ends. */
export function jsonReport (report: ConformanceReport, target: Target): string {
  return `${JSON.stringify({
    target: { baseUrl: target.baseUrl, account: target.account, kind: report.target.isMock ? 'calypso-mock' : 'other', why: report.target.why },
    runId: report.identity.runId,
    ok: report.ok,
    exitCode: exitCodeOf(report),
    counts: report.counts,
    bailed: report.bailed,
    durationMs: report.durationMs,
    results: report.results.map((r) => ({ scenario: r.scenario, name: r.name, verdict: r.verdict, differences: r.differences, note: r.note, marks: r.marks }))
  }, null, 2)}\n`
}

function xml (text: string): string {
  // XML 1.0 cannot carry most control characters, even escaped.
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '?')
    .replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;')
}

/** JUnit XML, one testsuite per scenario: FAIL is a <failure> (its message the first difference), SKIP a <skipped>, DRIFT and NOTE pass with their lines in <system-out>. */
export function junitReport (report: ConformanceReport, target: Target): string {
  const suites = new Map<string, CheckResult[]>()
  for (const r of report.results) suites.set(r.scenario, [...(suites.get(r.scenario) ?? []), r])
  const out = ['<?xml version="1.0" encoding="UTF-8"?>']
  const kind = report.target.isMock ? 'calypso-mock' : 'other'
  out.push(`<testsuites name="calypso-mock conformance" tests="${report.counts.total}" failures="${report.counts.fail}" skipped="${report.counts.skip}" time="${(report.durationMs / 1000).toFixed(3)}">`)
  for (const [scenario, results] of suites) {
    const count = (v: Verdict) => results.filter((r) => r.verdict === v).length
    out.push(`  <testsuite name="${xml(scenario)}" tests="${results.length}" failures="${count('fail')}" skipped="${count('skip')}">`)
    out.push('    <properties>')
    out.push(`      <property name="target" value="${xml(target.baseUrl)}"/>`)
    out.push(`      <property name="targetKind" value="${kind}"/>`)
    out.push(`      <property name="targetWhy" value="${xml(report.target.why)}"/>`)
    out.push(`      <property name="runId" value="${report.identity.runId}"/>`)
    out.push('    </properties>')
    for (const r of results) {
      const open = `    <testcase classname="conformance.${xml(scenario)}" name="${xml(r.name)}"`
      if (r.verdict === 'pass') {
        out.push(`${open}/>`)
      } else if (r.verdict === 'fail') {
        out.push(`${open}>`, `      <failure message="${xml(r.differences[0] ?? 'failed')}">${xml(r.differences.join('\n'))}</failure>`, '    </testcase>')
      } else if (r.verdict === 'skip') {
        out.push(`${open}>`, `      <skipped message="${xml(r.note ?? 'skipped')}"/>`, '    </testcase>')
      } else {
        out.push(`${open}>`, `      <system-out>${xml(formatResult(r))}</system-out>`, '    </testcase>')
      }
    }
    out.push('  </testsuite>')
  }
  out.push('</testsuites>')
  return `${out.join('\n')}\n`
}
