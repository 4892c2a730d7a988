// `npm run mutate [-- folder...]`: StrykerJS (stryker.config.mjs) on each folder in mutate-folders.mjs (all of them when
// none is named), one after the other, incrementally. Exits non-zero when a run fails; a low score
// is reported, not failed (docs/test-loop.md keeps the scores).
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { FOLDERS } from './mutate-folders.mjs'

const ROOT = fileURLToPath(new URL('..', import.meta.url))

const named = process.argv.slice(2).filter((arg) => !arg.startsWith('-'))
const passed = process.argv.slice(2).filter((arg) => arg.startsWith('-'))
const unknown = named.filter((folder) => !(folder in FOLDERS))
if (unknown.length > 0) {
  process.stderr.write(`unknown folder ${unknown.join(', ')}: one of ${Object.keys(FOLDERS).join(', ')}\n`)
  process.exit(2)
}

let failed = 0
for (const folder of named.length > 0 ? named : Object.keys(FOLDERS)) {
  process.stdout.write(`== mutate src/${folder}\n`)
  const run = spawnSync(process.execPath, [join(ROOT, 'node_modules/@stryker-mutator/core/bin/stryker.js'), 'run', 'stryker.config.mjs', ...passed], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, MUTATE_FOLDER: folder }
  })
  if (run.status !== 0) failed++
}
process.exitCode = failed === 0 ? 0 : 1
