// Module hooks that run the TypeScript sources as they are: esbuild strips the types without
// minifying, with an inline source map, so V8's coverage maps back to each line of src/*.ts.
// (tsx minifies whitespace, which makes every file look 100 % covered.)
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { transform } from 'esbuild'

const TS = /\.[cm]?ts$/

export async function resolve (specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context)
  } catch (err) {
    // Sources import each other as './x.js', as NodeNext wants; on disk it is './x.ts'.
    if (err?.code !== 'ERR_MODULE_NOT_FOUND' || !/^\.{1,2}\/.*\.js$/.test(specifier)) throw err
    return nextResolve(specifier.slice(0, -3) + '.ts', context)
  }
}

export async function load (url, context, nextLoad) {
  if (!url.startsWith('file:') || !TS.test(url)) return nextLoad(url, context)
  const path = fileURLToPath(url)
  const source = await readFile(path, 'utf8')
  const { code } = await transform(source, {
    loader: 'ts',
    format: 'esm',
    target: `node${process.versions.node}`,
    sourcemap: 'inline',
    sourcefile: path,
    sourcesContent: true,
    tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: false } }
  })
  return { format: 'module', source: code, shortCircuit: true }
}
