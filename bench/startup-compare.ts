/**
 * Start-up of two builds side by side, measured as `npm run bench` measures it (spawn to the first
 * answered signed request, on a fresh database), the runs interleaved so both see the same machine:
 *   node --import tsx bench/startup-compare.ts <before-root> [<after-root>] [runs]
 * Each root holds a built package (dist/server.js, package.json, migrations/); the after-root is
 * this repository by default. Writes bench/startup-compare.md.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { median, startUpOnce } from './start-up.js'

const [beforeRoot, afterRoot = fileURLToPath(new URL('..', import.meta.url)), runsText = '15'] = process.argv.slice(2)
if (beforeRoot === undefined) throw new Error('usage: bench/startup-compare.ts <before-root> [<after-root>] [runs]')
const runs = Number(runsText)
const builds = { before: join(resolve(beforeRoot), 'dist/server.js'), after: join(resolve(afterRoot), 'dist/server.js') }
const scratch = mkdtempSync(join(tmpdir(), 'calypso-mock-startup-'))
const times: Record<keyof typeof builds, number[]> = { before: [], after: [] }
try {
  for (let i = 0; i < runs; i++) {
    for (const [name, server] of Object.entries(builds) as Array<[keyof typeof builds, string]>) {
      times[name].push(await startUpOnce(join(scratch, `${name}-${i}.db`), server))
    }
  }
} finally {
  rmSync(scratch, { recursive: true, force: true })
}
const row = (name: keyof typeof builds) => `| ${name} | ${median(times[name])} ms | ${Math.min(...times[name])} ms | ${times[name].join(', ')} |`
const markdown = [
  `Measured ${new Date().toISOString().slice(0, 10)} on ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'} (Node ${process.versions.node}), ${runs} interleaved starts each: spawn to the first answered signed request.`,
  '',
  '| Build | Median | Fastest | Every run |',
  '|---|---|---|---|',
  row('before'),
  row('after'),
  ''
].join('\n')
writeFileSync(new URL('./startup-compare.md', import.meta.url), markdown)
process.stdout.write(markdown)
