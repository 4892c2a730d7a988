import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { validate } from 'dockerfile-utils'
import t from 'tap'
import { ROOT, healthcheckArgv, readDockerfile } from './dockerfile-parser.js'

const text = readFileSync(join(ROOT, 'Dockerfile'), 'utf8')

t.test('the Dockerfile passes the linter (dockerfile-utils), which does catch mistakes', async (t) => {
  t.same(validate(text).map((d) => `${d.range.start.line + 1}: ${d.message}`), [])
  t.ok(validate('FROM node:20\nEXPOSE eighty\nHEALTHCHECK CMD\n').length > 0, 'a broken Dockerfile is reported')
})

t.test('multi-stage, non-root, /data volume, a node HEALTHCHECK, the server as CMD', async (t) => {
  const stages = readDockerfile(text)
  t.ok(stages.length >= 2, `${stages.length} stages`)
  const runtime = stages.at(-1)!
  const value = (keyword: string) => runtime.filter((i) => i.keyword === keyword).map((i) => i.args).join(' ')
  t.match(stages[0]![0]!.args, /^node:20-bookworm-slim AS build$/)
  t.match(runtime[0]!.args, /^node:20-bookworm-slim$/, 'the runtime has the build stage\'s base, so the addon matches')
  t.match(value('USER'), /^node$/)
  t.match(value('ENV'), /HOST=0\.0\.0\.0/)
  t.match(value('ENV'), /DATABASE_PATH=\/data\/calypso-mock\.db/)
  t.match(value('VOLUME'), /"\/data"/)
  t.equal(value('CMD'), '["node", "dist/server.js"]')
  const check = healthcheckArgv(runtime)
  t.equal(check[0], 'node')
  t.match(check.join(' '), /\/health/)
  t.notMatch(stages.flat().map((i) => i.args).join('\n'), /\b(curl|wget)\b/, 'no curl or wget in any instruction')
  t.notMatch(runtime.filter((i) => i.keyword === 'RUN').map((i) => i.args).join(' '), /apt-get install/, 'no packages installed in the runtime stage')
})

t.test('every COPY source exists, and .dockerignore excludes none of them', async (t) => {
  const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'))
  for (const must of ['node_modules', 'dist', '.git', 'data']) t.ok(ignored.includes(must), `.dockerignore excludes ${must}`)
  for (const stage of readDockerfile(text)) {
    for (const copy of stage.filter((i) => i.keyword === 'COPY' && !i.args.startsWith('--from'))) {
      const sources = copy.args.split(/\s+/).slice(0, -1)
      for (const source of sources) {
        t.ok(existsSync(join(ROOT, source)), `${source} exists`)
        t.notOk(ignored.includes(source), `${source} is not ignored`)
      }
    }
  }
})
