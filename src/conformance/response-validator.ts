import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { load } from 'js-yaml'
import { packageRoot } from '../package-root.js'

/** The parts of an OpenAPI 3.x document the validator reads; the rest is carried along untouched. */
export interface OpenApiDocument {
  openapi: string
  paths: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>, [key: string]: unknown } | undefined>>
  [key: string]: unknown
}

/** What came back, as the validator needs it. */
export interface ObservedResponse {
  method: string
  /** The API path, e.g. /api/v1/customer-purse/customer/create (without the base URL's own prefix). */
  path: string
  status: number
  contentType: string | undefined
  /** The raw text of the body. */
  text: string
  /** The parsed body; undefined when the text is empty or not JSON. */
  json: unknown
  /** The answer's headers, names in lowercase. */
  headers?: Record<string, string>
}

/** Each difference between a response and the document, as one readable line. */
export interface ResponseValidator {
  validate: (response: ObservedResponse) => string[]
  /** Fields the answer has that its documented schema does not name, by JSON path. */
  extras: (response: ObservedResponse) => string[]
  /** Each difference between a value and a named component of the document (e.g. WebhookEvent). */
  validateComponent: (name: string, value: unknown) => string[]
  /** Fields a value has that a named component does not name, by JSON path. */
  componentExtras: (name: string, value: unknown) => string[]
}

/** The committed openapi.yaml of this package. (js-yaml reads it in a tenth of the time the yaml package takes.) */
export function loadOpenApiDocument (file: string = join(packageRoot(), 'openapi.yaml')): OpenApiDocument {
  const document = load(readFileSync(file, 'utf8')) as OpenApiDocument
  if (typeof document?.openapi !== 'string' || !document.openapi.startsWith('3.') || typeof document.paths !== 'object') {
    throw new Error(`${file} is not an OpenAPI 3.x document`)
  }
  return document
}

const DOCUMENT_ID = 'https://calypso-mock.invalid/openapi.json'

type Schema = Record<string, unknown>

function isSchemaObject (value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * A copy of the document that plain JSON Schema validators read as OpenAPI means it:
 * - Calypso tells clients to ignore unknown response fields, so `additionalProperties: false`
 *   (which zod writes for every object) is dropped: a server that adds a field still conforms.
 * - OpenAPI 3.0's `nullable: true` becomes a null type, and its boolean `exclusiveMinimum`/
 *   `exclusiveMaximum` the numeric form of later drafts.
 */
function prepare (node: unknown, openapi30: boolean): unknown {
  if (Array.isArray(node)) return node.map((item) => prepare(item, openapi30))
  if (!isSchemaObject(node)) return node
  const out: Schema = {}
  for (const [key, value] of Object.entries(node)) {
    if ((key === 'additionalProperties' || key === 'unevaluatedProperties') && value === false) continue
    out[key] = prepare(value, openapi30)
  }
  if (!openapi30) return out
  for (const bound of ['Minimum', 'Maximum'] as const) {
    const exclusive = `exclusive${bound}`
    const limit = bound.toLowerCase()
    if (out[exclusive] === true) {
      out[exclusive] = out[limit]
      delete out[limit]
    } else if (out[exclusive] === false) {
      delete out[exclusive]
    }
  }
  if (out.nullable !== undefined) {
    const nullable = out.nullable === true
    delete out.nullable
    if (nullable) {
      if (typeof out.type === 'string' && out.$ref === undefined) {
        out.type = [out.type, 'null']
        if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null]
      } else {
        return { anyOf: [out, { type: 'null' }] }
      }
    }
  }
  return out
}

/** Formats OpenAPI names that JSON Schema does not define. */
function addOpenApiFormats (ajv: Ajv | Ajv2020): void {
  const int32 = (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31
  ajv.addFormat('int32', { type: 'number', validate: int32 })
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) })
  ajv.addFormat('float', { type: 'number', validate: () => true })
  ajv.addFormat('double', { type: 'number', validate: () => true })
}

function escapePointer (segment: string): string {
  return segment.replaceAll('~', '~0').replaceAll('/', '~1')
}

function trimSlash (path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path
}

/** The document's path that `path` calls: the same path with or without a trailing slash, `{param}` matching one segment. */
function findPathKey (document: OpenApiDocument, path: string): string | undefined {
  const wanted = trimSlash(path)
  const keys = Object.keys(document.paths)
  const exact = keys.find((key) => trimSlash(key) === wanted)
  if (exact !== undefined) return exact
  return keys.find((key) => {
    const pattern = trimSlash(key).split('/').map((part) => /^\{[^}]+\}$/.test(part) ? '[^/]+' : part.replace(/[.*+?^$()|[\]\\]/g, '\\$&')).join('/')
    return new RegExp(`^${pattern}$`).test(wanted)
  })
}

function mediaTypeOf (contentType: string | undefined): string | undefined {
  return contentType?.split(';')[0]?.trim().toLowerCase()
}

/** The documented media type the answer's Content-Type stands for: exact, `type/*`, then `*\/*`. */
function matchMediaType (documented: string[], actual: string | undefined): string | undefined {
  if (actual === undefined) return undefined
  return documented.find((m) => m.toLowerCase() === actual) ??
    documented.find((m) => m.endsWith('/*') && m !== '*/*' && actual.startsWith(m.slice(0, -1).toLowerCase())) ??
    documented.find((m) => m === '*/*')
}

/** A short, safe rendering of a value for a difference line: never the value of a key or secret. */
function preview (path: string, value: unknown): string {
  if (/(secret|key|sign)/i.test(path)) return typeOf(value)
  const text = JSON.stringify(value)
  if (text === undefined) return typeOf(value)
  return text.length > 60 ? `${text.slice(0, 57)}...` : text
}

function typeOf (value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  if (typeof value === 'number' && Number.isInteger(value)) return 'integer'
  return typeof value
}

/** `/result/0/amount` → `$.result[0].amount` */
export function jsonPath (instancePath: string, property?: string): string {
  const parts = instancePath.split('/').slice(1).map((p) => p.replaceAll('~1', '/').replaceAll('~0', '~'))
  if (property !== undefined) parts.push(property)
  return parts.reduce((path, part) => /^\d+$/.test(part) ? `${path}[${part}]` : /^[A-Za-z_$][\w$]*$/.test(part) ? `${path}.${part}` : `${path}[${JSON.stringify(part)}]`, '$')
}

function describeError (error: ErrorObject): string {
  const params = error.params as Record<string, unknown>
  switch (error.keyword) {
    case 'required':
      return `${jsonPath(error.instancePath, String(params.missingProperty))}: missing (required)`
    case 'type': {
      const expected = Array.isArray(params.type) ? params.type.join(' or ') : String(params.type)
      return `${jsonPath(error.instancePath)}: expected ${expected}, got ${typeOf(error.data)}`
    }
    case 'enum':
      return `${jsonPath(error.instancePath)}: ${preview(error.instancePath, error.data)} is not one of ${(params.allowedValues as unknown[]).map(String).join(', ')}`
    case 'format':
      return `${jsonPath(error.instancePath)}: ${preview(error.instancePath, error.data)} is not a valid ${String(params.format)}`
    case 'pattern':
      return `${jsonPath(error.instancePath)}: ${preview(error.instancePath, error.data)} does not match ${String(params.pattern)}`
    default:
      return `${jsonPath(error.instancePath)}: ${error.message ?? error.keyword}`
  }
}

/**
 * Validates answers against the document the way Prism's proxy validates: find the operation by
 * path and method, the response by status (exact, then `4XX`, then `default`), the schema by media
 * type; every `$ref` is resolved inside the document, whatever it names.
 */
export function createResponseValidator (document: OpenApiDocument): ResponseValidator {
  const openapi30 = !document.openapi.startsWith('3.1')
  // The document carries OpenAPI's own words (example, x-*, discriminator): not strict JSON Schema.
  const options = { allErrors: true, verbose: true, strict: false, logger: false } as const
  const ajv = openapi30 ? new Ajv(options) : new Ajv2020(options)
  addFormats.default(ajv)
  addOpenApiFormats(ajv)
  ajv.addSchema({ ...(prepare(document, openapi30) as Schema), $id: DOCUMENT_ID }, undefined, undefined, false)
  // Keyed by the schema's own text: every operation's error answer is the same schema, compiled once.
  const compiled = new Map<string, ValidateFunction>()

  function validatorFor (pointer: string, schema: unknown): ValidateFunction {
    const key = JSON.stringify(schema)
    let validate = compiled.get(key)
    if (validate === undefined) {
      validate = ajv.compile({ $ref: `${DOCUMENT_ID}#${pointer}` })
      compiled.set(key, validate)
    }
    return validate
  }

  /** The local target of a `$ref`, or the schema itself. */
  function resolve (schema: unknown, depth = 0): Schema | undefined {
    if (!isSchemaObject(schema)) return undefined
    const target = schema.$ref
    if (typeof target !== 'string' || !target.startsWith('#/') || depth > 20) return schema
    let node: unknown = document
    for (const part of target.slice(2).split('/')) node = isSchemaObject(node) ? node[part.replaceAll('~1', '/').replaceAll('~0', '~')] : undefined
    return resolve(node, depth + 1)
  }

  /** Walks a value beside its schema and names each object key the schema's properties do not list. */
  function extraFields (schema: unknown, value: unknown, path: string, out: string[]): string[] {
    const resolved = resolve(schema)
    if (resolved === undefined) return out
    for (const part of [...(Array.isArray(resolved.allOf) ? resolved.allOf : [])]) extraFields(part, value, path, out)
    if (Array.isArray(value) && resolved.items !== undefined) {
      value.forEach((item, i) => extraFields(resolved.items, item, `${path}[${i}]`, out))
    } else if (isSchemaObject(value) && isSchemaObject(resolved.properties)) {
      const properties = resolved.properties
      for (const [key, child] of Object.entries(value)) {
        const childPath = jsonPath('', key) === `$.${key}` ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`
        if (properties[key] === undefined) out.push(childPath)
        else extraFields(properties[key], child, childPath, out)
      }
    }
    return out
  }

  /** The operation's documented schema for this answer, with its pointer; or the differences that stop there. */
  function locate (response: ObservedResponse): { pointer: string, schema: unknown } | string[] {
    const method = response.method.toLowerCase()
    const pathKey = findPathKey(document, response.path)
    const operation = pathKey === undefined ? undefined : document.paths[pathKey]?.[method]
    if (pathKey === undefined || operation === undefined) return [`${response.method} ${response.path} is not an operation of the OpenAPI document`]
    const responses = operation.responses ?? {}
    const statusKey = [String(response.status), `${String(response.status)[0]}XX`, 'default'].find((key) => responses[key] !== undefined)
    if (statusKey === undefined) {
      return [`status ${response.status} is not a documented answer of ${response.method} ${pathKey} (documented: ${Object.keys(responses).join(', ')})`]
    }
    const content = responses[statusKey]?.content ?? {}
    const documented = Object.keys(content)
    if (documented.length === 0) {
      return response.text === '' ? [] : [`body: expected none for status ${response.status}, got ${response.text.length} bytes`]
    }
    const actual = mediaTypeOf(response.contentType)
    const mediaType = matchMediaType(documented, actual)
    if (mediaType === undefined) return [`content-type: expected ${documented.join(' or ')}, got ${actual ?? 'none'}`]
    const schema = content[mediaType]?.schema
    if (schema === undefined) return []
    if (response.json === undefined) return [`body: expected JSON, got ${response.text === '' ? 'an empty body' : `${preview('', response.text)}`}`]
    return { pointer: ['', 'paths', pathKey, method, 'responses', statusKey, 'content', mediaType, 'schema'].map(escapePointer).join('/'), schema }
  }

  function check (pointer: string, schema: unknown, value: unknown): string[] {
    const validate = validatorFor(pointer, schema)
    if (validate(value)) return []
    return [...new Set((validate.errors ?? []).map(describeError))]
  }

  const componentPointer = (name: string) => `/components/schemas/${escapePointer(name)}`
  const component = (name: string): unknown => (document.components as { schemas?: Record<string, unknown> } | undefined)?.schemas?.[name]

  return {
    validate (response) {
      const found = locate(response)
      return Array.isArray(found) ? found : check(found.pointer, found.schema, response.json)
    },
    extras (response) {
      const found = locate(response)
      return Array.isArray(found) ? [] : extraFields(found.schema, response.json, '$', [])
    },
    validateComponent (name, value) {
      const schema = component(name)
      if (schema === undefined) throw new Error(`the document has no component ${name}`)
      return check(componentPointer(name), schema, value)
    },
    componentExtras (name, value) {
      return extraFields(component(name), value, '$', [])
    }
  }
}
