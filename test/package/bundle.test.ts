import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { parse } from 'yaml'
import { sign } from '../../src/auth/signature.js'
import { BUNDLE_FILE, codeCacheFile, SERVER_V8_FLAGS } from '../../src/bundle-loader.js'
import { DEFAULT_ACCOUNT, DOCS_API_KEY, DOCS_API_SECRET } from '../../src/demo-credentials.js'
import { splitDocument } from '../../src/plugins/swagger.js'
import { tempDir } from '../support/helper.js'
import { startServerProcess } from '../support/server-process.js'
import { builtDist, ROOT } from '../support/built-dist.js'

// The repository's dist/, built once by `npm test` as `npm run build` builds it.
const dist = builtDist()

t.test('the build writes the bundle and code caches that node accepts, plain and under npm start\'s V8 flags', async (t) => {
  const bundle = join(dist, BUNDLE_FILE)
  const probe = `import(${JSON.stringify(join(dist, 'bundle-loader.js'))}).then((m) => {
    const loaded = m.loadBundle(${JSON.stringify(bundle)})
    process.stdout.write(JSON.stringify({ rejected: loaded.cacheRejected, exports: Object.keys(loaded.exports).sort() }))
  })`
  const load = (flags: readonly string[], nodeOptions?: string): unknown =>
    JSON.parse(execFileSync(process.execPath, [...flags, '-e', probe], { env: { PATH: process.env.PATH, ...(nodeOptions === undefined ? {} : { NODE_OPTIONS: nodeOptions }) }, encoding: 'utf8' }))
  const accepted = { rejected: false, exports: ['loggerOptions', 'main', 'start'] }
  for (const flags of [[], SERVER_V8_FLAGS]) {
    t.ok(readFileSync(codeCacheFile(bundle, flags)).length > 100_000, `a code cache from the warm-up run (${flags.join(' ') || 'no flags'})`)
    t.same(load(flags), accepted, `accepted by a node started with ${flags.join(' ') || 'no flags'}`)
  }
  t.same(load([], SERVER_V8_FLAGS.join(' ')), accepted, 'and by one given the flags in NODE_OPTIONS')
  t.same(load([], `${SERVER_V8_FLAGS.map((flag) => JSON.stringify(flag)).join(' ')} "--title=a b"`), accepted, 'quoted, as tools that add to NODE_OPTIONS write them')
})

t.test('the built server runs from the bundle: signed API, migrations, OpenAPI and /docs', async (t) => {
  const server = startServerProcess(t, { LOG_LEVEL: 'info' }, ['--port', '0', '--db', join(tempDir(t), 'mock.db')], join(dist, 'server.js'))
  const url = await server.listening
  server.child.stdout?.resume()

  const body = JSON.stringify({ timestamp: Date.now(), account: DEFAULT_ACCOUNT, payload: { email: 'bundle@example.com' } })
  const created = await fetch(`${url}/api/v1/customer-purse/customer/create`, { method: 'POST', headers: { 'content-type': 'application/json', Key: DOCS_API_KEY, Sign: sign(body, DOCS_API_SECRET) }, body })
  t.equal(created.status, 200)
  t.match(await created.json(), { email: 'bundle@example.com', blocked: false })

  const health = await fetch(`${url}/health`)
  t.match(await health.json(), { status: 'ok', database: { journalMode: 'wal' } }, 'migrations found from the bundle: the create above needed them')

  const openapi = await (await fetch(`${url}/openapi.json`)).json()
  const { calypso, mock } = splitDocument(openapi)
  t.same(calypso, parse(readFileSync(join(ROOT, 'openapi.yaml'), 'utf8')), 'the bundle serves the committed OpenAPI documents: Calypso\'s API')
  t.same(mock, parse(readFileSync(join(ROOT, 'openapi-mock.yaml'), 'utf8')), 'and the mock\'s own routes')
  const docs = await fetch(`${url}/docs/`)
  t.equal(docs.status, 200)
  t.match(await docs.text(), /swagger-ui/)
  const css = await fetch(`${url}/docs/static/swagger-ui.css`)
  t.equal(css.status, 200, 'swagger-ui\'s files, from its own folder')
  await css.arrayBuffer()

  server.child.kill('SIGTERM')
  t.same(await server.exited, [0, null])
})
