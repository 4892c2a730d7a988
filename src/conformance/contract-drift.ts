import { CALYPSO_CONTRACT } from './contract.js'
import type { OpenApiDocument } from './response-validator.js'

type Schema = Record<string, unknown>

const isSchema = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v)

function resolver (document: OpenApiDocument) {
  return function resolve (schema: unknown, depth = 0): Schema | undefined {
    if (!isSchema(schema) || depth > 20) return undefined
    if (typeof schema.$ref === 'string' && schema.$ref.startsWith('#/')) {
      const target = schema.$ref.slice(2).split('/').reduce<unknown>((node, part) => isSchema(node) ? node[part.replaceAll('~1', '/').replaceAll('~0', '~')] : undefined, document)
      return resolve(target, depth + 1)
    }
    // A nullable written as anyOf/oneOf with null: the other member carries the shape.
    for (const key of ['anyOf', 'oneOf'] as const) {
      const members = schema[key]
      if (Array.isArray(members)) {
        const others = members.filter((m) => !(isSchema(m) && m.type === 'null'))
        if (others.length === 1) return resolve(others[0], depth + 1)
      }
    }
    if (Array.isArray(schema.allOf) && schema.allOf.length === 1) return resolve(schema.allOf[0], depth + 1)
    return schema
  }
}

function typeOf (schema: Schema): string | undefined {
  const type = Array.isArray(schema.type) ? schema.type.filter((t) => t !== 'null')[0] : schema.type
  return typeof type === 'string' ? (type === 'integer' ? 'number' : type) : undefined
}

/**
 * The differences between an OpenAPI document (the mock's openapi.yaml) and the contract pinned
 * from Calypso's published docs, each naming the operation or component and the field: a path or
 * method the document lacks, a documented field it drops, makes optional or types otherwise, an
 * enum value it renames. The document may add fields and operations (the mock's own).
 */
export function compareWithContract (document: OpenApiDocument, contract: OpenApiDocument = CALYPSO_CONTRACT): string[] {
  const out: string[] = []
  const inContract = resolver(contract)
  const inDocument = resolver(document)

  function compare (expected: unknown, actual: unknown, where: string, depth = 0): void {
    const want = inContract(expected)
    const got = inDocument(actual)
    if (want === undefined || depth > 12) return
    if (got === undefined) {
      out.push(`${where}: no schema`)
      return
    }
    const wantType = typeOf(want)
    const gotType = typeOf(got)
    if (wantType !== undefined && gotType !== undefined && wantType !== gotType) out.push(`${where}: typed ${gotType}, Calypso's ${wantType}`)
    if (Array.isArray(want.enum)) {
      const allowed = new Set(want.enum)
      const extra = Array.isArray(got.enum) ? got.enum.filter((v) => v !== null && !allowed.has(v)) : []
      if (!Array.isArray(got.enum) && gotType === 'string') out.push(`${where}: any string, Calypso's enum ${want.enum.join(', ')}`)
      if (extra.length > 0) out.push(`${where}: enum value${extra.length === 1 ? '' : 's'} ${extra.map(String).join(', ')} not in Calypso's ${want.enum.join(', ')}`)
    }
    if (isSchema(want.properties)) {
      const properties = isSchema(got.properties) ? got.properties : {}
      const required = new Set(Array.isArray(got.required) ? got.required : [])
      for (const field of Array.isArray(want.required) ? want.required as string[] : []) {
        if (properties[field] !== undefined && !required.has(field)) out.push(`${where}.${field}: optional, Calypso's is required`)
      }
      for (const [field, schema] of Object.entries(want.properties)) {
        if (properties[field] === undefined) out.push(`${where}.${field}: missing (Calypso documents it)`)
        else compare(schema, properties[field], `${where}.${field}`, depth + 1)
      }
    }
    if (want.items !== undefined) compare(want.items, got.items, `${where}[]`, depth + 1)
  }

  for (const [path, operations] of Object.entries(contract.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const name = `${method.toUpperCase()} ${path}`
      const documented = document.paths[path]?.[method]
      if (documented === undefined) {
        out.push(`${name}: not in the document`)
        continue
      }
      for (const [status, response] of Object.entries(operation?.responses ?? {})) {
        const schema = Object.values(response.content ?? {})[0]?.schema
        if (schema === undefined) continue
        const answer = documented.responses?.[status] ?? documented.responses?.[`${status[0] ?? ''}XX`] ?? documented.responses?.default
        if (answer === undefined) {
          out.push(`${name} ${status}: not documented`)
          continue
        }
        compare(schema, Object.values(answer.content ?? {})[0]?.schema, `${name} ${status}: $`)
      }
    }
  }
  const components = (doc: OpenApiDocument) => (doc.components as { schemas?: Schema } | undefined)?.schemas ?? {}
  compare(components(contract).WebhookEvent, components(document).WebhookEvent, 'WebhookEvent: $')
  return out
}
