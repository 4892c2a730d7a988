import { readFileSync } from 'node:fs'
import SwaggerParser from '@apidevtools/swagger-parser'
import { createConfig, lintFromString } from '@redocly/openapi-core'
import t from 'tap'
import { parse } from 'yaml'
import { GENERATED_CLIENT, GENERATED_MOCK_CLIENT, OPENAPI_MOCK_YAML, OPENAPI_YAML, clientTypes } from '../../scripts/write-openapi.js'
import { ErrorCode } from '../../src/errors.js'
import { NOTIFICATION_EVENT_TYPES } from '../../src/domain/event-types.js'
import { splitDocument } from '../../src/plugins/swagger.js'
import { build } from '../support/helper.js'

interface Schema {
  $ref?: string
  type?: string
  format?: string
  enum?: unknown[]
  properties?: Record<string, Schema>
  items?: Schema
  [key: string]: unknown
}

interface Response {
  description: string
  content?: Record<string, { schema: Schema }>
}

interface Operation {
  operationId?: string
  tags?: string[]
  summary?: string
  requestBody?: { content: Record<string, { schema: Schema }> }
  responses: Record<string, Response>
  security?: Array<Record<string, string[]>>
  callbacks?: Record<string, Record<string, Record<string, Operation>>>
}

interface Document {
  info: { version: string, contact?: { name?: string, url?: string }, license?: { name: string, url?: string } }
  paths: Record<string, Record<string, Operation>>
  components: { schemas: Record<string, Schema>, securitySchemes: Record<string, Record<string, string>> }
}

const committedYaml = () => readFileSync(OPENAPI_YAML, 'utf8')
const committedMockYaml = () => readFileSync(OPENAPI_MOCK_YAML, 'utf8')
/** The two committed documents: Calypso's API, and the mock's own routes. */
const COMMITTED = [
  { name: 'openapi.yaml', file: OPENAPI_YAML, yaml: committedYaml, client: GENERATED_CLIENT },
  { name: 'openapi-mock.yaml', file: OPENAPI_MOCK_YAML, yaml: committedMockYaml, client: GENERATED_MOCK_CLIENT }
]

let served: Promise<Document> | undefined

/** The document at /openapi.json, of one app built for the whole file; each test gets its own copy. */
async function servedDocument (): Promise<Document> {
  served ??= build(t).then(async (app) => {
    const res = await app.inject({ method: 'GET', url: '/openapi.json' })
    if (res.statusCode !== 200) throw new Error(`/openapi.json answered ${res.statusCode}`)
    return res.json() as Document
  })
  return structuredClone(await served)
}

function operationsOf (document: Document) {
  return Object.entries(document.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op, name: `${method.toUpperCase()} ${path}` })))
}

/** Every object in the document, wherever it sits. */
function everyObject (value: unknown, visit: (object: Record<string, unknown>, where: string) => void, where = '#'): void {
  if (value === null || typeof value !== 'object') return
  visit(value as Record<string, unknown>, where)
  for (const [key, child] of Object.entries(value)) everyObject(child, visit, `${where}/${key}`)
}

t.test('openapi.yaml and openapi-mock.yaml are the document the server serves, cut in two (run `npm run openapi` after changing a schema)', async (t) => {
  const { calypso, mock } = splitDocument(await servedDocument())
  t.same(parse(committedYaml()), calypso, 'openapi.yaml')
  t.same(parse(committedMockYaml()), mock, 'openapi-mock.yaml')
})

t.test('openapi.yaml holds only what Calypso publishes; openapi-mock.yaml only /_mock and /health; together, every path', async (t) => {
  const served = await servedDocument()
  const calypso = parse(committedYaml()) as Document & { tags: Array<{ name: string }> }
  const mock = parse(committedMockYaml()) as Document & { tags: Array<{ name: string }> }
  t.same(Object.keys(calypso.paths).filter((path) => !path.startsWith('/api/v1/')), [], 'no mock path in openapi.yaml')
  t.same(Object.keys(mock.paths).filter((path) => !path.startsWith('/_mock/') && path !== '/health'), [], 'no Calypso path in openapi-mock.yaml')
  t.same([...Object.keys(calypso.paths), ...Object.keys(mock.paths)].sort(), Object.keys(served.paths).sort())
  t.same(Object.keys(calypso.components.securitySchemes).sort(), ['Key', 'Sign'])
  t.same(Object.keys(mock.components.securitySchemes), ['MockAdminToken'])
  t.notOk(calypso.tags.some((tag) => tag.name === 'Mock'), 'no Mock tag in openapi.yaml')
  t.same(mock.tags.map((tag) => tag.name), ['Mock'])
  t.notOk(calypso.components.schemas.JournalEntry, 'a mock-only schema stays out of openapi.yaml')
  t.ok(mock.components.schemas.JournalEntry, 'and is in openapi-mock.yaml')
  t.ok(calypso.paths['/api/v1/subscription/webhook/create']?.post?.callbacks?.webhookEvent, 'the webhook callback is in openapi.yaml')
  for (const { name, yaml } of COMMITTED) {
    const document = parse(yaml()) as Document
    const refs = (value: unknown) => [...JSON.stringify(value).matchAll(/"#\/components\/schemas\/([^"]+)"/g)].map(([, n]) => n as string)
    const reached = new Set<string>()
    for (let pending = refs({ ...document, components: {} }); pending.length > 0;) {
      const next = pending.pop() as string
      if (!reached.has(next)) pending.push(...refs(document.components.schemas[next]))
      reached.add(next)
    }
    t.same([...reached].filter((schema) => document.components.schemas[schema] === undefined), [], `${name}: every reference resolves`)
    const unreached = Object.keys(document.components.schemas).filter((schema) => !reached.has(schema))
    t.same(unreached, [], `${name}: every component is used`)
  }
})

t.test('the served document is valid OpenAPI 3', async (t) => {
  const document = await servedDocument()
  const api = await SwaggerParser.validate(document as never)
  t.match((api as { openapi: string }).openapi, /^3\./)
})

t.test('each committed document is valid OpenAPI 3 alone', async (t) => {
  for (const { name, yaml } of COMMITTED) {
    const api = await SwaggerParser.validate(parse(yaml()) as never)
    t.match((api as { openapi: string }).openapi, /^3\./, name)
  }
})

t.test('Redocly\'s recommended rules find nothing in openapi.yaml and openapi-mock.yaml: no error, no warning', async (t) => {
  const config = await createConfig({ extends: ['recommended'] })
  for (const { name, file, yaml } of COMMITTED) {
    const problems = await lintFromString({ source: yaml(), absoluteRef: file.pathname, config })
    t.same(problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location[0]?.pointer ?? ''}`), [], name)
  }
})

t.test('the committed TypeScript clients are what openapi-typescript makes of each document (npm run typecheck compiles them under --strict)', async (t) => {
  for (const { name, yaml, client } of COMMITTED) t.equal(readFileSync(client, 'utf8'), await clientTypes(yaml(), name), name)
})

t.test('info: the package version, a contact and a license', async (t) => {
  const { info } = await servedDocument()
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string, license: string }
  t.equal(info.version, pkg.version)
  t.ok(info.contact?.name !== undefined && info.contact.url !== undefined, 'a contact')
  t.equal(info.license?.name, pkg.license)
})

t.test('paths are spelled as Calypso spells them: no trailing slash', async (t) => {
  const { paths } = await servedDocument()
  t.same(Object.keys(paths).filter((path) => path.endsWith('/')), [])
  t.ok(paths['/api/v1/subscription/webhook']?.post, 'the list of subscriptions')
  t.ok(paths['/api/v1/subscription/webhook']?.delete, 'the delete')
})

t.test('every operation: a camelCase operationId, a tag, a summary, real descriptions, its errors and its security', async (t) => {
  const document = await servedDocument()
  const operations = operationsOf(document)
  t.equal(operations.length, 41)
  const ids = operations.map(({ op }) => op.operationId)
  t.equal(new Set(ids).size, operations.length, 'operationIds are unique')
  for (const { path, op, name } of operations) {
    t.match(op.operationId, /^[a-z][a-zA-Z]+$/, `${name}: operationId ${op.operationId}`)
    t.ok(op.tags !== undefined && op.tags.length > 0, `${name} has a tag`)
    t.ok(op.summary, `${name} has a summary`)
    if (path.startsWith('/api/v1/')) t.ok(op.requestBody, `${name} documents its request body`)
    t.ok(Object.keys(op.responses).some((status) => status.startsWith('2')), `${name} documents its success`)
    for (const status of ['400', '500', 'default']) {
      t.same(op.responses[status]?.content?.['application/json']?.schema, { $ref: '#/components/schemas/PublicGatewayErrorResponse' }, `${name} documents ${status} in Calypso's error body`)
    }
    for (const [status, response] of Object.entries(op.responses)) t.not(response.description, 'Default Response', `${name} ${status} has a real description`)
    t.ok(op.security !== undefined, `${name} declares its security`)
    if (path.startsWith('/api/v1/')) t.same(op.security, [{ Key: [], Sign: [] }], `${name}: Key and Sign`)
    if (path.startsWith('/_mock/')) {
      t.same(op.tags, ['Mock'], `${name} is tagged Mock`)
      t.same(op.security, [{ MockAdminToken: [] }, {}], `${name}: the bearer token, when it is set`)
      t.ok(op.responses['401'], `${name} documents 401`)
    }
  }
  t.same(document.paths['/health']?.get?.security, [], '/health needs nothing')
  t.same(document.components.securitySchemes.MockAdminToken, { type: 'http', scheme: 'bearer', description: document.components.securitySchemes.MockAdminToken?.description })
  t.match(ids, ['createCustomer', 'updateCustomer', 'blockCustomer', 'unblockCustomer', 'getAddress', 'getAllPurses', 'getTransaction', 'findTransactions', 'listWebhooks', 'deleteWebhook', 'createWebhook'])
})

t.test('enums and shared payloads are named components, used by reference', async (t) => {
  const document = await servedDocument()
  const { schemas } = document.components
  t.same(schemas.TransactionState?.enum, ['MEM_POOL_FOUND', 'PENDING_COMPLIANCE_CHECK', 'DECLINED', 'CONFIRMED'])
  t.same(schemas.ComplianceState?.enum, ['UNCHECKED', 'IN_PROGRESS', 'DECLINE', 'CHECKED'])
  t.same(schemas.PurseStatus?.enum, ['PENDING_PAYMENT', 'ARCHIVED', 'DECLINED'])
  t.same(schemas.NotificationEventType?.enum, [...NOTIFICATION_EVENT_TYPES])
  t.same(schemas.ErrorCode?.enum, Object.values(ErrorCode))
  t.same(schemas.ErrorCode?.['x-enum-varnames'], Object.keys(ErrorCode), 'names a generator can use for "001"')
  for (const name of ['WithAccountContainerByCustomerIdRequestDTO', 'ByCustomerIdRequestDTO', 'ByTransactionIdRequestDTO', 'EmptyWithAccountContainer', 'StringFilter', 'TransactionStateFilter']) {
    t.ok(schemas[name], `${name} is a component`)
  }
  t.same(Object.keys(schemas).filter((name) => name.endsWith('Input')), [], 'one component per schema, not an input and an output twin')

  const inlineEnums: string[] = []
  const loneAllOf: string[] = []
  everyObject(document, (object, where) => {
    if (Array.isArray(object.enum) && object.enum.length > 1 && !/^#\/components\/schemas\/[A-Za-z]+$/.test(where)) inlineEnums.push(where)
    if (Array.isArray(object.allOf) && object.allOf.length === 1) loneAllOf.push(where)
  })
  t.same(inlineEnums, [], 'every enum is a component of its own')
  t.same(loneAllOf, [], 'no single-item allOf')
  t.equal(schemas.JournalEntry?.properties?.auth?.type, 'object', 'JournalEntry.auth has a type')
  const block = document.paths['/api/v1/customer-purse/customer/block']?.post
  const unblock = document.paths['/api/v1/customer-purse/customer/unblock']?.post
  t.same(block?.requestBody?.content['application/json']?.schema, { $ref: '#/components/schemas/WithAccountContainerByCustomerIdRequestDTO' })
  t.same(unblock?.requestBody?.content['application/json']?.schema, block?.requestBody?.content['application/json']?.schema, 'one body for one payload')
})

t.test('timestamps, ids and counts carry their integer format', async (t) => {
  const { schemas } = (await servedDocument()).components
  t.equal(schemas.EmptyWithAccountContainer?.properties?.timestamp?.format, 'int64', 'the request timestamp (ms overflow an int32)')
  t.equal(schemas.PageTransactionDTO?.properties?.totalElements?.format, 'int64')
  for (const field of ['page', 'size', 'total']) t.equal(schemas.PageTransactionDTO?.properties?.[field]?.format, 'int32', `page ${field}, as Calypso types it`)
  t.equal(schemas.WebhookEvent?.properties?.id?.format, 'int64', 'the event id')
  t.equal(schemas.WebhookDelivery?.properties?.eventId?.format, 'int64')
  const untyped: string[] = []
  everyObject(schemas, (object, where) => { if (object.type === 'integer' && object.format === undefined) untyped.push(where) })
  t.same(untyped, [], 'every integer says how wide it is')
})

t.test('the delivered webhook body is the WebhookEvent component and the webhookEvent callback of createWebhook', async (t) => {
  const document = await servedDocument()
  const event = document.components.schemas.WebhookEvent
  t.same(Object.keys(event?.properties ?? {}), ['requestId', 'id', 'createdDate', 'level', 'service', 'eventType', 'data'])
  t.same(event?.properties?.eventType, { $ref: '#/components/schemas/CustomerPurseEventType' }, 'the event types the mock sends')
  t.same(event?.properties?.data, { $ref: '#/components/schemas/CustomerPurseEventData' })
  t.same(document.components.schemas.WebhookEventLevel?.enum, ['INFO', 'SUCCESS', 'WARNING'])
  const callback = document.paths['/api/v1/subscription/webhook/create']?.post?.callbacks?.webhookEvent?.['{$request.body#/payload/url}']?.post
  t.same(callback?.requestBody?.content['application/json']?.schema, { $ref: '#/components/schemas/WebhookEvent' })
  t.ok(callback?.responses['200'], 'acknowledged with 200')
  const wait = document.paths['/_mock/webhooks/wait']?.get?.responses['200']?.content?.['application/json']?.schema
  t.same(wait, { $ref: '#/components/schemas/WebhookWaitResult' }, '/_mock/webhooks/wait answers with the same schema')
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

t.test('each error response shows an example of its own status: 000 under 500, never a 400\'s 001 under 500 or default', async (t) => {
  const document = await servedDocument()
  const expected: Record<string, string> = { 400: ErrorCode.BAD_REQUEST, 401: ErrorCode.INVALID_API_KEY, 408: ErrorCode.NOT_FOUND, 500: ErrorCode.INTERNAL, default: ErrorCode.NOT_FOUND }
  let checked = 0
  for (const { name, op } of operationsOf(document)) {
    for (const [status, response] of Object.entries(op.responses)) {
      const json = response.content?.['application/json'] as { schema: Schema, example?: { errorCode?: string } } | undefined
      if (json?.schema.$ref !== '#/components/schemas/PublicGatewayErrorResponse') continue
      t.equal(json.example?.errorCode, expected[status], `${name} ${status}`)
      checked++
    }
  }
  t.ok(checked > 100, `${checked} error responses checked`)
})
