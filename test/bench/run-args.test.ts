import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import t from 'tap'

const root = new URL('../../', import.meta.url)

t.test('npm run bench -- --only refuses an unknown scenario before measuring anything, naming every scenario docs/benchmarks.md lists', async (t) => {
  const child = spawn(process.execPath, ['--import', new URL('test/support/ts-register.mjs', root).href, 'bench/run.ts', '--only', 'startup,nonsense'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
  const [code] = await once(child, 'close')
  t.equal(code, 2)
  t.match(stderr, /unknown: nonsense/)
  const listed = /\(([a-z, -]+)\)/.exec(stderr)?.[1]?.split(', ') ?? []
  const documented = [...readFileSync(new URL('docs/benchmarks.md', root), 'utf8').matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1])
  t.same(listed, documented, 'the scenarios, in the order the docs table gives them')
})
