// `npm test`'s first step: the type-check and the linter side by side (one core each), both run to
// the end so one run shows every mistake; exits non-zero if either fails.
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const CACHE = 'node_modules/.cache/calypso-mock'

function run (label, args) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: 'inherit' })
    child.on('exit', (code, signal) => {
      if (code !== 0) process.stderr.write(`${label} failed${signal === null ? '' : ` (${signal})`}\n`)
      resolve(code === 0)
    })
  })
}

const results = await Promise.all([
  run('tsc', ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json', '--noEmit', '--incremental', '--tsBuildInfoFile', `${CACHE}/tsc.tsbuildinfo`]),
  run('eslint', ['node_modules/eslint/bin/eslint.js', '.', '--cache', '--cache-location', `${CACHE}/eslint`])
])
process.exitCode = results.every(Boolean) ? 0 : 1
