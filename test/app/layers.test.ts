import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, normalize, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'

const SRC = fileURLToPath(new URL('../../src', import.meta.url))
const IMPORT = /^(?:import|export)\b[^'"]*?from\s+'(\.{1,2}\/[^']+)'/gm

/** Every relative import of every module under src/, as [importer, imported], both relative to src/. */
function imports (): Array<[string, string]> {
  const found: Array<[string, string]> = []
  for (const entry of readdirSync(SRC, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue
    const file = relative(SRC, join(entry.parentPath, entry.name))
    for (const [, spec] of readFileSync(join(SRC, file), 'utf8').matchAll(IMPORT)) {
      found.push([file, normalize(join(dirname(file), spec!)).replace(/\.js$/, '.ts')])
    }
  }
  return found
}

const edges = imports()
const under = (folder: string) => (path: string) => path.startsWith(`${folder}/`)
const importersOf = (target: (path: string) => boolean, allowed: (path: string) => boolean) =>
  edges.filter(([from, to]) => target(to) && !allowed(from)).map(([from, to]) => `${from} -> ${to}`)

t.test('the layers run one way', async (t) => {
  t.ok(edges.length > 100, 'the imports were read')
  t.same(importersOf(under('plugins'), (from) => from === 'app.ts'), [], 'only app.ts imports plugins/')
  t.same(importersOf(under('routes'), (from) => from === 'app.ts' || under('routes')(from)), [], 'only app.ts and routes/ import routes/')
  t.same(importersOf((to) => to === 'main.ts' || to === 'server.ts', (from) => from === 'server.ts'), [], 'only server.ts imports main.ts')
  t.same(edges.filter(([from, to]) => under('store')(from) && /^(domain|routes|plugins|webhooks|testing|cli)\//.test(to) && to !== 'domain/model.ts')
    .map(([from, to]) => `${from} -> ${to}`), [], 'store/ imports nothing above it (but the enums of domain/model.ts)')
  t.same(edges.filter(([from, to]) => under('schemas')(from) && /^(routes|plugins|store|webhooks)\//.test(to))
    .map(([from, to]) => `${from} -> ${to}`), [], 'schemas/ are leaves')
  t.same(edges.filter(([from, to]) => under('cli')(from) && /^(store|plugins|routes)\//.test(to))
    .map(([from, to]) => `${from} -> ${to}`), [], 'the CLI speaks HTTP and uses the library\'s types, not the store')
})
