import { execFile } from 'node:child_process'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import type { Test } from 'tap'
import { buildApp } from '../../src/app.js'
import { testConfig } from '../../src/test-config.js'
import { tempDir } from '../support/helper.js'
import { scaled } from '../support/time-scale.js'

/**
 * The code blocks of README.md and docs/*.md run, so they stay true (the convention is written at
 * the top of docs/README.md). Shell blocks of one page run in order in one bash, so a later block
 * uses the variables of an earlier one; TypeScript and JavaScript blocks run one by one. Both meet
 * a mock started for the page on a free port, where the text says http://127.0.0.1:8080.
 *
 * The pages are dealt to the test files `code-blocks-<n>.test.ts` (SHARDS of them), so that tap
 * runs them side by side: each runnable block starts processes, and one file holding every page
 * was the suite's longest on a busy machine.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const SHELL = new Set(['sh', 'bash', 'shell'])
const SCRIPT = new Set(['ts', 'typescript', 'js', 'javascript', 'mjs'])
const FENCE = /^(\s*)```(\S*)\s*$/
const NOT_RUN = /^\s*<!-- not-run: (.+?) -->\s*$/
const run = promisify(execFile)

/**
 * The environment with tap's coverage recording off (processinfo records every child it reaches
 * through NODE_OPTIONS): the npm scripts a shell block runs load src/ through tsx, whose output
 * differs from the tests' hooks, and coverage merged by file across the two puts one's counts on
 * the other's lines.
 */
function unmeasured (): NodeJS.ProcessEnv {
  const { NODE_V8_COVERAGE: _, ...env } = process.env
  return { ...env, _TAPJS_PROCESSINFO_COVERAGE_: '0' }
}

interface Block { page: string, line: number, lang: string, code: string, notRun?: string | undefined }

/** The fenced blocks of a page, with the reason of a not-run comment on the line before. */
function blocksOf (page: string): Block[] {
  const lines = readFileSync(join(ROOT, page), 'utf8').split('\n')
  const blocks: Block[] = []
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]!)
    if (open === null) continue
    const indent = open[1]!.length
    const body: string[] = []
    let end = i + 1
    while (end < lines.length && !/^\s*```\s*$/.test(lines[end]!)) body.push(lines[end++]!.slice(indent))
    const before = i > 0 ? NOT_RUN.exec(lines[i - 1]!) : null
    blocks.push({ page, line: i + 1, lang: open[2]!, code: body.join('\n'), notRun: before?.[1] })
    i = end
  }
  return blocks
}

const pages = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)]
const runnable = (b: Block) => SHELL.has(b.lang) || SCRIPT.has(b.lang)

/** The test files the pages are dealt to. */
export const SHARDS = 2

/**
 * A page's cost, counted in processes started: a script block starts node, a shell block bash, and
 * each command of it that starts node (npm, npx, node, python3 through the package) one more, and
 * the heavier for loading the sources.
 */
function costOf (blocks: Block[]): number {
  return blocks.reduce((sum, b) => sum + (SHELL.has(b.lang) ? 1 + 4 * (b.code.match(/\b(?:npm|npx|node|python3)\b/g) ?? []).length : 3), 0)
}

/** The pages with runnable blocks of shard `index` (0-based): costliest first, each to the cheapest shard so far. */
export function pagesOf (index: number): string[] {
  const loads = Array.from({ length: SHARDS }, () => ({ cost: 0, pages: [] as string[] }))
  const costed = pages.map((page) => ({ page, cost: costOf(blocksOf(page).filter((b) => runnable(b) && b.notRun === undefined)) }))
  for (const { page, cost } of costed.filter((p) => p.cost > 0).sort((a, b) => b.cost - a.cost || a.page.localeCompare(b.page))) {
    const cheapest = loads.reduce((min, load) => load.cost < min.cost ? load : min)
    cheapest.cost += cost
    cheapest.pages.push(page)
  }
  return loads[index]!.pages
}

/** There is one test file per shard, so that no page is left undealt. */
export function testShardFiles (t: Test): void {
  t.test(`the pages are dealt to ${SHARDS} test files`, async (t) => {
    const files = readdirSync(join(ROOT, 'test/docs')).filter((f) => /^code-blocks-\d+\.test\.ts$/.test(f)).sort()
    t.same(files, Array.from({ length: SHARDS }, (_, i) => `code-blocks-${i + 1}.test.ts`))
    t.same(Array.from({ length: SHARDS }, (_, i) => pagesOf(i)).flat().sort(), pages.filter((page) => blocksOf(page).some((b) => runnable(b) && b.notRun === undefined)).sort(), 'every page with a runnable block is in a shard')
  })
}

/** Every block not run names its reason (the first shard checks this for all pages). */
export function testNotRunReasons (t: Test): void {
  t.test('every runnable block runs, or says why it cannot', async (t) => {
    const skipped = pages.flatMap(blocksOf).filter((b) => runnable(b) && b.notRun !== undefined)
    t.comment(`${skipped.length} blocks not run:`)
    for (const b of skipped) t.comment(`  ${b.page}:${b.line} (${b.lang}): ${b.notRun}`)
    for (const b of skipped) t.ok(b.notRun!.trim().length >= 10, `${b.page}:${b.line} gives a reason`)
  })
}

/** Runs the blocks of each page of shard `index` against a mock of its own. */
export function testPagesOf (t: Test, index: number): void {
  for (const page of pagesOf(index)) {
    const blocks = blocksOf(page).filter((b) => runnable(b) && b.notRun === undefined)
    t.test(page, async (t) => {
      const app = await buildApp(testConfig({ webhook: { ...testConfig().webhook, retryScale: 0.001 } }))
      t.teardown(() => app.close())
      await app.listen({ port: 0, host: '127.0.0.1' })
      const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
      const here = (code: string) => code.replaceAll('http://127.0.0.1:8080', base).replaceAll('http://localhost:8080', base)
      const dir = tempDir(t)

      const shell = blocks.filter((b) => SHELL.has(b.lang))
      if (shell.length > 0) {
        // A refused call fails its block: curl answers 4xx bodies with exit 0 unless told.
        const script = ['set -euo pipefail', ...shell.map((b) => `echo "--- ${page}:${b.line}" >&2\n${here(b.code).replace(/\bcurl /g, 'curl --fail-with-body ')}`)].join('\n')
        const file = join(dir, 'blocks.sh')
        writeFileSync(file, script)
        const result = await run('bash', [file], { timeout: scaled(60_000), env: unmeasured() }).then((r) => ({ ...r, code: 0 }), (err: { code: number, stdout: string, stderr: string }) => err)
        t.equal(result.code, 0, `the shell blocks at lines ${shell.map((b) => b.line).join(', ')} run: ${result.stderr}${result.stdout}`)
      }

      for (const b of blocks.filter((b) => SCRIPT.has(b.lang))) {
        const file = join(dir, `block-${b.line}.mts`)
        writeFileSync(file, here(b.code).replaceAll("from 'calypso-mock'", `from ${JSON.stringify(join(ROOT, 'src/index.ts'))}`))
        const result = await run(process.execPath, ['--import', join(ROOT, 'test/support/ts-register.mjs'), file], { timeout: scaled(60_000), cwd: dir })
          .then((r) => ({ ...r, code: 0 }), (err: { code: number, stdout: string, stderr: string }) => err)
        t.equal(result.code, 0, `${page}:${b.line} (${b.lang}) runs: ${result.stderr}`)
      }
    })
  }
}
