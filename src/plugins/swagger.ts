import fastifySwagger from '@fastify/swagger'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod'
import { ApiError, ErrorCode, Reason } from '../errors.js'
import { packageVersion } from '../package-root.js'

type Document = ReturnType<typeof jsonSchemaTransformObject>
type Schemas = Record<string, unknown>

const SCHEMA_REF = '#/components/schemas/'
const INPUT = 'Input'
/** Keys that only annotate a schema, and a default (which the component's description gives): all a lone `$ref` in an allOf may drop. */
const ANNOTATIONS = new Set(['description', 'title', 'example', 'examples', 'default'])

function schemasOf (document: Document): Schemas | undefined {
  return (document as { components?: { schemas?: Schemas } }).components?.schemas
}

/** Rewrites every `$ref` to a component through `rename` (a name, or undefined to keep it). */
function renameRefs<T> (value: T, rename: (name: string) => string | undefined): T {
  return JSON.parse(JSON.stringify(value), (key, v: unknown) => {
    if (key !== '$ref' || typeof v !== 'string' || !v.startsWith(SCHEMA_REF)) return v
    return SCHEMA_REF + (rename(v.slice(SCHEMA_REF.length)) ?? v.slice(SCHEMA_REF.length))
  }) as T
}

/**
 * The zod transform registers every named schema twice, as input (`XInput`) and as output (`X`).
 * Where both read the same (enums, most payloads), the input twin goes and `X` serves both, so a
 * generator makes one type of each; a twin that differs keeps its name. Assumes all twins merge,
 * then drops those that differ under that assumption until none does.
 */
function mergeInputTwins (document: Document): Document {
  const schemas = schemasOf(document)
  if (schemas === undefined) return document
  const merged = new Set(Object.keys(schemas).filter((name) => name.endsWith(INPUT) && schemas[name.slice(0, -INPUT.length)] !== undefined))
  const rename = (name: string) => merged.has(name) ? name.slice(0, -INPUT.length) : undefined
  for (let changed = true; changed;) {
    changed = false
    for (const name of merged) {
      const same = JSON.stringify(renameRefs(schemas[name], rename)) === JSON.stringify(renameRefs(schemas[name.slice(0, -INPUT.length)], rename))
      if (!same) changed = merged.delete(name)
    }
  }
  for (const name of merged) delete schemas[name]
  return renameRefs(document, rename)
}

/** Only the components the document refers to are kept, so they list what the API really uses. */
function withoutUnusedSchemas (document: Document): Document {
  const schemas = schemasOf(document)
  if (schemas === undefined) return document
  const used = new Set<string>()
  const pending = [JSON.stringify({ ...document, components: { schemas: {} } })]
  while (pending.length > 0) {
    for (const [, name] of (pending.pop() as string).matchAll(/"#\/components\/schemas\/([^"]+)"/g)) {
      if (name === undefined || used.has(name)) continue
      used.add(name)
      pending.push(JSON.stringify(schemas[name]))
    }
  }
  for (const name of Object.keys(schemas)) if (!used.has(name)) delete schemas[name]
  return document
}

/** An input schema with no output twin left takes the plain name: `StringFilter`, not `StringFilterInput`. */
function plainInputNames (document: Document): Document {
  const schemas = schemasOf(document)
  if (schemas === undefined) return document
  const rename = (name: string) => name.endsWith(INPUT) && schemas[name.slice(0, -INPUT.length)] === undefined ? name.slice(0, -INPUT.length) : undefined
  const renamed = renameRefs(document, rename)
  const target = schemasOf(renamed) as Schemas
  for (const name of Object.keys(target)) {
    const plain = rename(name)
    if (plain !== undefined) {
      target[plain] = target[name]
      delete target[name]
    }
  }
  return renamed
}

/**
 * A described use of a named schema comes out as `{description, allOf: [{$ref}]}`; a generator
 * makes a needless wrapper type of it. It becomes the `$ref` alone (a response keeps the
 * description as its own).
 */
function withoutLoneAllOf (document: Document): Document {
  return JSON.parse(JSON.stringify(document), (_key, value: unknown) => {
    if (value === null || typeof value !== 'object' || !('allOf' in value)) return value
    const { allOf, ...rest } = value as { allOf: unknown[] }
    const [only] = allOf
    const isLoneRef = allOf.length === 1 && typeof only === 'object' && only !== null && '$ref' in only
    return isLoneRef && Object.keys(rest).every((key) => ANNOTATIONS.has(key)) ? only : value
  }) as Document
}

/**
 * @fastify/swagger keeps only the request body and the responses of a route's `callbacks`; the
 * transform hands them over as an extension, which it copies whole, and this puts them back.
 */
const CALLBACKS_EXTENSION = 'x-callbacks'

function transformRoute (input: Parameters<typeof jsonSchemaTransform>[0]) {
  const { schema, url } = jsonSchemaTransform(input)
  const { callbacks, ...rest } = schema as { callbacks?: unknown }
  return { schema: callbacks === undefined ? rest : { ...rest, [CALLBACKS_EXTENSION]: callbacks }, url }
}

function withCallbacks (document: Document): Document {
  const paths = (document as { paths?: Record<string, Record<string, Record<string, unknown>>> }).paths ?? {}
  for (const operation of Object.values(paths).flatMap((item) => Object.values(item))) {
    if (operation[CALLBACKS_EXTENSION] === undefined) continue
    operation.callbacks = operation[CALLBACKS_EXTENSION]
    delete operation[CALLBACKS_EXTENSION]
  }
  return document
}

function sortedSchemas (document: Document): Document {
  const schemas = schemasOf(document)
  if (schemas === undefined) return document
  const sorted = Object.fromEntries(Object.keys(schemas).sort().map((name) => [name, schemas[name]]))
  return { ...document, components: { ...(document as { components: object }).components, schemas: sorted } } as Document
}

const EXAMPLE_TRACE_ID = '0c4f3a5e-49a4-4a29-9a35-1d6a3b8a2e3f'
const exampleBody = (error: ApiError) => ({ errorCode: error.errorCode, message: error.message, traceId: EXAMPLE_TRACE_ID })

/** An error body that fits each status: the schema's own example is a 400's (001), which a 500 must not show. */
const ERROR_EXAMPLES: Record<string, ReturnType<typeof exampleBody>> = {
  400: exampleBody(new ApiError(ErrorCode.BAD_REQUEST, 'payload.customerId: Invalid UUID')),
  401: exampleBody(new ApiError(ErrorCode.INVALID_API_KEY, Reason.adminTokenNeeded, 401)),
  408: exampleBody(new ApiError(ErrorCode.NOT_FOUND, Reason.noWebhookInTime(10_000), 408)),
  500: exampleBody(new ApiError(ErrorCode.INTERNAL)),
  default: exampleBody(new ApiError(ErrorCode.NOT_FOUND, Reason.noRoute('POST', '/api/v1/customer-purse/customer/craete'), 404))
}

/** Each error response gets the example of its own status, where /docs shows it. */
function errorExamples (document: Document): Document {
  const paths = (document as { paths?: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, { schema?: unknown, example?: unknown }> }> }>> }).paths ?? {}
  for (const operation of Object.values(paths).flatMap((item) => Object.values(item))) {
    for (const [status, response] of Object.entries(operation.responses ?? {})) {
      const json = response.content?.['application/json']
      const example = ERROR_EXAMPLES[status]
      if (json !== undefined && example !== undefined && JSON.stringify(json.schema).includes('PublicGatewayErrorResponse')) json.example = example
    }
  }
  return document
}

export const API_DESCRIPTION = [
  'A local, stateful mock of Calypso Pay\'s Customer Purse API.',
  'Every `/api/v1` request is a JSON envelope `{account, timestamp, payload}` sent with two headers: `Key` (the public api key) and `Sign` (lowercase hex HMAC-SHA512 of the exact body bytes, keyed with the api secret). Errors answer `{errorCode, message, traceId}`.',
  'The webhook events Calypso sends are the `WebhookEvent` schema, and the `webhookEvent` callback of `createWebhook`.'
].join('\n\n')

/** The API Calypso publishes: its paths start with this; every other path is the mock's own. */
export const CALYPSO_PATH_PREFIX = '/api/v1/'

interface SplitOperation { tags?: string[], security?: Array<Record<string, string[]>> }
interface SplitDocument {
  info: { title: string, description?: string, [key: string]: unknown }
  paths: Record<string, Record<string, SplitOperation>>
  tags?: Array<{ name: string }>
  components?: { schemas?: Schemas, securitySchemes?: Record<string, unknown> }
  [key: string]: unknown
}

/** The paths `keep` accepts, and only the tags, security schemes and schemas they use, so the part validates alone. */
function partOf (document: SplitDocument, keep: (path: string) => boolean, info: { title: string, description: string }): SplitDocument {
  const part = structuredClone(document)
  part.info = { ...part.info, ...info }
  part.paths = Object.fromEntries(Object.entries(part.paths).filter(([path]) => keep(path)))
  const operations = Object.values(part.paths).flatMap((item) => Object.values(item))
  const tags = new Set(operations.flatMap((op) => op.tags ?? []))
  const schemes = new Set(operations.flatMap((op) => (op.security ?? []).flatMap((requirement) => Object.keys(requirement))))
  if (part.tags !== undefined) part.tags = part.tags.filter((tag) => tags.has(tag.name))
  const securitySchemes = part.components?.securitySchemes
  if (securitySchemes !== undefined) {
    for (const name of Object.keys(securitySchemes)) if (!schemes.has(name)) delete securitySchemes[name]
  }
  return withoutUnusedSchemas(part as Document) as SplitDocument
}

/**
 * The served document cut in two: `calypso`, the /api/v1 API Calypso publishes (openapi.yaml), and
 * `mock`, the mock's own routes, /_mock and /health (openapi-mock.yaml).
 */
export function splitDocument (document: unknown): { calypso: SplitDocument, mock: SplitDocument } {
  const whole = document as SplitDocument
  return {
    calypso: partOf(whole, (path) => path.startsWith(CALYPSO_PATH_PREFIX), {
      title: whole.info.title,
      description: `${API_DESCRIPTION}\n\nThe mock's own routes (\`/_mock\`, \`/health\`) are in a document of their own, openapi-mock.yaml.`
    }),
    mock: partOf(whole, (path) => !path.startsWith(CALYPSO_PATH_PREFIX), {
      title: `${whole.info.title}: mock-only routes`,
      description: 'The controls of the mock itself, under `/_mock`, and `/health`: they do not exist on Calypso. Calypso\'s API, as the mock serves it, is in openapi.yaml.'
    })
  }
}

/** The OpenAPI document, generated from the routes' zod schemas, at /openapi.json (and /docs: plugins/docs.ts). */
export default fp(async function swagger (app: FastifyInstance) {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'calypso-mock',
        description: API_DESCRIPTION,
        version: packageVersion(),
        contact: { name: 'Calypso Pay\'s own API documentation, the API this mock imitates', url: 'https://docs.calypso.finance' },
        license: { name: 'MIT', url: 'https://opensource.org/licenses/MIT' }
      },
      servers: [{ url: '/', description: 'This mock' }],
      tags: [
        { name: 'Customers', description: 'Create, update, block and unblock customers' },
        { name: 'Purses', description: 'Deposit addresses (purses) of customers' },
        { name: 'Transactions', description: 'Deposits received on customer purses' },
        { name: 'Webhook subscriptions', description: 'Where Calypso sends signed events' },
        { name: 'Mock', description: 'Mock-only controls under /_mock: they do not exist on Calypso' }
      ],
      components: {
        securitySchemes: {
          Key: { type: 'apiKey', in: 'header', name: 'Key', description: 'The public api key' },
          Sign: { type: 'apiKey', in: 'header', name: 'Sign', description: 'Lowercase hex HMAC-SHA512 of the raw request body, keyed with the api secret' },
          MockAdminToken: { type: 'http', scheme: 'bearer', description: 'MOCK_ADMIN_TOKEN, needed by /_mock only when it is set' }
        }
      }
    },
    transform: transformRoute,
    transformObject: (input) => errorExamples(sortedSchemas(withoutLoneAllOf(plainInputNames(withoutUnusedSchemas(mergeInputTwins(withCallbacks(jsonSchemaTransformObject(input))))))))
  })
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())
}, { name: 'swagger' })
