import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname } from 'node:path'
import { Script } from 'node:vm'

/** What `npm run build` writes beside dist/server.js: src/main.ts and its dependencies in one file. */
export const BUNDLE_FILE = 'calypso-mock.cjs'

/**
 * The V8 flags `npm start` and the image's CMD run the server with (a test keeps the three equal):
 * a young generation of 4 MB a half instead of 16, so the heap a burst of requests grows stays
 * small, and a full collection the server runs once idle after load, to give that heap back
 * (docs/configuration.md, Memory).
 */
export const SERVER_V8_FLAGS: readonly string[] = ['--max-semi-space-size=4', '--expose-gc']

/**
 * V8's compiled code for the bundle, written by the build after a warm-up run. V8 refuses a cache
 * made under other V8 flags, so the build writes two: one for a plain `node dist/server.js` (and
 * `npx calypso-mock`), one for SERVER_V8_FLAGS, read when the process has them on its command line
 * or in NODE_OPTIONS.
 */
export function codeCacheFile (bundleFile: string, nodeFlags: readonly string[] = currentNodeFlags()): string {
  return SERVER_V8_FLAGS.every((flag) => nodeFlags.includes(flag)) ? `${bundleFile}.server-flags.code-cache` : `${bundleFile}.code-cache`
}

function currentNodeFlags (): string[] {
  // NODE_OPTIONS may quote a flag ("--flag=a b"), as tools that add to it do.
  const fromEnvironment = (process.env.NODE_OPTIONS ?? '').match(/"(?:[^"\\]|\\.)*"|\S+/g) ?? []
  return [...process.execArgv, ...fromEnvironment.map((word) => word.startsWith('"') ? word.slice(1, -1).replace(/\\(.)/g, '$1') : word)]
}

export interface LoadedBundle<T> {
  exports: T
  /** undefined when there was no code cache; true when V8 refused it (another Node version or V8 flags). */
  cacheRejected: boolean | undefined
  /** Writes V8's code for every function compiled so far, for the next start to skip compiling. */
  writeCodeCache: () => void
}

/**
 * Runs a CommonJS bundle as Node's loader would, but through a vm.Script fed with the code cache,
 * so that start-up does not parse and compile about 1.5 MB of JavaScript again.
 */
export function loadBundle<T> (bundleFile: string): LoadedBundle<T> {
  const cacheFile = codeCacheFile(bundleFile)
  const cachedData = existsSync(cacheFile) ? readFileSync(cacheFile) : undefined
  // esbuild writes ASCII only (it escapes the rest), and latin1 decodes it faster than utf8.
  const source = readFileSync(bundleFile, 'latin1')
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: bundleFile, cachedData })
  const module = { exports: {} }
  const init = script.runInThisContext() as (exports: object, require: NodeRequire, module: object, filename: string, dirname: string) => void
  init(module.exports, createRequire(bundleFile), module, bundleFile, dirname(bundleFile))
  return {
    exports: module.exports as T,
    cacheRejected: cachedData === undefined ? undefined : script.cachedDataRejected,
    writeCodeCache: () => writeFileSync(cacheFile, script.createCachedData())
  }
}
