import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { staleReason } from '../../scripts/build-if-stale.mjs'

export const ROOT = fileURLToPath(new URL('../..', import.meta.url))
export const DIST = join(ROOT, 'dist')

/**
 * The repository's dist/, which `npm test` builds before the tests run when a source is newer. A
 * test that needs it fails here, rather than testing yesterday's build, when dist/ is stale by the
 * same rule (scripts/build-if-stale.mjs).
 */
export function builtDist (): string {
  const reason = staleReason(ROOT)
  if (reason !== undefined) throw new Error(`${reason}; npm test builds it first`)
  return DIST
}
