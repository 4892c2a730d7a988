// `npm run mutate` (scripts/mutate.mjs) runs StrykerJS once per folder of scripts/mutate-folders.mjs; `MUTATE_FOLDER=auth
// npx stryker run` runs one. Each folder has its own narrow set of test files: the tap runner runs
// a file per mutant only when that file reached the mutated code in the dry run. Results and the
// survivors judged equivalent: docs/test-loop.md.

import { FOLDERS } from './scripts/mutate-folders.mjs'

// The tap runner starts each test file in a plain node, where tap's own timeout is 30 s; Stryker
// times each run itself (timeoutFactor, timeoutMS), so a busy machine must not fail the first run.
process.env.TAP_TIMEOUT ??= '0'

const folder = process.env.MUTATE_FOLDER ?? ''
if (!(folder in FOLDERS)) throw new Error(`MUTATE_FOLDER must be one of ${Object.keys(FOLDERS).join(', ')}; got ${JSON.stringify(folder)}`)

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  mutate: [`src/${folder}/**/*.ts`],
  testRunner: 'tap',
  tap: {
    testFiles: FOLDERS[folder],
    // As package.json's tap config runs them: TypeScript through the esbuild hook.
    nodeArgs: ['--enable-source-maps', '--import=./test/support/ts-register.mjs', '-r', '{{hookFile}}', '{{testFile}}'],
    forceBail: true
  },
  coverageAnalysis: 'perTest',
  // A rerun tests only the mutants whose code or tests changed since the last one.
  incremental: true,
  incrementalFile: `reports/mutation/${folder}-incremental.json`,
  // The machine is shared: two test processes at a time.
  concurrency: 2,
  timeoutFactor: 3,
  timeoutMS: 10_000,
  ignorePatterns: ['dist', 'bench', 'examples', 'clients', 'coverage', 'reports', '.tap', 'tmp'],
  reporters: ['clear-text', 'html', 'json', 'progress'],
  htmlReporter: { fileName: `reports/mutation/${folder}.html` },
  jsonReporter: { fileName: `reports/mutation/${folder}.json` },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  tempDirName: `.stryker-tmp/${folder}`,
  cleanTempDir: 'always',
  thresholds: { high: 90, low: 80, break: null }
}
