import type { Test } from 'tap'
import { formatResult } from '../../../src/conformance/reporter.js'
import { runConformance } from '../../../src/conformance/runner.js'
import { build, webhookConfig } from '../../support/helper.js'
import { listeningMock } from '../../support/conformance-targets.js'
import { DRIFTS, type Drift } from './drifts.js'

const RETRY_SCALE = 0.001
/** Drifts checked at once: each is a whole suite run against its own app, mostly waiting on sockets. */
const AT_ONCE = 3

/**
 * Runs the suite against a mock with `drift` injected, up to its first failed check (`bail`: the
 * first FAIL line is all the harness reads); that line, or undefined when nothing failed.
 */
async function firstFailUnder (t: Test, drift: Drift): Promise<string | undefined> {
  const app = await build(t, { ...drift.config, webhook: webhookConfig(undefined, { retryScale: RETRY_SCALE }) }, drift.options)
  const report = await runConformance({ target: await listeningMock(app), retryScale: RETRY_SCALE, bail: true })
  await app.close()
  const failed = report.results.find((r) => r.verdict === 'fail')
  return failed === undefined ? undefined : formatResult(failed).split('\n')[0]
}

/**
 * The drift harness of one area: the suite must fail under every drift, its first FAIL line
 * naming what drifted; prints the area's mutation score (drifts caught / drifts).
 */
export async function driftHarness (t: Test, area: Drift['area'], part?: { of: number, index: number }): Promise<void> {
  const all = DRIFTS.filter((d) => d.area === area)
  const drifts = part === undefined ? all : all.filter((_d, i) => i % part.of === part.index)
  const lines = new Map<Drift, string | undefined>()
  for (let i = 0; i < drifts.length; i += AT_ONCE) {
    await Promise.all(drifts.slice(i, i + AT_ONCE).map(async (drift) => { lines.set(drift, await firstFailUnder(t, drift)) }))
  }
  let caught = 0
  for (const drift of drifts) {
    const line = lines.get(drift)
    if (line !== undefined) caught++
    t.ok(line !== undefined, `caught: ${drift.name}`)
    t.match(line ?? '(nothing failed)', drift.firstFail, `${drift.name}: the first FAIL line says what drifted and where`)
  }
  const name = part === undefined ? area : `${area} (part ${part.index + 1} of ${part.of})`
  const score = `${name} drifts caught: ${caught} / ${drifts.length} (${(100 * caught / drifts.length).toFixed(1)} %)`
  t.comment(score)
  process.stdout.write(`# mutation score, ${score}\n`)
  t.ok(caught / drifts.length >= 0.95, `at least 95 % of the ${area} drifts caught`)
}
