import { readFileSync } from 'node:fs'
import SwaggerParser from '@apidevtools/swagger-parser'
import t, { type Test } from 'tap'
import { parse } from 'yaml'
import { build } from '../helper.js'

interface Operation {
  tags?: string[]
  summary?: string
  requestBody?: unknown
  responses?: Record<string, unknown>
}

async function servedDocument (t: Test) {
  const app = await build(t)
  const res = await app.inject({ method: 'GET', url: '/openapi.json' })
  t.equal(res.statusCode, 200)
  return res.json() as { paths: Record<string, Record<string, Operation>> }
}

t.test('the committed openapi.yaml is the document the server serves (run `npm run openapi` after changing a schema)', async (t) => {
  const committed = parse(readFileSync(new URL('../../openapi.yaml', import.meta.url), 'utf8'))
  t.same(committed, await servedDocument(t))
})

t.test('the served document is valid OpenAPI 3', async (t) => {
  const document = await servedDocument(t)
  const api = await SwaggerParser.validate(structuredClone(document) as never)
  t.match((api as { openapi: string }).openapi, /^3\./)
})

t.test('every operation has a tag, a summary, a request body and its responses, errors included', async (t) => {
  const { paths } = await servedDocument(t)
  const operations = Object.entries(paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op })))
  t.ok(operations.length >= 8, `${operations.length} operations`)
  for (const { path, method, op } of operations) {
    const name = `${method.toUpperCase()} ${path}`
    t.ok(op.tags !== undefined && op.tags.length > 0, `${name} has a tag`)
    t.ok(op.summary, `${name} has a summary`)
    if (path.startsWith('/api/v1/')) t.ok(op.requestBody, `${name} documents its request body`)
    t.ok(Object.keys(op.responses ?? {}).some((status) => status.startsWith('2')), `${name} documents its success`)
    for (const status of ['400', '500']) t.ok(op.responses?.[status], `${name} documents ${status}`)
    if (path.startsWith('/_mock/')) t.same(op.tags, ['Mock'], `${name} is tagged Mock`)
  }
})

t.test('the Swagger UI is served at /docs', async (t) => {
  const app = await build(t)
  const res = await app.inject({ method: 'GET', url: '/docs/' })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /text\/html/)
  t.match(res.body, /swagger/i)

  const css = await app.inject({ method: 'GET', url: '/docs/static/swagger-ui.css' })
  t.equal(css.statusCode, 200, 'its static files')
  t.match(css.headers['content-type'], /text\/css/)
  const document = await app.inject({ method: 'GET', url: '/docs/json' })
  t.same(document.json(), (await app.inject({ method: 'GET', url: '/openapi.json' })).json(), 'the document it shows is the one at /openapi.json')
  t.match(res.headers['x-trace-id'], /^[0-9a-f-]{36}$/, 'a trace id, as every answer has')
  for (const url of ['/docs/static/no-such-file.js', '/docs/nope']) {
    const missing = await app.inject({ method: 'GET', url })
    t.equal(missing.statusCode, 404, url)
    t.same(missing.json(), { errorCode: '004', message: missing.json().message, traceId: missing.headers['x-trace-id'] }, `${url}: Calypso's error body`)
  }
  const cached = await app.inject({ method: 'GET', url: '/docs/static/swagger-ui.css', headers: { 'if-none-match': String(css.headers.etag) } })
  t.equal(cached.statusCode, 304, 'a browser\'s cached copy is still good')
})
