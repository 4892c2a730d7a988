import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * The folder that holds package.json and migrations/. This code runs from src/ (tsx), from
 * dist/<folder>/ (tsc) and from dist/calypso-mock.cjs (the bundle), so the depth is not fixed: the
 * nearest folder above with a package.json is the root.
 */
export function packageRoot (from: string = import.meta.url): string {
  let dir = dirname(fileURLToPath(from))
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir)
    if (parent === dir) throw new Error(`no package.json above ${fileURLToPath(from)}`)
    dir = parent
  }
  return dir
}

/** The version in package.json. */
export function packageVersion (): string {
  const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }
  return pkg.version
}
