// `npm start`'s prestart: starts at once on a built checkout, and rebuilds (saying why) only when
// dist/ is missing the server bundle or a source is newer than it.
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const SOURCES = ['src', 'scripts/build.ts', 'scripts/write-code-cache.mjs', 'tsconfig.json', 'tsconfig.build.json']

function * files (path) {
  if (!existsSync(path)) return
  if (!statSync(path).isDirectory()) return yield path
  for (const entry of readdirSync(path)) yield * files(join(path, entry))
}

/** Why the checkout at `root` needs a build, or undefined when dist/ is up to date. */
export function staleReason (root) {
  const bundle = join(root, 'dist', 'calypso-mock.cjs')
  if (!existsSync(bundle)) return 'dist/ has no server bundle: building (npm run build)'
  const built = statSync(bundle).mtimeMs
  for (const source of SOURCES) {
    for (const file of files(join(root, source))) {
      if (statSync(file).mtimeMs > built) return `${relative(root, file)} is newer than dist/: rebuilding (npm run build)`
    }
  }
  return undefined
}

const reason = process.argv[1] === fileURLToPath(import.meta.url) ? staleReason(ROOT) : undefined
if (reason !== undefined) {
  process.stderr.write(`calypso-mock: ${reason}\n`)
  execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/build.ts')], { cwd: ROOT, stdio: 'inherit' })
}
