import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = fileURLToPath(new URL('../..', import.meta.url))
export const DIST = join(ROOT, 'dist')

function newestSource (dir: string): number {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs)
  }
  return newest
}

/**
 * The repository's dist/, which `npm test` builds once before the tests run. A test that needs it
 * fails here, rather than testing yesterday's build, when a source is newer than the build.
 */
export function builtDist (): string {
  const stamp = join(DIST, 'server.js')
  if (!existsSync(stamp)) throw new Error('dist/ is missing: run `npm run build` (npm test does)')
  const built = statSync(stamp).mtimeMs
  const sources = Math.max(newestSource(join(ROOT, 'src')), statSync(join(ROOT, 'package.json')).mtimeMs)
  if (sources > built) throw new Error('dist/ is older than src/: run `npm run build` (npm test does)')
  return DIST
}
