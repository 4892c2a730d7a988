// Module hooks that run the TypeScript sources as they are: esbuild strips the types without
// minifying, with an inline source map, so V8's coverage maps back to each line of src/*.ts.
// (tsx minifies whitespace, which makes every file look 100 % covered.)
//
// Each output is kept in node_modules/.cache under the hash of everything it depends on (the
// source text, its path, esbuild's version, Node's version, the options), so a test process loads
// esbuild only for a file that changed: starting esbuild's service and transforming src/ cost
// each test process about 0.9 s of CPU. A changed byte makes a new key, so the cache cannot serve
// a stale file.
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const TS = /\.[cm]?ts$/
const RELATIVE_JS = /^\.{1,2}\/.*\.js$/
const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const CACHE = join(ROOT, 'node_modules/.cache/calypso-mock/ts-hooks')
const ESBUILD_VERSION = JSON.parse(readFileSync(createRequire(import.meta.url).resolve('esbuild/package.json'), 'utf8')).version
const HOOKS_SOURCE = readFileSync(fileURLToPath(import.meta.url), 'utf8')

/** esbuild, loaded on the first cache miss only. */
let esbuild

export async function resolve (specifier, context, nextResolve) {
  if (!RELATIVE_JS.test(specifier)) return nextResolve(specifier, context)
  // Sources import each other as './x.js', as NodeNext wants; on disk it is './x.ts'. From a .ts
  // file the .ts is tried first: a failed resolution throws, and costs more than the load itself.
  const ts = specifier.slice(0, -3) + '.ts'
  const [first, second] = TS.test(context.parentURL ?? '') ? [ts, specifier] : [specifier, ts]
  try {
    return await nextResolve(first, context)
  } catch (err) {
    if (err?.code !== 'ERR_MODULE_NOT_FOUND') throw err
    return nextResolve(second, context)
  }
}

export async function load (url, context, nextLoad) {
  if (!url.startsWith('file:') || !TS.test(url)) return nextLoad(url, context)
  const path = fileURLToPath(url)
  const source = await readFile(path, 'utf8')
  return { format: 'module', source: await transformed(path, source), shortCircuit: true }
}

async function transformed (path, source) {
  const key = createHash('sha256').update(JSON.stringify([path, process.versions.node, ESBUILD_VERSION, HOOKS_SOURCE, source])).digest('hex')
  const file = join(CACHE, `${key}.js`)
  try {
    return readFileSync(file, 'utf8')
  } catch {}
  esbuild ??= await import('esbuild')
  const { code } = await esbuild.transform(source, {
    loader: 'ts',
    format: 'esm',
    target: `node${process.versions.node}`,
    sourcemap: 'inline',
    sourcefile: path,
    sourcesContent: true,
    tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: false } }
  })
  // Written aside and renamed, so a test process reading at the same time sees all of it or none;
  // a read-only node_modules still runs the tests, uncached.
  try {
    mkdirSync(CACHE, { recursive: true })
    const aside = `${file}.${process.pid}.tmp`
    writeFileSync(aside, code)
    renameSync(aside, file)
  } catch {}
  return code
}
